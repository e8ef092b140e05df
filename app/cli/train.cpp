// ganvas train: a headless training run with progress on the terminal,
// sample grids, metrics.csv and an atomic checkpoint that --resume continues.
#include <unistd.h>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "analysis/sample_quality.h"
#include "backend/cpu/thread_pool.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "data/dataset.h"
#include "io/safetensors.h"
#include "train/metrics_log.h"
#include "train/session.h"
#include "train/tensorboard_log.h"

namespace fs = std::filesystem;

namespace ganvas::cli {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;

std::string format_duration(double seconds) {
    long s = std::lround(std::max(0.0, seconds));
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s / 60) % 60);
    else if (s >= 60)
        std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%lds", s);
    return buf;
}

// What the flags ask for, read and checked before anything is loaded or written.
struct TrainPlan {
    SessionConfig config;
    int64_t steps = 0, sample_every = 0, checkpoint_every = 0, ffd_every = 0, eval_every = 0;
    std::string out, checkpoint;
    std::string tensorboard;  // a folder for event files; "": none
    bool resume = false;
    bool tty = false;  // progress redrawn in place on a terminal, else a line every 100 steps
};

TrainPlan read_plan(const Args& args) {
    TrainPlan plan;
    SessionConfig& config = plan.config;
    config.model = args.str("model", "dcgan28");
    config.data = args.str("data", "fashion-mnist");
    if (args.has("columns")) {
        try {
            config.data = data_spec_with_columns(config.data, args.str("columns"));
        } catch (const std::runtime_error& e) {
            throw UsageError(e.what());
        }
    }
    config.batch = args.integer("batch", 64, 1, 65536);
    config.seed = static_cast<uint64_t>(args.integer("seed", 0, 0, INT64_MAX));
    config.vq = args.str("vq", "");
    plan.tty = isatty(STDERR_FILENO) && !args.has("quiet");
    config.progress = [tty = plan.tty](const std::string& what, int64_t done, int64_t total) {
        if (!tty && done % 20000 != 0 && done != total) return;  // logs: a few lines
        std::fprintf(stderr, tty ? "\r%s: %lld/%lld images\033[K" : "%s: %lld/%lld images\n",
                     what.c_str(), static_cast<long long>(done), static_cast<long long>(total));
        if (tty && done == total) std::fprintf(stderr, "\n");
    };
    plan.steps = args.integer("steps", 3000, 0, 100000000);
    plan.sample_every = args.integer("sample-every", 500, 1, 100000000);
    plan.checkpoint_every = args.integer("checkpoint-every", 1000, 1, 100000000);
    plan.ffd_every = args.integer("ffd-every", 0, 0, 100000000);
    plan.eval_every = args.integer("eval-every", 500, 0, 100000000);
    plan.out = args.str("out", "runs/" + config.model);
    config.device = args.device();
    // --threads is a CPU setting: accepted on the GPU too, where it steers only the host's work.
    if (args.has("threads"))
        cpu::set_num_threads(static_cast<int>(args.integer("threads", 1, 1, 256)));
    plan.checkpoint = (fs::path(plan.out) / "checkpoint.safetensors").string();
    if (fs::exists(plan.out) && !fs::is_directory(plan.out))
        throw UsageError("--out " + plan.out + " is a file; give a folder for the run");
    plan.tensorboard = args.str("tensorboard", "");
    if (fs::exists(plan.tensorboard) && !fs::is_directory(plan.tensorboard))
        throw UsageError("--tensorboard " + plan.tensorboard +
                         " is a file; give a folder for the TensorBoard log");
    plan.resume = args.has("resume");
    if (!plan.resume && fs::exists(plan.checkpoint))
        throw UsageError(
            plan.checkpoint +
            " already exists: pass --resume to continue that run, or choose another --out");
    return plan;
}

