// LiveTrainer::Worker's loop (train/live_trainer_worker.h): loading first, then a
// step per unit of work while running, and a snapshot published after it.
#include "train/live_trainer_worker.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>
#include <string>

#include "backend/cpu/thread_pool.h"

namespace ganvas {
namespace {

// The session's job as the status bar's tooltip says it: "running, dcgan28 on
// fashion-mnist". A pattern for each state, so each reads whole in Chinese.
Phrase activity_of(TrainerState state, const std::string& model, const std::string& data) {
    switch (state) {
        case TrainerState::Loading:
            return phrase("loading, %s on %s", model, data);
        case TrainerState::Paused:
            return phrase("paused, %s on %s", model, data);
        case TrainerState::Running:
            return phrase("running, %s on %s", model, data);
        case TrainerState::Finished:
            return phrase("finished, %s on %s", model, data);
        case TrainerState::Failed:
            return phrase("failed, %s on %s", model, data);
    }
    return verbatim(model + " on " + data);
}

}  // namespace

void LiveTrainer::Worker::step() {
    const auto t0 = Clock::now();
    StepStats stats = session->step();
    const double dt = seconds_since(t0);
    train_seconds += dt;
    ++steps_trained;
    steps_per_second = steps_per_second == 0 ? 1.0 / dt : 0.9 * steps_per_second + 0.1 * (1.0 / dt);
    const int64_t n = session->steps_done();
    metrics->add(n, stats);
    log_to_tensorboard([&](TensorBoardRunLog& log) { log.step(n, stats); });
    dirty = true;
    for (auto& [name, value] : stats)
        if (!std::isfinite(value)) {
            state = TrainerState::Paused;
            pending_steps = 0;
            // The value as a word: NaN and inf read the same in every language.
            const std::string step = std::to_string(n), what = std::isnan(value) ? "NaN" : "inf";
            alarm = last_good_step < 0
                        ? phrase(
                              "Step %s: %s is %s. Training paused; the weights are no longer "
                              "usable.",
                              step, name, what)
                        : phrase(
                              "Step %s: %s is %s. Training paused; the weights are no longer "
                              "usable. Restore goes back to step %s.",
                              step, name, what, std::to_string(last_good_step));
            record_norms();
            return;
        }
    if (n % opt.stats_every == 0) record_norms();
    if (n % opt.sample_every == 0) record_samples();
    if (opt.ffd_every > 0 && session->gan() && n % opt.ffd_every == 0) measure_ffd();
    if (n % opt.good_every == 0) save_last_good();
    if (n >= opt.budget && state == TrainerState::Running) {
        state = TrainerState::Finished;
        record_samples();
        say(phrase("Reached the step budget of %s steps.", std::to_string(opt.budget)));
    }
}

void LiveTrainer::Worker::run_now() {
    if (!session) return;
    if (!alarm.empty())
        return say(phrase("Training is stopped by a non-finite loss: restore or reset first."),
                   true);
    if (session->steps_done() >= opt.budget)
        return say(phrase("The step budget of %s steps is reached; raise it to train on.",
                          std::to_string(opt.budget)));
    state = TrainerState::Running;
    dirty = true;
}

void LiveTrainer::Worker::pause_now() {
    if (state == TrainerState::Running) state = TrainerState::Paused;
    pending_steps = 0;
    if (session) record_samples();
    dirty = true;
}

void LiveTrainer::Worker::publish_snapshot() {
    auto s = std::make_shared<TrainerSnapshot>();
    s->version = ++version;
    s->state = state;
    s->held = out->held();
    s->config = config;
    s->budget = opt.budget;
    s->steps_per_second = state == TrainerState::Running && !s->held ? steps_per_second : 0;
    s->train_seconds = train_seconds;
    s->steps_trained = steps_trained;
    s->loop_seconds = loop_seconds;
    s->threads = cpu::num_threads();
    s->ffd_every = opt.ffd_every;
    s->notice = notice;
    s->notice_is_error = notice_is_error;
    s->alarm = alarm;
    s->last_good_step = last_good_step;
    if (tensorboard) s->tensorboard_run = std::filesystem::path(tensorboard->path()).parent_path();
    if (session) {
        s->step = session->steps_done();
        s->hyper_params = session->model().hyper_params();
        s->fixed_noise = session->fixed_noise();
        s->classes = session->gan() ? session->gan()->num_classes() : 0;
        s->metrics = std::make_shared<const MetricHistory>(*metrics);
        s->param_norms = std::make_shared<const MetricHistory>(*param_norms);
        s->grad_norms = std::make_shared<const MetricHistory>(*grad_norms);
    }
    s->samples = samples;
    s->generated = generated;
    s->generated_request = generated_request;
    s->layers = layers;
    s->weights = weights;
    s->weights_request = weights_request;
    s->dataset = dataset;
    s->views = views;
    WorkerProgress progress;
    progress.steps = s->step;
    progress.fraction = s->budget > 0 ? std::min(1.0f, float(s->step) / float(s->budget)) : -1;
    progress.activity = activity_of(state, config.model, config.data);
    out->report(progress);
    out->publish(std::move(s));
    dirty = false;
    last_publish = Clock::now();
}

// The worker's side: loading first, then a step per unit of work.
void LiveTrainer::Worker::start() {
    if (opt.threads > 0) cpu::set_num_threads(opt.threads);
    steps_after_open = opt.budget;
    bool ready = !opt.checkpoint.empty() && open_checkpoint(opt.checkpoint);
    if (!ready) ready = build(config);
    for (auto& [name, value] : opt.settings) set_hyper(name, value);
    if (ready && opt.start_running) state = TrainerState::Running;
}

void LiveTrainer::Worker::work() {
    loop_start = Clock::now();
    stepped = true;
    try {
        step();
    } catch (const std::exception& e) {
        state = TrainerState::Paused;
        say(phrase("Training stopped: %s", e.what()), true);
    }
    if (pending_steps > 0 && --pending_steps == 0) {
        record_samples();
        record_norms();
    }
}

void LiveTrainer::Worker::publish(bool force, bool busy) {
    if (force || (dirty && (!busy || seconds_since(last_publish) >= opt.publish_interval_s)))
        publish_snapshot();
    if (stepped) loop_seconds += seconds_since(loop_start);
    stepped = false;
}

void LiveTrainer::Worker::failed(const std::exception& e) {
    if (state == TrainerState::Running) state = TrainerState::Paused;
    say(phrase("Training stopped: %s", e.what()), true);
}

}  // namespace ganvas
