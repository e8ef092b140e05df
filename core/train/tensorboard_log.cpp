#include "train/tensorboard_log.h"

#include <cmath>
#include <cstdio>
#include <utility>

#include "io/image_png.h"

namespace ganvas {

TensorBoardRunLog::TensorBoardRunLog(const std::string& dir)
    : writer_(std::make_unique<TensorBoardWriter>(dir)) {}

template <typename Write>
void TensorBoardRunLog::guarded(Write write) {
    if (stopped_) return;
    try {
        write();
    } catch (const std::exception& e) {
        stopped_ = true;
        error_ = std::string("the TensorBoard log stopped: ") + e.what();
    }
}

std::string TensorBoardRunLog::take_error() {
    return std::exchange(error_, "");
}

std::string settings_markdown(const SessionConfig& config, const Model& model) {
    std::string text = "| setting | value |\n|---|---|\n";
    auto row = [&](const std::string& name, const std::string& value) {
        text += "| " + name + " | " + value + " |\n";
    };
    row("model", config.model);
    row("data", config.data);
    row("batch", std::to_string(config.batch));
    row("seed", std::to_string(config.seed));
    if (!config.vq.empty()) row("vq", config.vq);
    for (const HyperParam& h : model.hyper_params()) {
        char value[32];
        std::snprintf(value, sizeof value, "%.6g", h.value);
        row(h.name, value);
    }
    return text;
}

void TensorBoardRunLog::settings(int64_t step, const SessionConfig& config, const Model& model) {
    guarded([&] { writer_->add_text("settings", step, settings_markdown(config, model)); });
}

void TensorBoardRunLog::step(int64_t step, const StepStats& stats) {
    StepStats finite;
    for (const auto& entry : stats)
        if (std::isfinite(entry.second)) finite.push_back(entry);
    if (finite.empty()) return;
    guarded([&] { writer_->add_scalars(step, finite); });
}

void TensorBoardRunLog::png(int64_t step, const std::string& tag, const std::string& png) {
    guarded([&] { writer_->add_png(tag, step, png); });
}

void TensorBoardRunLog::sample_grid(int64_t step, const Tensor& images) {
    guarded([&] {
        const Tensor grid = make_grid(images, 8);  // (C, H', W')
        const std::vector<uint8_t> bytes = to_interleaved_bytes(grid);
        const int channels = static_cast<int>(grid.size(0));
        writer_->add_png("samples", step,
                         encode_png(static_cast<int>(grid.size(2)), static_cast<int>(grid.size(1)),
                                    channels, bytes.data()));
    });
}

void TensorBoardRunLog::flush() {
    guarded([&] { writer_->flush(); });
}

}  // namespace ganvas
