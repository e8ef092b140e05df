// The learned comparison: one small 2x super-resolution network per upsampling layer
// kind, trained side by side on the same batches (images area-downsampled 28 -> 14,
// the net upsamples back), on a background worker (train/worker.h) that publishes
// snapshots.
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <vector>

#include "analysis/checkerboard.h"
#include "data/dataset.h"
#include "nn/layers.h"
#include "nn/upsampling.h"
#include "train/worker.h"

namespace ganvas {

// conv 3x3 (1 -> C) + ReLU, a 2x upsampling layer (C -> C) + ReLU, conv 3x3 (C -> 1):
// (N, 1, h, w) -> (N, 1, 2h, 2w). Only the middle layer differs between kinds.
class SuperResolution2x : public Module {
public:
    SuperResolution2x(UpsamplerKind kind, int64_t channels, Rng& rng);
    Tensor forward(const Tensor& x) const;
    std::string type_name() const override { return "SuperResolution2x"; }

    UpsamplerKind kind;
    Conv2d head, tail;
    std::unique_ptr<ConvTranspose2d> transposed;  // kernel 3, stride 2: uneven overlap
    std::unique_ptr<ResizeConv2d> resize;
    std::unique_ptr<SubPixelConv2d> subpixel;
};

struct RaceSnapshot {
    int64_t step = 0;
    bool running = false, finished = false;
    std::vector<int64_t> steps;                            // when validation PSNR was measured
    std::array<std::vector<float>, kUpsamplerKinds> psnr;  // dB on the validation images
    float bicubic_psnr = 0;  // the same images by plain bicubic interpolation: the bar to beat
    Tensor low, high;        // (S, 1, 14, 14) inputs and (S, 1, 28, 28) targets shown
    std::array<Tensor, kUpsamplerKinds> outputs;  // (S, 1, 28, 28) each net's current output
};

struct RaceOptions {
    int64_t batch = 16, channels = 16, max_steps = 3000, eval_every = 25, shown = 6;
    int64_t validation = 128;  // the dataset's last images, never trained on
    double lr = 2e-3;
    uint64_t seed = 0;
};

class UpsamplerRace : private WorkerJob {
public:
    UpsamplerRace(std::shared_ptr<const ImageDataset> data, RaceOptions options = {});
    ~UpsamplerRace();  // stops and joins its worker
    UpsamplerRace(const UpsamplerRace&) = delete;
    UpsamplerRace& operator=(const UpsamplerRace&) = delete;

    void run();    // starts or resumes training on the worker
    void pause();  // the worker stops after its current step
    // From run() until the worker has published the state where it stopped.
    bool running() const { return running_; }
    std::shared_ptr<const RaceSnapshot> snapshot() const;
    BackgroundWorker& worker() { return worker_; }  // pause, hold while hidden, status

    // One training step of every net and, every eval_every steps, a published snapshot.
    // Public so tests can drive the race without running it (never while running).
    void step();

private:
    void evaluate_and_publish(bool running);
    void publish(bool running);
    bool wants_work() const override;
    void work() override;
    void publish(bool force, bool busy) override;
    void failed(const std::exception& e) override;

    std::shared_ptr<const ImageDataset> data_;
    RaceOptions opt_;
    Rng rng_;
    std::vector<std::unique_ptr<SuperResolution2x>> nets_;
    std::vector<std::unique_ptr<class Adam>> optims_;
    Tensor val_low_, val_high_;  // (V, 1, 14, 14), (V, 1, 28, 28)
    int64_t step_ = 0;
    RaceSnapshot history_;  // owned by the training side; copied out to publish
    bool wants_run_ = false, stepping_ = false;  // the worker's thread's

    std::atomic<bool> running_{false}, finished_{false};
    SnapshotWorker<RaceSnapshot> worker_;
};

// x (N, 1, H, W) -> (N, 1, H / 2, W / 2) by area averaging: the race's low-resolution input.
Tensor downsample_2x(const Tensor& x);

}  // namespace ganvas
