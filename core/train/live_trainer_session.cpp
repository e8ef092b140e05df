// LiveTrainer::Worker's session (train/live_trainer_worker.h): a new one built,
// a checkpoint opened, the run's history restored or saved, settings applied, and
// the last good checkpoint kept.
#include "train/live_trainer_worker.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ganvas {

// A new session for `c`; on failure the old one stays and the error is the notice.
bool LiveTrainer::Worker::build(const SessionConfig& c) {
    state = TrainerState::Loading;
    publish_now_hook();
    try {
        auto s = std::make_unique<Session>(c);
        session = std::move(s);
        config = c;
    } catch (const std::exception& e) {
        say_verbatim(e.what());
        state = session ? TrainerState::Paused : TrainerState::Failed;
        return false;
    }
    for (auto it = hyper_overrides.begin(); it != hyper_overrides.end();) {
        try {
            session->model().set_hyper_param(it->first, it->second);
            ++it;
        } catch (const std::invalid_argument&) {
            it = hyper_overrides.erase(it);  // a setting the new model does not have
        }
    }
    on_new_weights();
    state = TrainerState::Paused;
    ffd_probe.reset();
    return true;
}

// A `ganvas train` checkpoint with the session it was saved from, its weights and
// random state, and the curves of the metrics.csv beside it; `budget` more steps
// to train. On failure the old session stays and the error is the notice.
bool LiveTrainer::Worker::open_checkpoint(const std::string& path) {
    state = TrainerState::Loading;
    publish_now_hook();
    try {
        SessionConfig c = checkpoint_session_config(path);
        c.progress = config.progress;
        auto s = std::make_unique<Session>(c);
        s->load_checkpoint(path);
        session = std::move(s);
        config = c;
    } catch (const std::exception& e) {
        say(phrase("Could not open %s: %s", path, e.what()), true);
        state = session ? TrainerState::Paused : TrainerState::Failed;
        return false;
    }
    hyper_overrides.clear();  // the checkpoint's own settings hold
    ffd_probe.reset();
    on_new_weights();
    const int64_t step = session->steps_done();
    restore_history(std::filesystem::path(path).parent_path().string());
    opt.budget = step + steps_after_open;
    state = TrainerState::Paused;
    say(phrase("Opened %s at step %s.", path, std::to_string(step)));
    return true;
}

// The curves and sample grids of the run up to the session's step, from a run's
// folder (or an experiment's history folder), before the frame of this step.
void LiveTrainer::Worker::restore_history(const std::string& dir) {
    const int64_t step = session->steps_done();
    const Shape tile = samples.empty() ? Shape{} : samples.back()->images.shape();
    RunHistory history = read_run_history(dir, step, tile);
    metrics = std::make_shared<MetricHistory>(std::move(history.metrics));
    std::vector<std::shared_ptr<const SampleFrame>> restored;
    for (auto& grid : history.samples)
        if (grid.step < step)  // this step's frame is the live one, not its 8-bit copy
            restored.push_back(std::make_shared<const SampleFrame>(
                SampleFrame{grid.step, std::move(grid.images)}));
    restored.insert(restored.end(), samples.begin(), samples.end());
    // More than the window keeps: every k-th, the newest always, so the evolution stays.
    const size_t limit = static_cast<size_t>(std::max(opt.max_frames, 2));
    if (restored.size() > limit) {
        const size_t every = (restored.size() + limit - 2) / (limit - 1);
        std::vector<std::shared_ptr<const SampleFrame>> kept;
        for (size_t i = 0; i + 1 < restored.size(); i += every) kept.push_back(restored[i]);
        kept.push_back(restored.back());
        restored = std::move(kept);
    }
    samples = std::move(restored);
    dirty = true;
}

// The history beside a saved experiment, in a run folder's layout.
RunHistory LiveTrainer::Worker::history_to_save() const {
    RunHistory h;
    h.metrics = *metrics;
    for (auto& frame : samples) h.samples.push_back({frame->step, frame->images});
    return h;
}

void LiveTrainer::Worker::set_hyper(const std::string& name, double value) {
    if (!session) return;
    try {
        session->model().set_hyper_param(name, value);
        hyper_overrides[name] = value;
        dirty = true;
    } catch (const std::invalid_argument& e) {
        say_verbatim(e.what());
    }
}

// Histories restart at the session's step; layers and samples are measured afresh.
void LiveTrainer::Worker::on_new_weights() {
    metrics = std::make_shared<MetricHistory>();
    param_norms = std::make_shared<MetricHistory>();
    grad_norms = std::make_shared<MetricHistory>();
    samples.clear();
    alarm.clear();
    train_seconds = 0;
    steps_trained = 0;
    loop_seconds = 0;
    steps_per_second = 0;
    dataset = std::make_shared<const ImageDataset>(session->dataset());
    layers = std::make_shared<const std::vector<LayerRow>>(
        layer_table(session->model(), session->on_device(session->example_batch())));
    start_tensorboard_run();
    record_samples();
    record_norms();
    save_last_good();
    dirty = true;
}

bool LiveTrainer::Worker::weights_finite() {
    for (auto& [name, t] : session->model().state_dict()) {
        if (t.dtype() != DType::f32) continue;
        if (!first_non_finite(t).empty()) return false;
    }
    return true;
}

// Only finite weights count as good: a restore must never bring NaNs back.
void LiveTrainer::Worker::save_last_good() {
    if (!weights_finite()) return;
    try {
        std::filesystem::create_directories(opt.work_dir);
        session->save_checkpoint(last_good_path());
        last_good_step = session->steps_done();
    } catch (const std::exception& e) {
        say(phrase("Could not keep a last good checkpoint: %s", e.what()), true);
    }
}

}  // namespace ganvas
