// plotmath: the coordinate maths of the plot widget (widgets/plot.h) — axis
// mapping with an optional log scale, zoom about a fixed point, pan, fitting a
// range that ignores NaN, 1-2-5 ticks, TensorBoard's debiased EMA, nearest-step
// lookup and min/max decimation — as plain functions that need no ImGui
// context, so tests/app/test_app_plot.cpp checks them directly.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ganvas::gui {

namespace plotmath {

// The visible part of one axis, in data units. A log axis maps log10(value)
// linearly, so its range must be positive.
struct Axis {
    double lo = 0, hi = 1;
    bool log = false;
};

// Where `value` lands on a pixel span p0..p1 (p1 < p0 is fine: screen y grows
// down). NaN for a non-positive value on a log axis.
double to_pixel(const Axis& a, double value, double p0, double p1);
double from_pixel(const Axis& a, double pixel, double p0, double p1);

// Zooms by `factor` (> 1 zooms in) so that `fixed` (a data value) keeps its
// pixel. The span is clamped so that repeated wheel turns never reach a range
// too narrow for doubles to tell apart, or an infinite one.
Axis zoom_about(const Axis& a, double fixed, double factor);
// Moves the range by `pixels` of a drag on the span p0..p1: the data under the
// mouse follows the mouse.
Axis pan(const Axis& a, double pixels, double p0, double p1);

// The finite (and, for a log axis, positive) values' extent; empty when none.
struct Extent {
    double lo = 0, hi = 0;
    bool empty = true;
    void add(double v, bool log);
    void add(const Extent& e);
};
Extent extent(std::span<const float> values, bool log);
// An axis showing `e` with a margin (a fraction of the span, in log units on a
// log axis). Never degenerate: a single value gets a window around it; an empty
// extent gives [0, 1] or, on a log axis, [1, 10].
Axis fit(const Extent& e, bool log, double margin = 0.05);

// Tick positions covering [lo, hi]: multiples of a 1-2-5 x 10^k step chosen to
// give about `target` ticks (a linear axis). Returns the step through `step`.
std::vector<double> linear_ticks(double lo, double hi, int target, double* step = nullptr);
// A log axis: the decades, with 2 and 5 x 10^k in between when the range is
// short, or every n-th decade when it is long. `minor` (optional) gets the
// unlabelled 2..9 x 10^k lines when they would not crowd.
std::vector<double> log_ticks(double lo, double hi, int target,
                              std::vector<double>* minor = nullptr);
// A label with as many decimals as the tick step needs ("0.25", "1500", "1e-05").
std::string tick_label(double value, double step);

// TensorBoard's smoothing: last = w*last + (1-w)*v, divided by 1 - w^n so the
// first points are not pulled toward 0. NaN (and inf) rows stay NaN and do not
// count. `weight` is clamped to [0, 0.999]. Writes values.size() outputs.
void ema(std::span<const float> values, double weight, std::vector<float>& out);

// Index of the x nearest `x` in increasing `xs` (the earlier one on a tie); -1 if empty.
template <typename T>
long nearest_index(std::span<const T> xs, double x);
// First index with xs[i] >= x, and one past the last with xs[i] <= x.
template <typename T>
size_t lower_index(std::span<const T> xs, double x);
template <typename T>
size_t upper_index(std::span<const T> xs, double x);

// A point to draw; y = NaN marks a break in the line.
struct Point {
    double x;
    double y;
};
// Points i0..i1-1 of (xs, ys) reduced to at most two per pixel column (the
// minimum and the maximum, in their original order) so that spikes survive,
// plus the range's first and last points so that the line ends where the data does. Columns are
// `columns` equal slices of [x_lo, x_hi]. Non-finite values break the line, unless `skip_gaps`
// (sparse measurements: connect the points that exist). When there are no more points than 2 *
// columns they are all kept. `out` is cleared and refilled.
template <typename T>
void decimate(std::span<const T> xs, std::span<const float> ys, size_t i0, size_t i1, double x_lo,
              double x_hi, int columns, bool skip_gaps, std::vector<Point>& out);

}  // namespace plotmath

}  // namespace ganvas::gui