// --resume goes on with the run its checkpoint was saved from: what the flags leave
// out (model, data, batch, VQGAN) is the checkpoint's, and a flag that names something
// else is refused, naming both, before any data is loaded or anything written.
void adopt_checkpoint_run(TrainPlan& plan, const Args& args) {
    if (!fs::exists(plan.checkpoint))
        throw UsageError("--resume: " + plan.checkpoint + " does not exist");
    const SessionConfig saved = checkpoint_session_config(plan.checkpoint);
    SessionConfig& config = plan.config;
    auto adopt = [&](const std::string& flag, const std::string& given, const std::string& theirs,
                     bool same) {
        if (!args.has(flag) || same) return;
        throw UsageError("--" + flag + " " + given + " differs from " + flag + " " +
                         (theirs.empty() ? "(none)" : theirs) + " that " + plan.checkpoint +
                         " was trained with; leave out --" + flag +
                         " to resume the run, or give another --out for a new one");
    };
    adopt("model", config.model, saved.model, config.model == saved.model);
    adopt("data", config.data, saved.data, same_data_spec(config.data, saved.data));
    adopt("batch", std::to_string(config.batch), std::to_string(saved.batch),
          config.batch == saved.batch);
    adopt("vq", config.vq, saved.vq,
          fs::path(config.vq).lexically_normal() == fs::path(saved.vq).lexically_normal());
    if (args.has("seed") && config.seed != saved.seed)
        std::fprintf(stderr,
                     "note: --seed %llu is not used: the run goes on with the random streams "
                     "of its checkpoint (seed %llu)\n",
                     static_cast<unsigned long long>(config.seed),
                     static_cast<unsigned long long>(saved.seed));
    config.model = saved.model;
    config.data = saved.data;
    config.batch = saved.batch;
    config.vq = saved.vq;
    config.seed = saved.seed;  // its streams are the checkpoint's, and so is its record
}

void resume_from_checkpoint(Session& session, const TrainPlan& plan) {
    session.load_checkpoint(plan.checkpoint);
    std::fprintf(stderr, "resumed %s at step %lld\n", plan.checkpoint.c_str(),
                 static_cast<long long>(session.steps_done()));
}

// --set name=value[,name=value]: the model's settings, as the window's sidebar.
void apply_settings(Model& model, const Args& args) {
    for (auto& [name, value] : args.settings("set")) {
        try {
            model.set_hyper_param(name, value);
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("--set: ") + e.what());
        }
    }
}

void create_output_folder(const std::string& out) {
    std::error_code made;
    fs::create_directories(out, made);
    if (made)
        throw std::runtime_error("--out " + out + ": cannot create the folder (" + made.message() +
                                 ")");
}

// Metrics measured now and then beside each step's own: the FFD of a fixed noise
// batch against the test set (--ffd-every, generative models) and the model's
// held-out metrics (--eval-every, models that have some and held-out data).
class SparseMetrics {
public:
    SparseMetrics(Session& session, const TrainPlan& plan, int64_t ffd_n) : session_(session) {
        ffd_every_ = plan.ffd_every;
        if (ffd_every_ > 0) {
            GanModel* gan = session.gan();
            if (!gan)
                throw UsageError("--ffd-every needs a generative model, not " + plan.config.model);
            ffd_probe_ = std::make_unique<SampleQuality>(load_classifier(default_classifier_path()),
                                                         load_fashion_mnist("test").images);
            ffd_noise_ = Rng(0xFFD).randn({ffd_n, gan->z_dim()});
            columns_.push_back("ffd");
        }
        if (session.heldout().size() > 0 && plan.eval_every > 0) {
            eval_every_ = plan.eval_every;
            for (const std::string& name : session.model().heldout_metric_names())
                columns_.push_back(name);
        }
        last_step_ = plan.steps;
    }
    const std::vector<std::string>& columns() const { return columns_; }

    void add(StepStats& stats, int64_t step) {
        if (ffd_probe_ && step % ffd_every_ == 0)
            stats.emplace_back(
                "ffd", static_cast<float>(ffd_probe_->ffd(session_.gan()->sample(ffd_noise_))));
        if (eval_every_ > 0 && (step % eval_every_ == 0 || step == last_step_))
            for (auto& entry : session_.model().evaluate_heldout(session_.heldout()))
                stats.push_back(entry);
    }

private:
    Session& session_;
    std::vector<std::string> columns_;
    int64_t ffd_every_ = 0, eval_every_ = 0, last_step_ = 0;
    std::unique_ptr<SampleQuality> ffd_probe_;
    Tensor ffd_noise_;  // (n, z_dim)
};

// The model's picture of its progress, out/<name>_<step>.png; "" when it has none.
std::string write_progress_image(Session& session, const std::string& out) {
    Model& model = session.model();
    const std::string name = model.progress_image_name();
    if (name.empty()) return "";
    const std::string path =
        (fs::path(out) / (name + "_" + std::to_string(session.steps_done()) + ".png")).string();
    return model.write_progress_image(path, session.dataset(), session.fixed_noise()) ? path : "";
}

