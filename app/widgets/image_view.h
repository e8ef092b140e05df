// Helpers for drawing images and grids of images with ImGui.
#pragma once

#include <imgui.h>

#include "gl/texture.h"

namespace ganvas::gui {

// Draws `texture` at `size` and returns the image-pixel coordinates under the
// mouse (x, y in texture pixels), or (-1, -1) when the mouse is elsewhere.
ImVec2 draw_image(const gl::Texture& texture, ImVec2 size);

// For a grid made by make_grid(images, cols, padding) of cells `cell` pixels wide:
// the index of the image under texture pixel (x, y), or -1 on padding or outside.
int grid_cell_at(ImVec2 pixel, int count, int cols, int cell, int padding);

}  // namespace ganvas::gui
