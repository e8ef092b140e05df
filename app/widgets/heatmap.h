// Heatmap: a small (H, W) map of non-negative values drawn as coloured cells,
// brightest at the map's maximum, with rectangles marked over it in map cells.
#pragma once

#include <imgui.h>

#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace ganvas::gui {

struct HeatmapMark {
    float r0, c0, r1, c1;  // map cells, inclusive; may lie outside the map
    ImU32 colour;
    float thickness = 1.5f;
};

// Draws `map` (H, W) into a `size` box (cells stay square; the map is centred)
// with `margin` empty cells around it so marks outside the map stay visible.
// Returns the map cell under the mouse as (col, row), or (-1, -1).
ImVec2 draw_heatmap(const char* id, const Tensor& map, ImVec2 size, int margin,
                    const std::vector<HeatmapMark>& marks);

// The heatmap's colour for t in [0, 1]: black through purple and orange to yellow.
ImU32 heat_colour(float t);

}  // namespace ganvas::gui
