#include "train/metric_history.h"

#include <algorithm>
#include <limits>

namespace ganvas {

void MetricHistory::add(int64_t step, const StepStats& stats) {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    steps.push_back(step);
    for (auto& c : columns) c.push_back(nan);
    for (auto& [name, value] : stats) {
        auto it = std::find(names.begin(), names.end(), name);
        if (it == names.end()) {
            names.push_back(name);
            columns.emplace_back(steps.size(), nan);
            it = names.end() - 1;
        }
        columns[it - names.begin()].back() = value;
    }
}

void MetricHistory::set_last(const std::string& name, float value) {
    if (steps.empty()) return;
    auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) {
        names.push_back(name);
        columns.emplace_back(steps.size(), std::numeric_limits<float>::quiet_NaN());
        it = names.end() - 1;
    }
    columns[it - names.begin()].back() = value;
}

void MetricHistory::truncate_after(int64_t step) {
    const size_t keep = std::upper_bound(steps.begin(), steps.end(), step) - steps.begin();
    steps.resize(keep);
    for (auto& c : columns) c.resize(keep);
}

const std::vector<float>* MetricHistory::column(const std::string& name) const {
    auto it = std::find(names.begin(), names.end(), name);
    return it == names.end() ? nullptr : &columns[it - names.begin()];
}

}  // namespace ganvas
