#include "panels/samples_panel.h"

#include <imgui.h>

namespace ganvas::gui {

void SamplesPanel::draw(PanelContext& ctx) {
    ImGui::TextDisabled("The Samples panel is being built.");
}

}  // namespace ganvas::gui
