#include "widgets/flow_row.h"

#include <imgui.h>

namespace ganvas::gui {

bool same_line_if_fits(float next_width) {
    ImGui::SameLine();
    if (ImGui::GetContentRegionAvail().x >= next_width) return true;
    ImGui::NewLine();  // a line as tall as the one before, as if SameLine had not been called
    return false;
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