void check_finite(const StepStats& stats, int64_t step, MetricsLog& metrics,
                  const std::string& checkpoint) {
    for (auto& [name, v] : stats)
        if (!std::isfinite(v)) {
            metrics.flush();
            std::fprintf(stderr, "\n");
            throw std::runtime_error("step " + std::to_string(step) + ": " + name + " is " +
                                     std::to_string(v) +
                                     "; training stopped, the last good checkpoint " + checkpoint +
                                     " is kept (lower the learning rate or change the seed)");
        }
}

// "step 40/100  loss_D 1.2345 ...  12.3 steps/s  ETA 5s"
std::string progress_line(const StepStats& stats, int64_t step, int64_t steps, double rate) {
    std::ostringstream line;
    line << "step " << step << "/" << steps;
    char buf[64];
    for (auto& [name, v] : stats) {
        std::snprintf(buf, sizeof buf, "  %s %.4f", name.c_str(), v);
        line << buf;
    }
    std::snprintf(buf, sizeof buf, "  %.1f steps/s  ETA %s", rate,
                  format_duration((steps - step) / rate).c_str());
    line << buf;
    return line.str();
}

// --tensorboard DIR: the metrics.csv columns as scalars, the progress images, the
// settings; a log that fails says so once and the run goes on.
class TensorBoardOutput {
public:
    TensorBoardOutput(const std::string& dir, Session& session) {
        if (dir.empty()) return;
        log_ = std::make_unique<TensorBoardRunLog>(dir);
        log_->settings(session.steps_done(), session.config(), session.model());
        std::fprintf(stderr, "TensorBoard: %s\n", log_->path().c_str());
    }
    void step(int64_t step, const StepStats& stats) {
        if (log_) log_->step(step, stats);
        report();
    }
    void image(int64_t step, const std::string& tag, const std::string& png_path) {
        if (!log_ || png_path.empty()) return;
        std::ifstream in(png_path, std::ios::binary);
        log_->png(step, tag, std::string(std::istreambuf_iterator<char>(in), {}));
        report();
    }
    void flush() {
        if (log_) log_->flush();
        report();
    }

private:
    void report() {
        if (!log_) return;
        if (const std::string error = log_->take_error(); !error.empty())
            std::fprintf(stderr, "\nganvas train: %s; training goes on\n", error.c_str());
    }
    std::unique_ptr<TensorBoardRunLog> log_;
};

// Steps until plan.steps or Ctrl+C, which finishes the step in flight: nothing
// trained is lost. Returns the last progress image written ("" if none).
std::string train_steps(Session& session, const TrainPlan& plan, SparseMetrics& sparse,
                        MetricsLog& metrics, TensorBoardOutput& tensorboard) {
    const int64_t first = session.steps_done();
    auto t0 = std::chrono::steady_clock::now();
    auto last_print = t0;
    std::string last_image;
    g_interrupted = 0;
    auto previous_handler = std::signal(SIGINT, [](int) { g_interrupted = 1; });
    while (session.steps_done() < plan.steps && !g_interrupted) {
        StepStats stats = session.step();
        const int64_t step = session.steps_done();
        const double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        check_finite(stats, step, metrics, plan.checkpoint);
        sparse.add(stats, step);
        metrics.add(step, stats, elapsed);
        tensorboard.step(step, stats);
        if (step % plan.sample_every == 0) {
            last_image = write_progress_image(session, plan.out);
            tensorboard.image(step, session.model().progress_image_name(), last_image);
        }
        if (step % plan.checkpoint_every == 0) {
            metrics.flush();
            tensorboard.flush();
            session.save_checkpoint(plan.checkpoint);
        }
        auto now = std::chrono::steady_clock::now();
        const bool report =
            plan.tty ? now - last_print > std::chrono::milliseconds(250) : step % 100 == 0;
        if (report || step == plan.steps) {
            last_print = now;
            metrics.flush();  // metrics.csv keeps up with the progress line, for live plots
            const double rate = (step - first) / std::max(elapsed, 1e-9);
            std::fprintf(stderr, plan.tty ? "\r%s\033[K" : "%s\n",
                         progress_line(stats, step, plan.steps, rate).c_str());
        }
    }
    std::signal(SIGINT, previous_handler);
    if (plan.tty) std::fprintf(stderr, "\n");
    return last_image;
}

