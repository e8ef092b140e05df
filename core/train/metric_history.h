// MetricHistory: named series over training steps, for plots. Columns appear
// as statistics first show up; a row without a value holds NaN, which plots skip.
#pragma once

#include <string>
#include <vector>

#include "models/model.h"

namespace ganvas {

struct MetricHistory {
    std::vector<std::string> names;
    std::vector<int64_t> steps;               // one per row, increasing
    std::vector<std::vector<float>> columns;  // columns[c][row]

    size_t rows() const { return steps.size(); }
    // Appends a row at `step`; a name seen for the first time gets a new column.
    void add(int64_t step, const StepStats& stats);
    // Sets `name` in the newest row (a measurement that comes after the step's own statistics).
    void set_last(const std::string& name, float value);
    // Drops rows after `step` (a restored checkpoint continues from there).
    void truncate_after(int64_t step);
    // nullptr when there is no such column.
    const std::vector<float>* column(const std::string& name) const;
};

}  // namespace ganvas
