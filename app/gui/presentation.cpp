#include "gui/presentation.h"

#include <algorithm>
#include <cmath>

namespace ganvas::gui {

float presentation_font_pixels(int height) {
    return std::max(13.0f, std::round(0.03f * static_cast<float>(height)));
}

bool Presentation::draw_click_ripples() {
    constexpr double kSeconds = 0.6;
    const double now = ImGui::GetTime();
    for (int button = 0; button < 3; ++button)
        if (ImGui::IsMouseClicked(button)) ripples_.push_back({ImGui::GetMousePos(), now});
    std::erase_if(ripples_, [&](const Ripple& r) { return now - r.start > kSeconds; });
    ImDrawList* draw = ImGui::GetForegroundDrawList();
    const float size = ImGui::GetFontSize();
    for (const Ripple& r : ripples_) {
        const float t = static_cast<float>((now - r.start) / kSeconds);  // 0 → 1
        const auto alpha = static_cast<int>(230 * (1 - t));
        draw->AddCircleFilled(r.at, size * (0.4f + 1.6f * t), IM_COL32(255, 200, 40, alpha / 3));
        draw->AddCircle(r.at, size * (0.4f + 1.6f * t), IM_COL32(255, 200, 40, alpha), 0,
                        std::max(2.0f, 0.15f * size));
    }
    return !ripples_.empty();
}

}  // namespace ganvas::gui
