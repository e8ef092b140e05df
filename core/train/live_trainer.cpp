#include "train/live_trainer.h"

#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <stdexcept>

#include "analysis/sample_quality.h"
#include "backend/cpu/thread_pool.h"
#include "ops/shape_ops.h"
#include "train/experiment_file.h"
#include "train/run_history.h"
#include "train/tensorboard_log.h"

namespace ganvas {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

// A copy on the host that the panels may read while the trainer goes on: the tensor
// read back from a device, or cloned on the CPU.
Tensor host_copy(const Tensor& t) {
    return t.device() == Device::cpu ? t.clone() : t.to(Device::cpu);
}

double l2_norm(const Tensor& t) {
    if (!t.defined()) return std::nan("");
    const std::vector<float> v = t.to_vector();  // read back from a device
    double s = 0;
    for (float x : v) s += double(x) * x;
    return std::sqrt(s);
}

}  // namespace

const char* trainer_state_name(TrainerState s) {
    switch (s) {
        case TrainerState::Loading:
            return "loading";
        case TrainerState::Paused:
            return "paused";
        case TrainerState::Running:
            return "running";
        case TrainerState::Finished:
            return "finished";
        case TrainerState::Failed:
            return "failed";
    }
    return "?";
}

// Everything the training thread owns. Only the thread touches it.
struct LiveTrainer::Worker : WorkerJob {
    SnapshotWorker<TrainerSnapshot>* out = nullptr;  // where snapshots go
    TrainerOptions opt;
    SessionConfig config;
    std::unique_ptr<Session> session;
    std::map<std::string, double> hyper_overrides;  // kept across reset()
    int64_t steps_after_open = 0;  // an opened checkpoint trains this many steps more
    TrainerState state = TrainerState::Loading;
    int64_t pending_steps = 0;
    std::string notice, alarm;
    bool notice_is_error = false;
    int64_t last_good_step = -1;
    double steps_per_second = 0, train_seconds = 0, loop_seconds = 0;

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

    void say(const std::string& text, bool error = false) {
        notice = text;
        notice_is_error = error;
        dirty = true;
    }

