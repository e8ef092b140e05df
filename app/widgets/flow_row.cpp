#include "widgets/flow_row.h"

#include <imgui.h>

namespace ganvas::gui {

bool same_line_if_fits(float next_width, float spacing) {
    // Measured before SameLine: SameLine then NewLine would count the cursor's
    // place after the spacing as laid out, a few pixels past the edge.
    const float edge = ImGui::GetWindowPos().x + ImGui::GetContentRegionMax().x;
    const float gap = spacing < 0 ? ImGui::GetStyle().ItemSpacing.x : spacing;
    if (ImGui::GetItemRectMax().x + gap + next_width > edge) return false;
    ImGui::SameLine(0, spacing);
    return true;
}

float labelled_width(float frame_width, const char* label) {
    const float text = ImGui::CalcTextSize(label, nullptr, true).x;
    return text > 0 ? frame_width + ImGui::GetStyle().ItemInnerSpacing.x + text : frame_width;
}

float button_width(const char* label) {
    return ImGui::CalcTextSize(label, nullptr, true).x + 2 * ImGui::GetStyle().FramePadding.x;
}

float checkbox_width(const char* label) {
    return labelled_width(ImGui::GetFrameHeight(), label);
}

}  // namespace ganvas::gui
