// Plot: a small line-plot widget for training curves (no ImPlot is packaged).
//
// Two layers. The coordinate maths is namespace plotmath (widgets/plot_math.h),
// plain functions tested without ImGui. Class Plot draws with ImGui and owns one plot's view state
// (zoom, hidden series) and caches (smoothed copies, decimated points) so that a frame over
// 20k-point series costs little more than the pixels it draws.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "widgets/plot_math.h"

namespace ganvas::gui {

// One line of a plot. The spans are borrowed for the frame: keep their owner alive
// (the Losses panel holds the MetricHistory's shared_ptr), which also makes the
// data's address a safe cache key.
struct PlotSeries {
    std::string name;
    ImU32 colour = IM_COL32(80, 160, 230, 255);
    std::span<const int64_t> steps;  // x as steps, or
    std::span<const double> xs;      // x as numbers (used when steps is empty)
    std::span<const float> values;   // one per x; NaN: no value
    // NaN rows are steps without a measurement: connect over them, mark the points,
    // and do not smooth (a few measurements far apart are not a noisy stream).
    bool sparse = false;
    std::string help;  // tooltip on the legend entry
    size_t size() const {
        return std::min(values.size(), steps.empty() ? xs.size() : steps.size());
    }
    double x(size_t i) const { return steps.empty() ? xs[i] : static_cast<double>(steps[i]); }
};

struct ReferenceLine {
    double y = 0;
    std::string label;  // drawn at the right end, above the line
};

struct PlotOptions {
    double smoothing = 0;  // 0..0.99; > 0 draws the raw series faint behind the smoothed one
    bool log_y = false;    // non-positive values are not drawn
    float scale = 1;       // ui_scale
    const char* x_label = nullptr;  // nullptr: "step" in the window's language
    std::vector<ReferenceLine> references;
    // When set, a fitted y range always includes [y_include_lo, y_include_hi]
    // (for probabilities: [0, 1]).
    bool y_include = false;
    double y_include_lo = 0, y_include_hi = 1;
    std::string help;  // tooltip on the title
};

// Columns aligned by x: the header "step,NAME,...", then one row per distinct x
// over all series (ascending), empty cells where a series has no value there.
void write_csv(std::ostream& out, std::span<const PlotSeries> series);

class Plot {
public:
    // Draws a title/legend row and the plot, filling `size` (0 = the available
    // width or height). Returns true when the user picked "Export CSV" from the
    // plot's context menu.
    bool draw(const char* title, std::span<const PlotSeries> series, const PlotOptions& options,
              ImVec2 size);
    // Shows all the data again and follows new steps (as a double-click does).
    void fit() { follow_ = true; }
    bool following() const { return follow_; }
    bool hidden(const std::string& name) const;

private:
    struct Cache {
        const float* data = nullptr;  // identity of the series' values
        size_t n = 0;
        double smoothing = -1;
        std::vector<float> smoothed;
        plotmath::Extent raw_extent, smooth_extent;  // for fitting y
        bool log = false;
        // The last decimation, reused while neither the data nor the view change.
        double view_lo = 0, view_hi = 0;
        int columns = 0;
        std::vector<plotmath::Point> raw_points, smooth_points;
    };
    void update_cache(Cache& c, const PlotSeries& s, const PlotOptions& o);
    void fit_now(std::span<const PlotSeries> series, const PlotOptions& o);
    // The title and the legend, wrapping onto further rows at `right` (screen x).
    void draw_legend(const char* title, std::span<const PlotSeries> series, const PlotOptions& o,
                     float right);
    void handle_input(ImVec2 p0, ImVec2 p1, bool hovered);
    bool draw_menu();
    void draw_axes(ImDrawList* dl, ImVec2 origin, ImVec2 p0, ImVec2 p1, bool integral_x,
                   const PlotOptions& o);
    void draw_reference_labels(ImDrawList* dl, ImVec2 p0, ImVec2 p1, const PlotOptions& o);
    void draw_series(ImDrawList* dl, ImVec2 p0, ImVec2 p1, std::span<const PlotSeries> series,
                     const PlotOptions& o);
    void draw_hover(ImDrawList* dl, ImVec2 p0, ImVec2 p1, std::span<const PlotSeries> series,
                    const PlotOptions& o);

    plotmath::Axis x_, y_;
    bool follow_ = true;
    bool log_y_ = false;
    double last_x_ = 0;  // the data's newest x last frame: a drop means a reset, so follow again
    std::vector<std::string> hidden_;
    std::vector<Cache> caches_;
    std::vector<ImVec2> scratch_;  // pixel points, reused every frame
    float label_w_ = 0;            // the y labels' width last frame (input comes before layout)
};

}  // namespace ganvas::gui
