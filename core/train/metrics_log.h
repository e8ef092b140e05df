// metrics.csv: one row per training step, one column per statistic.
//
// Columns are fixed by the first row (plus any `sparse` columns named up
// front, such as an FFD measured every K steps), so a statistic missing from
// a row is an empty cell. On resume, rows past the checkpoint's step (written
// by a run that stopped after its last checkpoint) are dropped.
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include "models/model.h"
#include "train/metric_history.h"

namespace ganvas {

class MetricsLog {
public:
    MetricsLog(const std::string& path, int64_t resume_step, std::vector<std::string> sparse = {});

    void add(int64_t step, const StepStats& stats, double elapsed_s);
    void flush() { out_.flush(); }

private:
    std::string path_;
    std::ofstream out_;
    std::vector<std::string>
        columns_;  // between "step" and "elapsed_s"; empty until the header is known
    std::vector<std::string> sparse_;
};

// The rows of a metrics.csv up to `up_to_step`, as the window's plots hold them
// (elapsed_s left out, empty cells NaN). A missing file gives an empty history;
// a row that is not numbers is skipped.
MetricHistory read_metrics_log(const std::string& path, int64_t up_to_step);

}  // namespace ganvas
