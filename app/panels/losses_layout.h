// Which plot of the Losses tab each metric column goes to, and in which colour.
//
// A small table of plots, each naming the metric columns it holds, decides it,
// not the model's name: a minimax GAN's losses and D's outputs, a WGAN's
// critic statistics, a VQGAN's autoencoder terms, adversarial terms and
// codebook usage each get a plot of their own, and a column no plot names
// (a model's new statistic) goes to a last "Other metrics" plot. Within a plot
// no two series share a colour; a column Ganvas knows keeps its own colour
// where that is still free, so curves look the same from run to run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ganvas::gui {

struct MetricPlan {
    std::string id;     // "losses", "outputs", "critic", "gradient", "adversarial", ...
    std::string title;  // the plot's title
    float weight = 1;   // share of the tab's height
    bool log_allowed = true;
    bool y_include = false;            // a fitted y range keeps [0, 1] in view
    std::string help;                  // what the plot shows
    std::vector<size_t> columns;       // indices into the names planned
    std::vector<uint32_t> colours;     // ImU32 (IM_COL32), one per column
    std::vector<std::string> meaning;  // a sentence per column; "" for an unknown one
};

// The plots for metric columns `names`, in the tab's order; plots with no column are left out.
std::vector<MetricPlan> plan_metric_plots(const std::vector<std::string>& names);

// What the tab will plot for `model` (a SessionConfig's model name) once steps
// come in: the empty tab's promise, in that model's own words.
std::string losses_to_come(const std::string& model);

}  // namespace ganvas::gui
