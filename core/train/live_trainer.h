// LiveTrainer: a Session trained on its own worker (train/worker.h), steered by
// commands and watched through immutable snapshots — the window's view of training.
//
// Commands (run, pause, step once, change a setting, save, ...) are queued and
// applied by the worker's thread between steps, so a step never sees a
// half-changed model. After steps or commands the thread publishes a snapshot
// (at most every publish_interval_s while running); the UI takes the newest
// one each frame and never waits for a step to finish.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "train/layer_table.h"
#include "train/metric_history.h"
#include "train/phrase.h"
#include "train/session.h"
#include "train/worker.h"

namespace ganvas {

struct SampleFrame {
    int64_t step = 0;
    Tensor images;  // (N, 1, 28, 28) in [-1, 1]
};

// A model's views (Model::views) at one step; find() gives an undefined Tensor if absent.
struct ModelViews {
    int64_t step = 0;
    NamedTensors tensors;
    Tensor find(const std::string& name) const;
};

enum class TrainerState { Loading, Paused, Running, Finished, Failed };
const char* trainer_state_name(TrainerState s);

struct TrainerSnapshot {
    uint64_t version = 0;  // grows with every publish
    TrainerState state = TrainerState::Loading;
    bool held = false;  // its worker is paused (the status bar): no steps, `state` kept
    SessionConfig config;
    int64_t step = 0;
    int64_t budget = 0;           // Run stops here (Finished)
    double steps_per_second = 0;  // smoothed over recent running steps
    double train_seconds = 0;     // time inside Session::step() since the session was built
    int64_t steps_trained = 0;    // and the steps run in that time
    double loop_seconds = 0;      // wall time of training iterations: steps plus sampling,
                                  // norms, checkpoints and publishing
    int threads = 1;
    std::vector<HyperParam> hyper_params;
    int ffd_every = 0;  // 0: off
    Phrase notice;      // result of the latest command (english() for a log, tr_phrase() to show)
    bool notice_is_error = false;
    Phrase alarm;                 // why training paused itself (a non-finite loss); empty if fine
    int64_t last_good_step = -1;  // where restore_last_good() goes back to; -1: none yet
    std::string tensorboard_run;  // the folder the session logs to TensorBoard; "": none

    std::shared_ptr<const MetricHistory> metrics;      // every step: the model's statistics, "ffd"
    std::shared_ptr<const MetricHistory> param_norms;  // every stats_every steps: ‖θ‖ per tensor
    std::shared_ptr<const MetricHistory> grad_norms;  // and ‖∂L/∂θ‖ of the last step
    std::vector<std::shared_ptr<const SampleFrame>> samples;  // fixed-noise grids, oldest first
    Tensor fixed_noise;                                       // (64, z_dim), GANs only
    int64_t classes =
        0;  // a conditional generator's classes (a grid row each, up to 32); 0 if none
    std::shared_ptr<const SampleFrame> generated;  // the answer to the latest generate()
    uint64_t generated_request = 0;                // and which request it answers
    std::shared_ptr<const std::vector<LayerRow>> layers;
    std::shared_ptr<const ImageDataset> dataset;  // read-only, shares the session's data
    std::shared_ptr<const NamedTensors> weights;  // the answer to the latest copy_weights()
    uint64_t weights_request = 0;                 // and which request it answers
    std::shared_ptr<const ModelViews> views;      // with each sample grid; null if none
};

struct TrainerOptions {
    SessionConfig config;
    std::string work_dir;   // holds the last good checkpoint; created if missing
    int64_t budget = 3000;  // with `checkpoint`: steps beyond the checkpoint's
    bool start_running = false;
    std::string checkpoint;  // a `ganvas train` checkpoint to open first; "": a fresh `config`
    std::vector<std::pair<std::string, double>> settings;  // model settings to apply first
    int threads = 0;                                       // 0: every core
    int sample_every = 25;   // steps between saved sample grids (and model views)
    int view_examples = 16;  // images of the data the model's views are computed from
    int stats_every = 10;    // steps between parameter/gradient norms
    int good_every = 200;    // steps between last-good checkpoints
    int max_frames = 400;    // sample grids kept; beyond it every other one is dropped
    int ffd_every = 0;
    int ffd_samples = 1000;
    double publish_interval_s = 1.0 / 30;
};

class LiveTrainer {
public:
    explicit LiveTrainer(TrainerOptions options);  // starts the thread; loading happens there
    ~LiveTrainer();                                // stops after the current step and joins
    LiveTrainer(const LiveTrainer&) = delete;
    LiveTrainer& operator=(const LiveTrainer&) = delete;

    std::shared_ptr<const TrainerSnapshot> snapshot() const { return worker_.latest(); }
    // Its worker: pause, status (the status bar reaches it through the registry).
    BackgroundWorker& worker() { return worker_; }

    void run();
    void pause();
    void toggle_run();
    void step_once();
    void reset();                                 // fresh weights from the same seed and config
    void configure(const SessionConfig& config);  // a new session (model, data, batch, seed)
    void set_hyper(const std::string& name, double value);
    void set_batch(int64_t batch);
    void set_budget(int64_t budget);
    void set_ffd_every(int steps);
    // Logs the session to TensorBoard (train/tensorboard_log.h) in a new run folder
    // under `log_dir`, MODEL-YYYYMMDD-HHMMSS, and each new session in another; "" stops.
    void set_tensorboard(const std::string& log_dir);
    void save_experiment(const std::string& path);
    void load_experiment(const std::string& path);
    void restore_last_good();
    // Opens a `ganvas train` checkpoint as its own session, with the metrics.csv beside it.
    void open_checkpoint(const std::string& path);
    // Generator output for z (N, z_dim), and for a conditional generator the classes
    // `labels` (N,) int64 (undefined: its classes in turn); answered in
    // snapshot().generated. Returns the request id.
    uint64_t generate(const Tensor& z, const Tensor& labels = {});
    // A copy of the model's weights and buffers at this step, for analyses that run
    // the live network elsewhere (the effective receptive field); answered in
    // snapshot().weights. Returns the request id.
    uint64_t copy_weights();

private:
    struct Worker;  // the training thread's state: the job its worker runs
    void enqueue(std::function<void(Worker&)> command);

    TrainerOptions options_;
    std::atomic<uint64_t> next_request_{1};
    SnapshotWorker<TrainerSnapshot> worker_;
    std::unique_ptr<Worker> job_;
};

// Polls snapshots until `done` holds or `timeout_s` passes; returns the last one seen.
std::shared_ptr<const TrainerSnapshot> wait_for_snapshot(
    const LiveTrainer& trainer, const std::function<bool(const TrainerSnapshot&)>& done,
    double timeout_s);

}  // namespace ganvas
