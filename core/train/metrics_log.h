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

}  // namespace ganvas