// The run's last word on stdout: the model's report (held-out likelihood, test
// accuracy) or else where its last progress image is.
void print_result(Session& session, const TrainPlan& plan, std::string last_image) {
    Model& model = session.model();
    const std::string report = model.final_report(plan.config.data, session.heldout());
    if (!report.empty()) {
        std::printf("%s\n", report.c_str());
        return;
    }
    if (model.progress_image_name().empty()) return;
    if (last_image.empty() || session.steps_done() % plan.sample_every != 0)
        last_image = write_progress_image(session, plan.out);
    std::printf("%s: %s\n", model.progress_image_name().c_str(), last_image.c_str());
}

}  // namespace

int run_train(const Argv& argv) {
    Args args(
        argv, "ganvas train --model M [--data D] --steps N [--out DIR] [--resume] [...]",
        {{"model", "M", "model to train, M[:key=value,...] (default dcgan28)"},
         {"data", "D", "data set (default fashion-mnist; idx:, tfrecord:, folder:, toy:, codes:)"},
         {"columns", "COLS.json", "tfrecord: data's feature columns (instead of image=, label=)"},
         {"steps", "N", "train until the run has N steps in all (default 3000)"},
         {"batch", "B", "images a step (default 64)"},
         {"seed", "S", "random seed (default 0; --resume keeps the run's own)"},
         {"out", "DIR", "the run's folder (default runs/MODEL)"},
         {"resume", "", "continue the run in --out: its checkpoint's model, data and batch"},
         {"sample-every", "K", "write samples_STEP.png every K steps (default 500)"},
         {"checkpoint-every", "K", "save the checkpoint every K steps (default 1000)"},
         {"threads", "T", "CPU threads (default: one a core)"},
         {"device", "cpu|gpu", "where to train (gpu: OpenGL 4.3 compute; default cpu)"},
         {"set", "NAME=V,...", "the model's settings, as the window's sliders"},
         {"weights-out", "FILE", "also write the bare weights at the end"},
         {"ffd-every", "K", "log the FFD of --ffd-n samples every K steps (default 0: never)"},
         {"ffd-n", "N", "samples the FFD scores (default 2000)"},
         {"vq", "VQ.safetensors", "prior49: the vqgan28 checkpoint whose codes it learns"},
         {"eval-every", "K", "prior49: held-out likelihood every K steps (default 500)"},
         {"tensorboard", "DIR", "also log to TensorBoard: event files in DIR"},
         {"quiet", "", "no progress bar on the terminal"}});
    TrainPlan plan = read_plan(args);
    if (plan.resume) adopt_checkpoint_run(plan, args);
    Session session(plan.config);  // loads and checks the data: fails before anything is written
    if (plan.resume) resume_from_checkpoint(session, plan);
    apply_settings(session.model(), args);
    create_output_folder(plan.out);
    SparseMetrics sparse(session, plan, args.integer("ffd-n", 2000, 2, 100000));
    MetricsLog metrics((fs::path(plan.out) / "metrics.csv").string(), session.steps_done(),
                       sparse.columns());
    std::fprintf(
        stderr, "training %s on %s (%lld images), batch %lld, steps %lld -> %lld, into %s\n",
        plan.config.model.c_str(), plan.config.data.c_str(),
        static_cast<long long>(session.dataset().images.size(0)),
        static_cast<long long>(plan.config.batch), static_cast<long long>(session.steps_done()),
        static_cast<long long>(plan.steps), plan.out.c_str());

    TensorBoardOutput tensorboard(plan.tensorboard, session);
    const std::string last_image = train_steps(session, plan, sparse, metrics, tensorboard);
    metrics.flush();
    tensorboard.flush();
    session.save_checkpoint(plan.checkpoint);
    if (g_interrupted) {
        std::fprintf(stderr,
                     "interrupted at step %lld; checkpoint %s saved; continue with --resume\n",
                     static_cast<long long>(session.steps_done()), plan.checkpoint.c_str());
        return 130;
    }
    std::fprintf(stderr, "checkpoint: %s\n", plan.checkpoint.c_str());
    if (args.has("weights-out")) {
        const std::string weights = args.required("weights-out");
        save_safetensors(weights, session.model().state_dict(),
                         {{"model", plan.config.model}, {"step", std::to_string(plan.steps)}});
        std::fprintf(stderr, "weights: %s\n", weights.c_str());
    }
    print_result(session, plan, last_image);
    return 0;
}

}  // namespace ganvas::cli
