#include "panels/losses_panel.h"

#include <imgui.h>

namespace ganvas::gui {

void LossesPanel::draw(PanelContext& ctx) {
    ImGui::TextDisabled("The Losses panel is being built.");
}

}  // namespace ganvas::gui
