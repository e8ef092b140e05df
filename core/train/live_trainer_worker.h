// LiveTrainer::Worker: the training thread's state, the job LiveTrainer's
// worker runs (train/live_trainer.h). Only the live_trainer*.cpp files include
// this; each holds one part of it:
//   live_trainer.cpp          the commands, queued for the thread (LiveTrainer's methods)
//   live_trainer_session.cpp  building, opening and restoring a session and its history
//   live_trainer_records.cpp  what a session records: samples, views, norms, FFD, TensorBoard
//   live_trainer_loop.cpp     the worker's loop: a step, run and pause, publishing snapshots
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analysis/sample_quality.h"
#include "train/live_trainer.h"
#include "train/run_history.h"
#include "train/tensorboard_log.h"

namespace ganvas {

// Seconds of the steady clock since t: the trainer's timings and timeouts.
inline double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// Everything the training thread owns. Only the thread touches it.
struct LiveTrainer::Worker : WorkerJob {
    using Clock = std::chrono::steady_clock;

    SnapshotWorker<TrainerSnapshot>* out = nullptr;  // where snapshots go
    TrainerOptions opt;
    SessionConfig config;
    std::unique_ptr<Session> session;
    std::map<std::string, double> hyper_overrides;  // kept across reset()
    int64_t steps_after_open = 0;  // an opened checkpoint trains this many steps more
    TrainerState state = TrainerState::Loading;
    int64_t pending_steps = 0;
    Phrase notice, alarm;  // alarm: why training paused itself; empty if fine
    bool notice_is_error = false;
    int64_t last_good_step = -1;
    double steps_per_second = 0, train_seconds = 0, loop_seconds = 0;
    int64_t steps_trained = 0;  // since the session was built, in train_seconds

    std::shared_ptr<MetricHistory> metrics, param_norms, grad_norms;
    std::vector<std::shared_ptr<const SampleFrame>> samples;
    std::shared_ptr<const SampleFrame> generated;
    uint64_t generated_request = 0;
    std::shared_ptr<const NamedTensors> weights;
    uint64_t weights_request = 0;
    std::shared_ptr<const std::vector<LayerRow>> layers;
    std::shared_ptr<const ImageDataset> dataset;
    std::shared_ptr<const ModelViews> views;

    std::unique_ptr<SampleQuality> ffd_probe;
    Tensor ffd_noise;
    std::string tensorboard_dir;  // the log folder; "" when not logging
    std::unique_ptr<TensorBoardRunLog> tensorboard;

    uint64_t version = 0;
    bool dirty = true;
    Clock::time_point last_publish = Clock::now();

    std::string last_good_path() const {
        return (std::filesystem::path(opt.work_dir) / "last_good.safetensors").string();
    }

    void say(Phrase text, bool error = false) {
        notice = std::move(text);
        notice_is_error = error;
        dirty = true;
    }
    // An error message from a library, which has no translation.
    void say_verbatim(std::string text, bool error = true) {
        say(verbatim(std::move(text)), error);
    }

    // live_trainer_session.cpp
    bool build(const SessionConfig& c);
    bool open_checkpoint(const std::string& path);
    void restore_history(const std::string& dir);
    RunHistory history_to_save() const;
    void set_hyper(const std::string& name, double value);
    void on_new_weights();
    bool weights_finite();
    void save_last_good();

    // live_trainer_records.cpp
    void start_tensorboard_run();
    void log_to_tensorboard(const std::function<void(TensorBoardRunLog&)>& write);
    void record_samples();
    void record_views();
    void record_norms();
    void measure_ffd();

    // live_trainer_loop.cpp
    void step();
    void run_now();
    void pause_now();
    bool wants_step() const {
        return session && alarm.empty() && (state == TrainerState::Running || pending_steps > 0);
    }
    void publish_now_hook() { publish_snapshot(); }
    void publish_snapshot();
    void start() override;
    bool wants_work() const override { return wants_step(); }
    void work() override;
    void publish(bool force, bool busy) override;
    void failed(const std::exception& e) override;

    Clock::time_point loop_start;
    bool stepped = false;  // a step in this round of the worker's loop: loop_seconds counts it
};

}  // namespace ganvas
