// A run's history on disk: the curves and sample grids that `ganvas train --out DIR`
// leaves in its folder (metrics.csv, samples_STEP.png), and that the window keeps
// beside a saved experiment in the same layout, so opening either brings back the
// whole run and not only its last weights.
#pragma once

#include <string>
#include <vector>

#include "tensor/tensor.h"
#include "train/metric_history.h"

namespace ganvas {

struct SavedSampleGrid {
    int64_t step = 0;
    Tensor images;  // (N, C, H, W) in [-1, 1]
};

struct RunHistory {
    MetricHistory metrics;
    std::vector<SavedSampleGrid> samples;  // oldest first
};

// "samples_STEP.png" -> STEP; -1 for any other name.
int64_t sample_grid_step(const std::string& filename);

// Reads DIR/metrics.csv (read_metrics_log) and every DIR/samples_STEP.png with
// STEP <= up_to_step, cut back into images of `tile` (N, C, H, W) as save_image_grid
// laid them out (8 a row, 2 pixels apart). A grid of another size, or an image that
// cannot be read, is left out: a run's history is shown as far as it is readable.
// `tile` empty: no sample grids (a model without them). A missing folder gives nothing.
RunHistory read_run_history(const std::string& dir, int64_t up_to_step, const Shape& tile);

// Writes `history` into DIR in the same layout, replacing what DIR held. The new
// history is written beside it first, so a failed write leaves the old one whole.
// Throws std::runtime_error naming the folder.
void write_run_history(const std::string& dir, const RunHistory& history);

}  // namespace ganvas
