#include "panels/model_panel.h"

#include <imgui.h>

namespace ganvas::gui {

void ModelPanel::draw(PanelContext& ctx) {
    ImGui::TextDisabled("The Model panel is being built.");
}

}  // namespace ganvas::gui
