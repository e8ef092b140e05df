// Small line charts of a norm history for table cells (a sparkline) and for the
// detail view (a chart with its axis range written on it), on top of
// ImGui::PlotLines. Hovering reads out the step and value under the mouse.
#pragma once

#include <imgui.h>

#include "widgets/table_layer_norms.h"

namespace ganvas::gui {

// The point of a `count`-point line chart nearest to mouse x, for a plot area
// starting at `left` and `width` wide; -1 when there are no points.
int nearest_point(float mouse_x, float left, float width, int count);

// A line as wide as the cell and one frame high. Returns true when clicked.
// `what` names the quantity for the hover read-out ("‖θ‖").
bool sparkline(const char* id, const SparkSeries& series, bool log_scale, const char* what,
               ImVec4 color);

// A taller chart of `height` pixels labelled with its maximum (top left), its
// minimum (bottom left) and its newest value (top right).
void norm_chart(const char* id, const SparkSeries& series, bool log_scale, const char* what,
                ImVec4 color, float height);

}  // namespace ganvas::gui
