#include "widgets/image_view.h"

namespace ganvas::gui {

ImVec2 draw_image(const gl::Texture& texture, ImVec2 size) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::Image(texture.imgui_id(), size);
    if (!ImGui::IsItemHovered() || size.x <= 0 || size.y <= 0) return {-1, -1};
    const ImVec2 m = ImGui::GetIO().MousePos;
    return {(m.x - origin.x) / size.x * texture.width(),
            (m.y - origin.y) / size.y * texture.height()};
}

int grid_cell_at(ImVec2 pixel, int count, int cols, int cell, int padding) {
    if (pixel.x < 0 || pixel.y < 0 || cols <= 0) return -1;
    const int stride = cell + padding;
    const int px = static_cast<int>(pixel.x) - padding, py = static_cast<int>(pixel.y) - padding;
    if (px < 0 || py < 0) return -1;
    const int col = px / stride, row = py / stride;
    if (px % stride >= cell || py % stride >= cell || col >= cols) return -1;
    const int index = row * cols + col;
    return index < count ? index : -1;
}

}  // namespace ganvas::gui
