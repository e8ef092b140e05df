// PriorLab: the stage-2 workbench behind the "VQ Stage 2" panel, on its own
// worker (train/worker.h).
//
// It loads a vqgan28 (or trains one first, train_stage1) and optionally a prior49,
// codes a slice of Fashion-MNIST
// with the VQGAN, trains the prior on those codes while measuring the held-out
// negative log-likelihood, and samples code grids position by position, decoding
// each partial grid so a window can show the image being written code by code.
// The UI sends commands and reads the newest immutable State; it never waits.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <cmath>

#include "data/dataset.h"
#include "models/prior49.h"
#include "models/prior_sampling.h"
#include "models/vqgan28.h"
#include "train/phrase.h"
#include "train/worker.h"

namespace ganvas {

struct PriorLabConfig {
    std::string vq_path;            // a vqgan28 checkpoint (required)
    std::string prior_path;         // a prior49 checkpoint; empty: a fresh prior to train here
    int64_t train_images = 10000;   // Fashion-MNIST train images coded for training
    int64_t heldout_images = 1000;  // test images coded for the held-out NLL
    int64_t eval_every = 50;        // steps between held-out measurements
    std::string data_dir = kFashionMnistDir;
};

// Stage 1 made in the lab when no vqgan28 is at hand: a vqgan28 with EMA codebook
// updates and dead-code restarts, which keep the whole codebook in use within a
// few hundred steps where plain codebook gradients collapse it to a couple of
// codes (README, "VQGAN, stage 1"). Written as a `ganvas train` run folder.
struct Stage1Config {
    std::string out_dir;  // gets checkpoint.safetensors and metrics.csv
    int64_t steps = 400;
    int64_t batch = 64;
    uint64_t seed = 0;
    std::string data = "fashion-mnist";
    int64_t dead_after = 20;  // steps unused before a code restarts on an encoder output
};

// Called after each stage-1 step with (step, its statistics); false stops the training.
using Stage1Progress = std::function<bool(int64_t step, const StepStats& stats)>;

// Trains stage 1 as `config` says and saves its checkpoint; returns the checkpoint's
// path, or "" when `keep_going` stopped it (then nothing is written). Throws
// std::runtime_error in one sentence naming the data or the folder.
std::string train_stage1(const Stage1Config& config, const Stage1Progress& keep_going);

class PriorLab : private WorkerJob {
public:
    struct State {
        int64_t version = 0;
        Phrase status;        // what the worker is doing, for a status line
        std::string error;    // the last failure, one sentence
        float progress = -1;  // 0..1 while loading, -1 otherwise
        bool ready = false;   // VQ and prior loaded, data coded
        bool training = false;
        bool stage1_training = false;  // train_stage1() at work (progress: its share done)
        int64_t stage1_step = 0, stage1_steps = 0;
        int64_t step = 0;
        std::vector<int64_t> steps;       // one per training step
        std::vector<float> train_bits;    // bits per code of each training batch
        std::vector<float> heldout_bits;  // NaN where not measured
        double last_heldout_bits = NAN, last_heldout_accuracy = NAN;

        // The grids being sampled: codes (N, 49) int64, decoded images (N, 1, 28, 28)
        // with the positions not yet written greyed out, the next position (49 = done).
        Tensor codes, images;
        int64_t position = 0, first_position = 0;
        bool sampling = false;
        // Of grid 0 at `candidates_position` (the position being written; once a grid
        // is done, the last one written, so the chart stays to look at).
        std::vector<CodeCandidate> candidates;
        int64_t candidates_position = -1;
        Tensor source;  // (1, 1, 28, 28) the real image being completed, else undefined
    };

    PriorLab();
    ~PriorLab();
    PriorLab(const PriorLab&) = delete;
    PriorLab& operator=(const PriorLab&) = delete;

    std::shared_ptr<const State> state() const;

    void load(const PriorLabConfig& config);
    // Trains stage 1 on the lab's thread (train_stage1), then loads `then` with the new
    // vqgan28 and a fresh prior: a prior learned on another VQGAN's codes means nothing.
    void train_stage1(const Stage1Config& stage1, PriorLabConfig then);
    void cancel_stage1();  // takes effect after the step in flight; nothing is saved
    void set_training(bool on);
    // Starts sampling n grids; `delay_s` between codes (0: as fast as possible).
    void generate(int64_t n, const SamplingOptions& options, uint64_t seed, double delay_s);
    // Completion of held-out image `index`: keep its top `keep_rows` rows of codes.
    void complete(int64_t index, int64_t keep_rows, int64_t n, const SamplingOptions& options,
                  uint64_t seed, double delay_s);
    void set_delay(double delay_s);
    int64_t heldout_count() const { return heldout_count_.load(); }
    BackgroundWorker& worker() { return worker_; }  // pause, hold while hidden, status

private:
    using Command = std::function<void()>;
    void post(Command c);
    void publish();  // copies the working state into a new snapshot
    bool wants_work() const override;
    WorkerClock::time_point next_work_at() const override;
    void work() override;
    void publish(bool force, bool busy) override;
    void failed(const std::exception& e) override;
    void do_load(const PriorLabConfig& config);
    void do_train_stage1(const Stage1Config& stage1, PriorLabConfig then);
    void train_step();
    void sample_step();
    void start_sampling(Tensor grids, int64_t first, int64_t n, const SamplingOptions& options,
                        uint64_t seed, double delay_s, Tensor source);
    void decode_current();

    std::atomic<int64_t> heldout_count_{0};
    std::atomic<bool> stage1_cancel_{false};

    // Worker-thread state.
    State work_;
    std::unique_ptr<VQAutoencoder28> vq_;
    std::unique_ptr<Prior49> prior_;
    Tensor train_codes_;     // (N, 1, 7, 7) whole floats
    Tensor heldout_codes_;   // (M, 1, 7, 7)
    Tensor heldout_images_;  // (M, 1, 28, 28)
    std::unique_ptr<Rng> batch_rng_;
    std::unique_ptr<CodeSampler> sampler_;
    double delay_s_ = 0.05;
    WorkerClock::time_point next_code_at_ = WorkerClock::now();
    bool unpublished_ = false;  // training steps not yet in a snapshot
    PriorLabConfig config_;
    SnapshotWorker<State> worker_;
};

}  // namespace ganvas
