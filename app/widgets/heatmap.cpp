#include "widgets/heatmap.h"

#include <algorithm>
#include <cmath>

namespace ganvas::gui {

ImU32 heat_colour(float t) {
    t = std::clamp(t, 0.0f, 1.0f);
    // A short piecewise-linear "inferno": dark, purple, orange, pale yellow.
    static const float stops[4][3] = {
        {0.02f, 0.02f, 0.06f}, {0.47f, 0.11f, 0.43f}, {0.93f, 0.41f, 0.14f}, {0.99f, 0.98f, 0.64f}};
    const float x = t * 3;
    const int i = std::min(2, static_cast<int>(x));
    const float f = x - static_cast<float>(i);
    float rgb[3];
    for (int k = 0; k < 3; ++k) rgb[k] = stops[i][k] + f * (stops[i + 1][k] - stops[i][k]);
    return IM_COL32(static_cast<int>(rgb[0] * 255), static_cast<int>(rgb[1] * 255),
                    static_cast<int>(rgb[2] * 255), 255);
}

ImVec2 draw_heatmap(const char* id, const Tensor& map, ImVec2 size, int margin,
                    const std::vector<HeatmapMark>& marks) {
    const int64_t h = map.size(0), w = map.size(1);
    const float cell = std::max(1.0f, std::min(size.x / static_cast<float>(w + 2 * margin),
                                               size.y / static_cast<float>(h + 2 * margin)));
    const ImVec2 box(cell * static_cast<float>(w + 2 * margin),
                     cell * static_cast<float>(h + 2 * margin));
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton(id, box);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 origin(p0.x + cell * margin, p0.y + cell * margin);
    dl->AddRectFilled(p0, ImVec2(p0.x + box.x, p0.y + box.y), IM_COL32(60, 60, 66, 255));
    float peak = 0;
    for (int64_t i = 0; i < map.numel(); ++i) peak = std::max(peak, map.data()[i]);
    for (int64_t r = 0; r < h; ++r)
        for (int64_t c = 0; c < w; ++c) {
            const float v = peak > 0 ? map.data()[r * w + c] / peak : 0;
            const ImVec2 a(origin.x + cell * c, origin.y + cell * r);
            dl->AddRectFilled(a, ImVec2(a.x + cell, a.y + cell), heat_colour(std::sqrt(v)));
        }
    for (const HeatmapMark& m : marks)
        dl->AddRect(ImVec2(origin.x + cell * m.c0, origin.y + cell * m.r0),
                    ImVec2(origin.x + cell * (m.c1 + 1), origin.y + cell * (m.r1 + 1)), m.colour, 0,
                    0, m.thickness);
    if (!ImGui::IsItemHovered()) return ImVec2(-1, -1);
    const ImVec2 mouse = ImGui::GetMousePos();
    const float col = std::floor((mouse.x - origin.x) / cell),
                row = std::floor((mouse.y - origin.y) / cell);
    if (col < 0 || row < 0 || col >= w || row >= h) return ImVec2(-1, -1);
    return ImVec2(col, row);
}

}  // namespace ganvas::gui
