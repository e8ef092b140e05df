// ToyPlane: a square view of the toy lab's plane [lo, hi]^2 drawn with ImGui's
// draw list: a heatmap of the discriminator, points, the generator's warped
// latent grid, arrows and matching lines. The coordinate maths (to_screen,
// to_plane) is plain and tested; the drawing takes the snapshot's vectors.
#pragma once

#include <imgui.h>

#include <vector>

namespace ganvas::gui {

struct ToyPlane {
    ImVec2 p0, p1;  // screen rectangle (square)
    float lo = -3, hi = 3;

    ImVec2 to_screen(float x, float y) const;  // y up
    ImVec2 to_plane(ImVec2 screen) const;
    bool contains(ImVec2 screen) const;

    // Claims the square region at the cursor and draws the background and border.
    static ToyPlane place(float side, float lo, float hi);

    // values: n x n, row 0 at y = lo. Probabilities map 0 (fake) .. 1 (real); other
    // values are centred on their median and scaled by their spread.
    void heatmap(const std::vector<float>& values, int n, bool probability) const;
    void points(const std::vector<float>& xy, ImU32 colour, float radius) const;
    // The manifold: lines between neighbours of an n x n grid of 2-D points
    // (or a polyline of n points when `line`).
    void warped_grid(const std::vector<float>& xy, int n, bool line, ImU32 colour) const;
    // Arrows from each point along its vector, the longest `max_px` pixels long.
    void arrows(const std::vector<float>& from, const std::vector<float>& vec, float max_px,
                ImU32 colour) const;
    // Lines from a[i] to b[match[i]].
    void matching(const std::vector<float>& a, const std::vector<float>& b,
                  const std::vector<int>& match, ImU32 colour) const;
};

// The colour of a heatmap cell at t in [0, 1]: purple (fake) through dark to green (real).
ImU32 field_colour(float t);

}  // namespace ganvas::gui
