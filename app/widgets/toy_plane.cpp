#include "widgets/toy_plane.h"

#include <algorithm>
#include <cmath>

namespace ganvas::gui {

ImVec2 ToyPlane::to_screen(float x, float y) const {
    const float sx = (x - lo) / (hi - lo), sy = (y - lo) / (hi - lo);
    return ImVec2(p0.x + sx * (p1.x - p0.x), p1.y - sy * (p1.y - p0.y));
}

ImVec2 ToyPlane::to_plane(ImVec2 s) const {
    return ImVec2(lo + (s.x - p0.x) / (p1.x - p0.x) * (hi - lo),
                  lo + (p1.y - s.y) / (p1.y - p0.y) * (hi - lo));
}

bool ToyPlane::contains(ImVec2 s) const {
    return s.x >= p0.x && s.x < p1.x && s.y >= p0.y && s.y < p1.y;
}

ToyPlane ToyPlane::place(float side, float lo, float hi) {
    ToyPlane p;
    p.lo = lo;
    p.hi = hi;
    p.p0 = ImGui::GetCursorScreenPos();
    p.p1 = ImVec2(p.p0.x + side, p.p0.y + side);
    ImGui::InvisibleButton("plane", ImVec2(side, side));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p.p0, p.p1, IM_COL32(24, 24, 28, 255));
    dl->AddRect(p.p0, p.p1, IM_COL32(90, 90, 100, 255));
    return p;
}

ImU32 field_colour(float t) {
    t = std::clamp(std::isfinite(t) ? t : 0.5f, 0.0f, 1.0f);
    // purple (0) -> near black (0.5) -> green (1): the middle is "can't tell".
    const float a = std::fabs(t - 0.5f) * 2;
    const float r = t < 0.5f ? 150 : 40, g = t < 0.5f ? 60 : 170, b = t < 0.5f ? 190 : 90;
    auto mix = [&](float c) { return static_cast<int>(28 + (c - 28) * a * 0.85f); };
    return IM_COL32(mix(r), mix(g), mix(b), 255);
}

void ToyPlane::heatmap(const std::vector<float>& values, int n, bool probability) const {
    if (n <= 0 || values.size() != size_t(n) * n) return;
    float centre = 0.5f, spread = 0.5f;
    if (!probability) {
        std::vector<float> sorted;
        for (float v : values)
            if (std::isfinite(v)) sorted.push_back(v);
        if (sorted.empty()) return;
        std::sort(sorted.begin(), sorted.end());
        centre = sorted[sorted.size() / 2];
        spread = std::max(std::max(sorted.back() - centre, centre - sorted.front()), 1e-6f);
        spread *= 2;  // t = 0.5 +- 0.5 at the extremes
        centre -= 0;
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float cw = (p1.x - p0.x) / n, ch = (p1.y - p0.y) / n;
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i) {
            const float v = values[size_t(j) * n + i];
            const float t = probability ? v : 0.5f + (v - centre) / spread;
            const ImVec2 a(p0.x + i * cw, p1.y - (j + 1) * ch);
            dl->AddRectFilled(a, ImVec2(a.x + cw + 0.5f, a.y + ch + 0.5f), field_colour(t));
        }
}

void ToyPlane::points(const std::vector<float>& xy, ImU32 colour, float radius) const {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (size_t i = 0; i + 1 < xy.size(); i += 2) {
        const ImVec2 s = to_screen(xy[i], xy[i + 1]);
        if (contains(s)) dl->AddCircleFilled(s, radius, colour, 8);
    }
}

void ToyPlane::warped_grid(const std::vector<float>& xy, int n, bool line, ImU32 colour) const {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->PushClipRect(p0, p1, true);
    auto pt = [&](size_t k) { return to_screen(xy[2 * k], xy[2 * k + 1]); };
    if (line) {
        for (size_t k = 0; k + 1 < xy.size() / 2; ++k) dl->AddLine(pt(k), pt(k + 1), colour);
    } else if (xy.size() == size_t(n) * n * 2) {
        for (int j = 0; j < n; ++j)
            for (int i = 0; i < n; ++i) {
                const size_t k = size_t(j) * n + i;
                if (i + 1 < n) dl->AddLine(pt(k), pt(k + 1), colour);
                if (j + 1 < n) dl->AddLine(pt(k), pt(k + n), colour);
            }
    }
    dl->PopClipRect();
}

void ToyPlane::arrows(const std::vector<float>& from, const std::vector<float>& vec, float max_px,
                      ImU32 colour) const {
    if (from.size() != vec.size()) return;
    float longest = 0;
    for (size_t i = 0; i + 1 < vec.size(); i += 2)
        longest = std::max(longest, std::hypot(vec[i], vec[i + 1]));
    if (!(longest > 0) || !std::isfinite(longest)) return;
    const float px_per_unit = (p1.x - p0.x) / (hi - lo);
    const float scale = max_px / (longest * px_per_unit);  // plane units per gradient unit
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->PushClipRect(p0, p1, true);
    for (size_t i = 0; i + 1 < from.size(); i += 2) {
        const ImVec2 a = to_screen(from[i], from[i + 1]);
        const ImVec2 b = to_screen(from[i] + vec[i] * scale, from[i + 1] + vec[i + 1] * scale);
        dl->AddLine(a, b, colour);
        const float dx = b.x - a.x, dy = b.y - a.y, len = std::hypot(dx, dy);
        if (len > 4) {  // a small head
            const float ux = dx / len, uy = dy / len;
            dl->AddTriangleFilled(b, ImVec2(b.x - 4 * ux + 2 * uy, b.y - 4 * uy - 2 * ux),
                                  ImVec2(b.x - 4 * ux - 2 * uy, b.y - 4 * uy + 2 * ux), colour);
        }
    }
    dl->PopClipRect();
}

void ToyPlane::matching(const std::vector<float>& a, const std::vector<float>& b,
                        const std::vector<int>& match, ImU32 colour) const {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->PushClipRect(p0, p1, true);
    for (size_t i = 0; i < match.size() && 2 * i + 1 < a.size(); ++i) {
        const size_t j = static_cast<size_t>(match[i]);
        if (2 * j + 1 >= b.size()) continue;
        dl->AddLine(to_screen(a[2 * i], a[2 * i + 1]), to_screen(b[2 * j], b[2 * j + 1]), colour);
    }
    dl->PopClipRect();
}

}  // namespace ganvas::gui
