#include "panels/data_panel.h"

#include <imgui.h>

namespace ganvas::gui {

void DataPanel::draw(PanelContext& ctx) {
    ImGui::TextDisabled("The Data panel is being built.");
}

}  // namespace ganvas::gui
