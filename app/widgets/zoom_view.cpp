#include "widgets/zoom_view.h"

#include <algorithm>
#include <cmath>

namespace ganvas::gui {

namespace zoommath {

float units_px(ImVec2 size, float aspect_hw, float zoom) {
    const float fit = std::min(size.x, size.y / std::max(aspect_hw, 1e-6f));
    return fit * zoom;
}

void zoom_about(ZoomLink& link, float factor, ImVec2 mouse_offset, float units) {
    const float new_zoom = std::clamp(link.zoom * factor, 0.5f, 128.0f);
    const float new_units = units * new_zoom / link.zoom;
    // The point under the mouse, in normalised units, before and after: keep it there.
    const float u = link.cx + mouse_offset.x / units;
    const float v = link.cy + mouse_offset.y / units;  // y measured in x units (square pixels)
    link.cx = u - mouse_offset.x / new_units;
    link.cy = v - mouse_offset.y / new_units;
    link.zoom = new_zoom;
}

}  // namespace zoommath

ImVec2 zoom_view(const char* id, const gl::Texture& texture, ImVec2 size, ZoomLink& link,
                 float marker_row) {
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton(id, size);
    const bool hovered = ImGui::IsItemHovered();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p0, {p0.x + size.x, p0.y + size.y}, IM_COL32(20, 20, 24, 255));
    if (!texture.valid() || texture.width() == 0) return {-1, -1};

    const float w = static_cast<float>(texture.width()), h = static_cast<float>(texture.height());
    const float aspect = h / w;
    // cy is stored in normalised height units; convert to x units for the maths.
    float units = zoommath::units_px(size, aspect, link.zoom);
    const ImVec2 centre = {p0.x + size.x * 0.5f, p0.y + size.y * 0.5f};
    ImGuiIO& io = ImGui::GetIO();
    if (hovered) {
        if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) link.reset();
        if (io.MouseWheel != 0) {
            ZoomLink tmp = link;
            tmp.cy *= aspect;  // to x units
            zoommath::zoom_about(tmp, std::pow(1.25f, io.MouseWheel),
                                 {io.MousePos.x - centre.x, io.MousePos.y - centre.y}, units);
            tmp.cy /= aspect;
            link = tmp;
            units = zoommath::units_px(size, aspect, link.zoom);
        }
    }
    if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 0.0f)) {
        link.cx -= io.MouseDelta.x / units;
        link.cy -= io.MouseDelta.y / (units * aspect);
    }
    link.cx = std::clamp(link.cx, 0.0f, 1.0f);
    link.cy = std::clamp(link.cy, 0.0f, 1.0f);

    // Normalised (u, v) -> screen.
    const float sx = units, sy = units * aspect;
    auto screen = [&](float u, float v) {
        return ImVec2{centre.x + (u - link.cx) * sx, centre.y + (v - link.cy) * sy};
    };
    // The visible part of the image, clipped to the box.
    const float u0 = std::max(0.0f, link.cx - size.x * 0.5f / sx);
    const float u1 = std::min(1.0f, link.cx + size.x * 0.5f / sx);
    const float v0 = std::max(0.0f, link.cy - size.y * 0.5f / sy);
    const float v1 = std::min(1.0f, link.cy + size.y * 0.5f / sy);
    if (u1 <= u0 || v1 <= v0) return {-1, -1};
    dl->PushClipRect(p0, {p0.x + size.x, p0.y + size.y}, true);
    dl->AddImage(texture.imgui_id(), screen(u0, v0), screen(u1, v1), {u0, v0}, {u1, v1});

    const float pixel = sx / w;  // screen pixels per image pixel
    if (pixel >= 8.0f) {
        const ImU32 grid = IM_COL32(140, 140, 140, 90);
        const ImVec2 a = screen(u0, v0), b = screen(u1, v1);
        for (float x = std::ceil(u0 * w); x <= u1 * w; x += 1.0f) {
            const float px = screen(x / w, 0).x;
            dl->AddLine({px, a.y}, {px, b.y}, grid);
        }
        for (float y = std::ceil(v0 * h); y <= v1 * h; y += 1.0f) {
            const float py = screen(0, y / h).y;
            dl->AddLine({a.x, py}, {b.x, py}, grid);
        }
    }
    if (marker_row >= 0) {
        const float py = screen(0, marker_row).y;
        dl->AddLine({p0.x, py}, {p0.x + size.x, py}, IM_COL32(255, 200, 60, 200), 1.5f);
    }
    dl->PopClipRect();

    if (!hovered) return {-1, -1};
    const float u = link.cx + (io.MousePos.x - centre.x) / sx;
    const float v = link.cy + (io.MousePos.y - centre.y) / sy;
    if (u < 0 || u >= 1 || v < 0 || v >= 1) return {-1, -1};
    return {u * w, v * h};
}

}  // namespace ganvas::gui
