// Linked zoom views: several images of the same scene (an image and its upsampled
// versions, of different pixel sizes) shown with one zoom and pan. Dragging in any
// view pans all, the wheel zooms all about the mouse, a double click fits again; when
// an image pixel covers 8 or more screen pixels a grid shows the pixel boundaries.
#pragma once

#include <imgui.h>

#include "gl/texture.h"

namespace ganvas::gui {

// Shared by every view of a group. Coordinates are normalised: (0, 0) is the image's
// top-left corner, (1, 1) its bottom-right, whatever its size in pixels.
struct ZoomLink {
    float zoom = 1;              // 1: the whole image fits the view
    float cx = 0.5f, cy = 0.5f;  // the normalised point at the view's centre
    void reset() { *this = ZoomLink{}; }
};

namespace zoommath {
// Screen pixels per normalised unit along x (y is scaled by the aspect, so pixels stay
// square) for an image of aspect h / w fitted into `size` at `zoom`.
float units_px(ImVec2 size, float aspect_hw, float zoom);
// Zooms by `factor` keeping the normalised point under `mouse_offset` (screen pixels
// from the view's centre) fixed.
void zoom_about(ZoomLink& link, float factor, ImVec2 mouse_offset, float units);
}  // namespace zoommath

// Draws `texture` in a `size` box following `link`, handles input, and returns the image
// pixel (x, y) under the mouse or (-1, -1). `marker_row` >= 0 draws a horizontal line
// through that normalised height (the line profile's row).
ImVec2 zoom_view(const char* id, const gl::Texture& texture, ImVec2 size, ZoomLink& link,
                 float marker_row = -1);

}  // namespace ganvas::gui
