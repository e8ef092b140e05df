// TensorBoardRunLog: what a training run logs to TensorBoard, for `ganvas train
// --tensorboard DIR` and the window's "Log to TensorBoard": every statistic of a step
// as a scalar named as its metrics.csv column, the sample grids as PNG images, the FFD
// when measured, and the settings as a text summary.
//
// The log is a by-product of training: a write that fails (a full disk) stops the
// log, with the reason kept for the caller to say once, and never the run.
#pragma once

#include <memory>
#include <string>

#include "data/tensorboard_writer.h"
#include "models/model.h"
#include "train/session.h"

namespace ganvas {

class TensorBoardRunLog {
public:
    // A new event file in `dir` (created if missing); throws std::runtime_error naming it.
    explicit TensorBoardRunLog(const std::string& dir);

    // The session and the model's settings, as a Markdown table at `step`.
    void settings(int64_t step, const SessionConfig& config, const Model& model);
    // Every finite statistic of the step, in one event.
    void step(int64_t step, const StepStats& stats);
    // A PNG file's bytes under `tag`.
    void png(int64_t step, const std::string& tag, const std::string& png);
    // Images (N, C, H, W) in [-1, 1] as one grid, 8 a row, under "samples".
    void sample_grid(int64_t step, const Tensor& images);
    void flush();  // durable on disk: at checkpoints

    const std::string& path() const { return writer_->path(); }
    // The write error that stopped the log, once ("" if none, or already taken).
    std::string take_error();

private:
    template <typename Write>
    void guarded(Write write);

    std::unique_ptr<TensorBoardWriter> writer_;
    bool stopped_ = false;
    std::string error_;
};

// The settings text settings() writes: "| setting | value |" rows of the session
// (model, data, batch, seed, VQGAN) and every model setting.
std::string settings_markdown(const SessionConfig& config, const Model& model);

}  // namespace ganvas
