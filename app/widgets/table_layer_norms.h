// Per-layer views of the per-tensor norm histories (‖θ‖ and ‖∂L/∂θ‖ every few
// steps) that the Model tab's layer table plots. Pure data; no ImGui.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "train/metric_history.h"

namespace ganvas::gui {

// The columns of `names` ("G.up1.weight", ...) that hold tensors of `layer` ("G.up1")
// or of its children: a network's row ("G") covers every tensor of the network.
std::vector<size_t> columns_under(const std::vector<std::string>& names, const std::string& layer);

// Row by row, the root of the sum of squares of `columns`: the norm of all those
// tensors taken as one vector. A NaN column (a tensor that got no gradient) is
// left out; a row where every column is NaN, or no column at all, is NaN.
std::vector<float> combined_norm(const MetricHistory& history, const std::vector<size_t>& columns);

// numerator / denominator, element by element; NaN where either is NaN or the
// denominator is not positive (a ratio to a zero norm says nothing).
std::vector<float> norm_ratio(const std::vector<float>& numerator,
                              const std::vector<float>& denominator);

// A series ready for ImGui::PlotLines, which cannot skip gaps: only the finite
// points, with their steps. On a log scale values are log10 and non-positive
// ones are dropped too. min/max are of the kept (plotted) values; 0 when empty.
struct SparkSeries {
    std::vector<float> values;
    std::vector<int64_t> steps;
    float min = 0, max = 0;
    bool empty() const { return values.empty(); }
};
SparkSeries spark_series(const std::vector<float>& values, const std::vector<int64_t>& steps,
                         bool log_scale);

// What a plotted value means on the chart's axis: itself, or 10^v on a log scale.
double axis_value(float plotted, bool log_scale);

// "G.up1.weight" under "G.up1" -> "weight"; a child's tensor keeps its path: "c.weight".
std::string tensor_label(const std::string& tensor, const std::string& layer);

// "G.up1" -> "up1": what a tree row shows beneath its parent.
std::string leaf_name(const std::string& layer);

// The newest entry, NaN when there is none.
float latest(const std::vector<float>& values);

}  // namespace ganvas::gui