    // A new session for `c`; on failure the old one stays and the error is the notice.
    bool build(const SessionConfig& c) {
        state = TrainerState::Loading;
        publish_now_hook();
        try {
            auto s = std::make_unique<Session>(c);
            session = std::move(s);
            config = c;
        } catch (const std::exception& e) {
            say(e.what(), true);
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
    bool open_checkpoint(const std::string& path) {
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
            say("Could not open " + path + ": " + e.what(), true);
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
        say("Opened " + path + " at step " + std::to_string(step) + ".");
        return true;
    }

    // The curves and sample grids of the run up to the session's step, from a run's
    // folder (or an experiment's history folder), before the frame of this step.
    void restore_history(const std::string& dir) {
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
    RunHistory history_to_save() const {
        RunHistory h;
        h.metrics = *metrics;
        for (auto& frame : samples) h.samples.push_back({frame->step, frame->images});
        return h;
    }

    void set_hyper(const std::string& name, double value) {
        if (!session) return;
        try {
            session->model().set_hyper_param(name, value);
            hyper_overrides[name] = value;
            dirty = true;
        } catch (const std::invalid_argument& e) {
            say(e.what(), true);
        }
    }

    // Histories restart at the session's step; layers and samples are measured afresh.
    void on_new_weights() {
        metrics = std::make_shared<MetricHistory>();
        param_norms = std::make_shared<MetricHistory>();
        grad_norms = std::make_shared<MetricHistory>();
        samples.clear();
        alarm.clear();
        train_seconds = 0;
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

    // A session's own run folder, so a reset or a new model starts a new curve.
    void start_tensorboard_run() {
        tensorboard.reset();
        if (tensorboard_dir.empty() || !session) return;
        char stamp[32];
        const std::time_t now = std::time(nullptr);
        std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
        const std::string run =
            (std::filesystem::path(tensorboard_dir) / (config.model + "-" + stamp)).string();
        try {
            tensorboard = std::make_unique<TensorBoardRunLog>(run);
            tensorboard->settings(session->steps_done(), config, session->model());
            say("Logging to TensorBoard in " + run);
        } catch (const std::exception& e) {
            tensorboard_dir.clear();
            say(std::string("Not logging to TensorBoard: ") + e.what(), true);
        }
    }

    void log_to_tensorboard(const std::function<void(TensorBoardRunLog&)>& write) {
        if (!tensorboard) return;
        write(*tensorboard);
        if (const std::string error = tensorboard->take_error(); !error.empty()) say(error, true);
    }

    bool weights_finite() {
        for (auto& [name, t] : session->model().state_dict()) {
            if (t.dtype() != DType::f32) continue;
            if (!first_non_finite(t).empty()) return false;
        }
        return true;
    }

    // Only finite weights count as good: a restore must never bring NaNs back.
    void save_last_good() {
        if (!weights_finite()) return;
        try {
            std::filesystem::create_directories(opt.work_dir);
            session->save_checkpoint(last_good_path());
            last_good_step = session->steps_done();
        } catch (const std::exception& e) {
            say(std::string("could not keep a last good checkpoint: ") + e.what(), true);
        }
    }

    void record_samples() {
        record_views();
        if (!session->gan()) return;
        auto frame = std::make_shared<SampleFrame>();
        frame->step = session->steps_done();
        frame->images = session->fixed_samples();
        if (!samples.empty() && samples.back()->step == frame->step) samples.pop_back();
        samples.push_back(frame);
        // TensorBoard gets the grids of the sample interval, as `ganvas train` logs them,
        // not the extra ones a pause or a single step shows.
        if (frame->step % opt.sample_every == 0)
            log_to_tensorboard(
                [&](TensorBoardRunLog& log) { log.sample_grid(frame->step, frame->images); });
        if (static_cast<int>(samples.size()) > opt.max_frames) {
            // Keep the first and the newest; thin the middle so the whole evolution stays.
            std::vector<std::shared_ptr<const SampleFrame>> kept;
            for (size_t i = 0; i + 1 < samples.size(); i += 2) kept.push_back(samples[i]);
            kept.push_back(samples.back());
            samples = std::move(kept);
        }
    }

    void record_views() {
        const Tensor& images = session->dataset().images;
        const int64_t n = std::min<int64_t>(opt.view_examples, images.size(0));
        NamedTensors tensors =
            session->model().views(narrow(images, 0, 0, n).to(session->config().device));
        if (tensors.empty()) return views.reset();
        for (auto& [name, t] : tensors) t = t.to(Device::cpu);
        auto v = std::make_shared<ModelViews>();
        v->step = session->steps_done();
        v->tensors = std::move(tensors);
        views = v;
    }

    void record_norms() {
        const int64_t n = session->steps_done();
        if (!param_norms->steps.empty() && param_norms->steps.back() == n) return;
        StepStats params, grads;
        for (auto& [prefix, net] : session->model().networks())
            for (auto& [name, t] : net->named_parameters(prefix + ".")) {
                params.emplace_back(name, static_cast<float>(l2_norm(t)));
                grads.emplace_back(name, static_cast<float>(l2_norm(t.grad())));
            }
        param_norms->add(n, params);
        grad_norms->add(n, grads);
    }

    void measure_ffd() {
        try {
            if (!ffd_probe) {
                ffd_probe =
                    std::make_unique<SampleQuality>(load_classifier(default_classifier_path()),
                                                    load_dataset("fashion-mnist:test").images);
                ffd_noise = Rng(0xFFD).randn({opt.ffd_samples, session->gan()->z_dim()});
            }
            const Tensor samples =
                session->gan()->sample(ffd_noise.to(session->config().device)).to(Device::cpu);
            const auto ffd = static_cast<float>(ffd_probe->ffd(samples));
            metrics->set_last("ffd", ffd);
            log_to_tensorboard([&](TensorBoardRunLog& log) {
                log.step(session->steps_done(), {{"ffd", ffd}});
            });
        } catch (const std::exception& e) {
            opt.ffd_every = 0;
            say(std::string("FFD switched off: ") + e.what(), true);
        }
    }

    void step() {
        const auto t0 = Clock::now();
        StepStats stats = session->step();
        const double dt = seconds_since(t0);
        train_seconds += dt;
        steps_per_second =
            steps_per_second == 0 ? 1.0 / dt : 0.9 * steps_per_second + 0.1 * (1.0 / dt);
        const int64_t n = session->steps_done();
        metrics->add(n, stats);
        log_to_tensorboard([&](TensorBoardRunLog& log) { log.step(n, stats); });
        dirty = true;
        for (auto& [name, value] : stats)
            if (!std::isfinite(value)) {
                state = TrainerState::Paused;
                pending_steps = 0;
                alarm = "Step " + std::to_string(n) + ": " + name + " is " +
                        (std::isnan(value) ? "NaN" : "infinite") +
                        ". Training paused; the weights are no longer usable.";
                if (last_good_step >= 0)
                    alarm += " Restore goes back to step " + std::to_string(last_good_step) + ".";
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
            say("Reached the step budget of " + std::to_string(opt.budget) + " steps.");
        }
    }

    void run_now() {
        if (!session) return;
        if (!alarm.empty())
            return say("Training is stopped by a non-finite loss: restore or reset first.", true);
        if (session->steps_done() >= opt.budget)
            return say("The step budget of " + std::to_string(opt.budget) +
                       " steps is reached; raise it to train on.");
        state = TrainerState::Running;
        dirty = true;
    }

    void pause_now() {
        if (state == TrainerState::Running) state = TrainerState::Paused;
        pending_steps = 0;
        if (session) record_samples();
        dirty = true;
    }

    bool wants_step() const {
        return session && alarm.empty() && (state == TrainerState::Running || pending_steps > 0);
    }

    void publish_now_hook() { publish_snapshot(); }

    void publish_snapshot() {
        auto s = std::make_shared<TrainerSnapshot>();
        s->version = ++version;
        s->state = state;
        s->held = out->held();
        s->config = config;
        s->budget = opt.budget;
        s->steps_per_second = state == TrainerState::Running && !s->held ? steps_per_second : 0;
        s->train_seconds = train_seconds;
        s->loop_seconds = loop_seconds;
        s->threads = cpu::num_threads();
        s->ffd_every = opt.ffd_every;
        s->notice = notice;
        s->notice_is_error = notice_is_error;
        s->alarm = alarm;
        s->last_good_step = last_good_step;
        if (tensorboard)
            s->tensorboard_run = std::filesystem::path(tensorboard->path()).parent_path();
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
        progress.activity =
            std::string(trainer_state_name(state)) + ", " + config.model + " on " + config.data;
        out->report(progress);
        out->publish(std::move(s));
        dirty = false;
        last_publish = Clock::now();
    }

    // The worker's side: loading first, then a step per unit of work.
    void start() override {
        if (opt.threads > 0) cpu::set_num_threads(opt.threads);
        steps_after_open = opt.budget;
        bool ready = !opt.checkpoint.empty() && open_checkpoint(opt.checkpoint);
        if (!ready) ready = build(config);
        for (auto& [name, value] : opt.settings) set_hyper(name, value);
        if (ready && opt.start_running) state = TrainerState::Running;
    }

    bool wants_work() const override { return wants_step(); }

    void work() override {
        loop_start = Clock::now();
        stepped = true;
        try {
            step();
        } catch (const std::exception& e) {
            state = TrainerState::Paused;
            say(std::string("Training stopped: ") + e.what(), true);
        }
        if (pending_steps > 0 && --pending_steps == 0) {
            record_samples();
            record_norms();
        }
    }

    void publish(bool force, bool busy) override {
        if (force || (dirty && (!busy || seconds_since(last_publish) >= opt.publish_interval_s)))
            publish_snapshot();
        if (stepped) loop_seconds += seconds_since(loop_start);
        stepped = false;
    }

    void failed(const std::exception& e) override {
        if (state == TrainerState::Running) state = TrainerState::Paused;
        say(std::string("Training stopped: ") + e.what(), true);
    }

    Clock::time_point loop_start;
    bool stepped = false;  // a step in this round of the worker's loop: loop_seconds counts it
};

LiveTrainer::LiveTrainer(TrainerOptions options)
    : options_(std::move(options)), worker_("Session training"), job_(std::make_unique<Worker>()) {
    auto first = std::make_shared<TrainerSnapshot>();
    first->config = options_.config;
    first->budget = options_.budget;
    worker_.publish(first);
    job_->out = &worker_;
    job_->opt = options_;
    job_->config = options_.config;
    worker_.start(*job_);
}

LiveTrainer::~LiveTrainer() {
    worker_.stop();  // joins before the job it runs is destroyed
}

void LiveTrainer::enqueue(std::function<void(Worker&)> command) {
    worker_.post([this, command = std::move(command)] { command(*job_); });
}

void LiveTrainer::run() {
    enqueue([](Worker& w) { w.run_now(); });
}

void LiveTrainer::pause() {
    enqueue([](Worker& w) { w.pause_now(); });
}

void LiveTrainer::toggle_run() {
    enqueue([](Worker& w) {
        if (w.state == TrainerState::Running)
            w.pause_now();
        else
            w.run_now();
    });
}

void LiveTrainer::step_once() {
    enqueue([](Worker& w) {
        if (!w.session || !w.alarm.empty()) return;
        if (w.state == TrainerState::Running) w.state = TrainerState::Paused;
        if (w.state == TrainerState::Finished) w.state = TrainerState::Paused;
        w.pending_steps = 1;
    });
}

void LiveTrainer::reset() {
    enqueue([](Worker& w) {
        if (w.build(w.config))
            w.say("Reset: fresh weights from seed " + std::to_string(w.config.seed) + ".");
    });
}

void LiveTrainer::configure(const SessionConfig& config) {
    enqueue([config](Worker& w) {
        if (w.build(config))
            w.say("New session: " + config.model + " on " + config.data + ", batch " +
                  std::to_string(config.batch) + ", seed " + std::to_string(config.seed) + ".");
    });
}

void LiveTrainer::set_hyper(const std::string& name, double value) {
    enqueue([name, value](Worker& w) { w.set_hyper(name, value); });
}

void LiveTrainer::set_batch(int64_t batch) {
    enqueue([batch](Worker& w) {
        if (!w.session) return;
        try {
            w.session->set_batch(batch);
            w.config.batch = batch;
            w.save_last_good();  // so a restore never meets a checkpoint of another batch size
            w.dirty = true;
        } catch (const std::invalid_argument& e) {
            w.say(e.what(), true);
        }
    });
}

void LiveTrainer::set_budget(int64_t budget) {
    enqueue([budget](Worker& w) {
        if (budget < 0) return w.say("The step budget must not be negative.", true);
        w.opt.budget = budget;
        if (w.state == TrainerState::Finished && w.session && w.session->steps_done() < budget)
            w.state = TrainerState::Paused;
        w.dirty = true;
    });
}

void LiveTrainer::set_tensorboard(const std::string& log_dir) {
    enqueue([log_dir](Worker& w) {
        w.tensorboard_dir = log_dir;
        w.start_tensorboard_run();
        if (log_dir.empty()) w.say("Stopped logging to TensorBoard.");
        w.dirty = true;
    });
}

void LiveTrainer::set_ffd_every(int steps) {
    enqueue([steps](Worker& w) {
        w.opt.ffd_every = std::max(0, steps);
        w.dirty = true;
    });
}

void LiveTrainer::save_experiment(const std::string& path) {
    enqueue([path](Worker& w) {
        if (!w.session) return w.say("Nothing to save: no session is loaded.", true);
        try {
            Experiment e;
            e.config = w.config;
            e.budget = w.opt.budget;
            for (auto& h : w.session->model().hyper_params()) e.hyper[h.name] = h.value;
            e.checkpoint = checkpoint_path_for(path);
            e.history = history_path_for(path);
            if (auto dir = std::filesystem::path(path).parent_path(); !dir.empty())
                std::filesystem::create_directories(dir);
            w.session->save_checkpoint(e.checkpoint);
            write_run_history(e.history, w.history_to_save());
            write_experiment(path, e);
            w.say("Saved step " + std::to_string(w.session->steps_done()) + " to " + path + ".");
        } catch (const std::exception& e) {
            w.say(std::string("Save failed: ") + e.what(), true);
        }
    });
}

void LiveTrainer::load_experiment(const std::string& path) {
    enqueue([path](Worker& w) {
        try {
            Experiment e = read_experiment(path);
            // Load into a fresh session; the current one stays if anything fails.
            auto s = std::make_unique<Session>(e.config);
            s->load_checkpoint(e.checkpoint);
            for (auto& [name, value] : e.hyper) s->model().set_hyper_param(name, value);
            w.session = std::move(s);
            w.config = e.config;
            w.hyper_overrides = e.hyper;
            w.opt.budget = e.budget;
            w.ffd_probe.reset();
            w.on_new_weights();
            if (!e.history.empty()) w.restore_history(e.history);  // older files: weights only
            w.state = TrainerState::Paused;
            w.say("Loaded " + path + " at step " + std::to_string(w.session->steps_done()) + ".");
        } catch (const std::exception& e) {
            w.say(std::string("Load failed, nothing changed: ") + e.what(), true);
        }
    });
}

void LiveTrainer::open_checkpoint(const std::string& path) {
    enqueue([path](Worker& w) { w.open_checkpoint(path); });
}

void LiveTrainer::restore_last_good() {
    enqueue([](Worker& w) {
        if (!w.session || w.last_good_step < 0)
            return w.say("No good checkpoint to restore.", true);
        try {
            w.session->load_checkpoint(w.last_good_path());
            for (auto& [name, value] : w.hyper_overrides) {
                try {
                    w.session->model().set_hyper_param(name, value);
                } catch (const std::invalid_argument&) {
                }
            }
            const int64_t step = w.session->steps_done();
            w.metrics->truncate_after(step);
            w.param_norms->truncate_after(step);
            w.grad_norms->truncate_after(step);
            while (!w.samples.empty() && w.samples.back()->step > step) w.samples.pop_back();
            w.record_samples();
            w.alarm.clear();
            w.state = TrainerState::Paused;
            w.say("Restored the checkpoint of step " + std::to_string(step) +
                  ". Lower a learning rate before running again?");
        } catch (const std::exception& e) {
            w.say(std::string("Restore failed: ") + e.what(), true);
        }
    });
}

uint64_t LiveTrainer::generate(const Tensor& z, const Tensor& labels) {
    const uint64_t id = next_request_++;
    Tensor copy = z.clone();
    Tensor classes = labels.defined() ? labels.clone() : Tensor();
    enqueue([copy, classes, id](Worker& w) {
        if (!w.session || !w.session->gan()) return;
        try {
            auto frame = std::make_shared<SampleFrame>();
            frame->step = w.session->steps_done();
            GanModel* gan = w.session->gan();
            const Device device = w.session->config().device;
            frame->images =
                (classes.defined() ? gan->sample_classes(copy.to(device), classes.to(device))
                                   : gan->sample(copy.to(device)))
                    .to(Device::cpu);
            w.generated = frame;
            w.generated_request = id;
            w.dirty = true;
        } catch (const std::exception& e) {
            w.say(e.what(), true);
        }
    });
    return id;
}

uint64_t LiveTrainer::copy_weights() {
    const uint64_t id = next_request_++;
    enqueue([id](Worker& w) {
        if (!w.session) return;
        auto copy = std::make_shared<NamedTensors>();
        for (auto& [name, t] : w.session->model().state_dict())
            copy->emplace_back(name, host_copy(t));
        w.weights = copy;
        w.weights_request = id;
        w.dirty = true;
    });
    return id;
}

Tensor ModelViews::find(const std::string& name) const {
    for (auto& [n, t] : tensors)
        if (n == name) return t;
    return Tensor();
}

std::shared_ptr<const TrainerSnapshot> wait_for_snapshot(
    const LiveTrainer& trainer, const std::function<bool(const TrainerSnapshot&)>& done,
    double timeout_s) {
    const auto start = Clock::now();
    auto s = trainer.snapshot();
    while (!done(*s) && seconds_since(start) < timeout_s) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        s = trainer.snapshot();
    }
    return s;
}

}  // namespace ganvas
