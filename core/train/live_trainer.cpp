// LiveTrainer's commands (train/live_trainer.h): each is queued for the training
// thread, which applies it between steps (train/live_trainer_worker.h).
#include "train/live_trainer.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "train/experiment_file.h"
#include "train/live_trainer_worker.h"
#include "train/run_history.h"

namespace ganvas {
namespace {

using Clock = std::chrono::steady_clock;

// A copy on the host that the panels may read while the trainer goes on: the tensor
// read back from a device, or cloned on the CPU.
Tensor host_copy(const Tensor& t) {
    return t.device() == Device::cpu ? t.clone() : t.to(Device::cpu);
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
            w.say(phrase("Reset: fresh weights from seed %s.", std::to_string(w.config.seed)));
    });
}

void LiveTrainer::configure(const SessionConfig& config) {
    enqueue([config](Worker& w) {
        if (w.build(config))
            w.say(phrase("New session: %s on %s, batch %s, seed %s.", config.model, config.data,
                         std::to_string(config.batch), std::to_string(config.seed)));
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
            w.say_verbatim(e.what());
        }
    });
}

void LiveTrainer::set_budget(int64_t budget) {
    enqueue([budget](Worker& w) {
        if (budget < 0) return w.say(phrase("The step budget must not be negative."), true);
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
        if (log_dir.empty()) w.say(phrase("Stopped logging to TensorBoard."));
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
        if (!w.session) return w.say(phrase("Nothing to save: no session is loaded."), true);
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
            w.say(phrase("Saved step %s to %s.", std::to_string(w.session->steps_done()), path));
        } catch (const std::exception& e) {
            w.say(phrase("Save failed: %s", e.what()), true);
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
            w.say(phrase("Loaded %s at step %s.", path, std::to_string(w.session->steps_done())));
        } catch (const std::exception& e) {
            w.say(phrase("Load failed, nothing changed: %s", e.what()), true);
        }
    });
}

void LiveTrainer::open_checkpoint(const std::string& path) {
    enqueue([path](Worker& w) { w.open_checkpoint(path); });
}

void LiveTrainer::restore_last_good() {
    enqueue([](Worker& w) {
        if (!w.session || w.last_good_step < 0)
            return w.say(phrase("No good checkpoint to restore."), true);
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
            w.say(
                phrase("Restored the checkpoint of step %s. Lower a learning rate before "
                       "running again?",
                       std::to_string(step)));
        } catch (const std::exception& e) {
            w.say(phrase("Restore failed: %s", e.what()), true);
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
            w.say_verbatim(e.what());
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
