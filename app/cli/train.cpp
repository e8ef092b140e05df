// ganvas train: a headless training run with progress on the terminal,
// sample grids, metrics.csv and an atomic checkpoint that --resume continues.
#include <unistd.h>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "analysis/sample_quality.h"
#include "backend/cpu/thread_pool.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "io/image_png.h"
#include "io/safetensors.h"
#include "io/toy_scatter.h"
#include "models/classifier28.h"
#include "models/prior49.h"
#include "models/toy2d.h"
#include "models/vqgan28.h"
#include "ops/shape_ops.h"
#include "train/metrics_log.h"
#include "train/session.h"

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

}  // namespace

int run_train(const Argv& argv) {
    Args args(
        argv, "ganvas train --model M [--data D] --steps N [--out DIR] [--resume] [...]",
        {{"model", "M", "model to train, M[:key=value,...] (default dcgan28)"},
         {"data", "D", "data set (default fashion-mnist; idx:, tfrecord:, folder:, toy:, codes:)"},
         {"steps", "N", "train until the run has N steps in all (default 3000)"},
         {"batch", "B", "images a step (default 64)"},
         {"seed", "S", "random seed (default 0; --resume keeps the run's own)"},
         {"out", "DIR", "the run's folder (default runs/MODEL)"},
         {"resume", "", "continue the run in --out where its checkpoint left off"},
         {"sample-every", "K", "write samples_STEP.png every K steps (default 500)"},
         {"checkpoint-every", "K", "save the checkpoint every K steps (default 1000)"},
         {"threads", "T", "CPU threads (default: one a core)"},
         {"device", "cpu", "where to train (only cpu for now)"},
         {"set", "NAME=V,...", "the model's settings, as the window's sliders"},
         {"weights-out", "FILE", "also write the bare weights at the end"},
         {"ffd-every", "K", "log the FFD of --ffd-n samples every K steps (default 0: never)"},
         {"ffd-n", "N", "samples the FFD scores (default 2000)"},
         {"vq", "VQ.safetensors", "prior49: the vqgan28 checkpoint whose codes it learns"},
         {"eval-every", "K", "prior49: held-out likelihood every K steps (default 500)"},
         {"quiet", "", "no progress bar on the terminal"}});
    SessionConfig config;
    config.model = args.str("model", "dcgan28");
    config.data = args.str("data", "fashion-mnist");
    config.batch = args.integer("batch", 64, 1, 65536);
    config.seed = static_cast<uint64_t>(args.integer("seed", 0, 0, INT64_MAX));
    config.vq = args.str("vq", "");
    const bool progress_tty = isatty(STDERR_FILENO) && !args.has("quiet");
    config.progress = [progress_tty](const std::string& what, int64_t done, int64_t total) {
        if (!progress_tty && done % 20000 != 0 && done != total) return;  // logs: a few lines
        std::fprintf(stderr,
                     progress_tty ? "\r%s: %lld/%lld images\033[K" : "%s: %lld/%lld images\n",
                     what.c_str(), static_cast<long long>(done), static_cast<long long>(total));
        if (progress_tty && done == total) std::fprintf(stderr, "\n");
    };
    const int64_t steps = args.integer("steps", 3000, 0, 100000000);
    const int64_t sample_every = args.integer("sample-every", 500, 1, 100000000);
    const int64_t checkpoint_every = args.integer("checkpoint-every", 1000, 1, 100000000);
    const std::string out = args.str("out", "runs/" + config.model);
    if (args.str("device", "cpu") != "cpu")
        throw UsageError("--device " + args.str("device") + " is not available yet (only cpu)");
    if (args.has("threads"))
        cpu::set_num_threads(static_cast<int>(args.integer("threads", 1, 1, 256)));
    const std::string checkpoint = (fs::path(out) / "checkpoint.safetensors").string();
    if (fs::exists(out) && !fs::is_directory(out))
        throw UsageError("--out " + out + " is a file; give a folder for the run");
    const bool resume = args.has("resume");
    if (!resume && fs::exists(checkpoint))
        throw UsageError(
            checkpoint +
            " already exists: pass --resume to continue that run, or choose another --out");

    Session session(config);  // loads the data: fails before anything is written
    auto* prior = dynamic_cast<Prior49*>(&session.model());
    if (prior && session.dataset().images.size(2) != kPriorGrid)
        throw UsageError(
            "prior49 trains on VQ code grids: give --vq VQ.safetensors (a vqgan28 "
            "checkpoint) or --data codes:FILE.npy");
    if (prior) {  // every code in range before anything is written
        code_rows(session.dataset().images, kPriorCodes, session.dataset().name);
        if (session.heldout().size() > 0)
            code_rows(session.heldout().images, kPriorCodes, session.heldout().name);
    }
    if (resume) {
        if (!fs::exists(checkpoint))
            throw UsageError("--resume: " + checkpoint + " does not exist");
        session.load_checkpoint(checkpoint);
        std::fprintf(stderr, "resumed %s at step %lld\n", checkpoint.c_str(),
                     static_cast<long long>(session.steps_done()));
        const uint64_t run_seed =
            args.has("seed") ? checkpoint_session_config(checkpoint).seed : config.seed;
        if (run_seed != config.seed)
            std::fprintf(stderr,
                         "note: --seed %llu is not used: the run goes on with the random streams "
                         "of its checkpoint (seed %llu)\n",
                         static_cast<unsigned long long>(config.seed),
                         static_cast<unsigned long long>(run_seed));
    }
    // --set name=value[,name=value]: the model's settings, as the window's sliders.
    for (auto& [name, value] : args.settings("set")) {
        try {
            session.model().set_hyper_param(name, value);
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("--set: ") + e.what());
        }
    }
    prior = dynamic_cast<Prior49*>(&session.model());  // resuming replaced the model
    std::error_code made;
    fs::create_directories(out, made);
    if (made)
        throw std::runtime_error("--out " + out + ": cannot create the folder (" + made.message() +
                                 ")");
    // Optional FFD curve: a fixed noise batch scored every K steps against the test set.
    const int64_t ffd_every = args.integer("ffd-every", 0, 0, 100000000);
    std::unique_ptr<SampleQuality> ffd_probe;
    Tensor ffd_noise;
    if (ffd_every > 0) {
        if (!session.gan())
            throw UsageError("--ffd-every needs a generative model, not " + config.model);
        ffd_probe = std::make_unique<SampleQuality>(load_classifier(default_classifier_path()),
                                                    load_fashion_mnist("test").images);
        ffd_noise =
            Rng(0xFFD).randn({args.integer("ffd-n", 2000, 2, 100000), session.gan()->z_dim()});
    }
    // prior49: negative log-likelihood of the held-out codes every K steps.
    const int64_t eval_every = args.integer("eval-every", 500, 0, 100000000);
    const bool heldout_eval = prior && session.heldout().size() > 0 && eval_every > 0;
    std::vector<std::string> sparse;
    if (ffd_probe) sparse.push_back("ffd");
    if (heldout_eval) sparse = {"heldout_bits_per_code", "heldout_accuracy"};
    MetricsLog metrics((fs::path(out) / "metrics.csv").string(), session.steps_done(), sparse);
    auto add_heldout = [&](StepStats& stats) {
        PriorEvaluation e = prior->evaluate(session.heldout().images);
        stats.emplace_back("heldout_bits_per_code", static_cast<float>(e.bits_per_code));
        stats.emplace_back("heldout_accuracy", static_cast<float>(e.accuracy));
    };

    auto* toy = dynamic_cast<Toy2d*>(&session.model());
    const bool generates = session.gan() != nullptr || toy;
    auto* vqgan = dynamic_cast<Vqgan28*>(&session.model());
    // A VQGAN's grid: the first 32 images of the data above their reconstructions.
    const Tensor fixed_originals =
        vqgan ? narrow(session.dataset().images, 0, 0,
                       std::min<int64_t>(32, session.dataset().images.size(0) / 8 * 8))
              : Tensor();
    auto write_grid = [&] {
        if (vqgan && fixed_originals.size(0) > 0) {
            std::string path = (fs::path(out) / ("reconstructions_" +
                                                 std::to_string(session.steps_done()) + ".png"))
                                   .string();
            save_image_grid(path, reconstruction_rows(vqgan->AE, fixed_originals, 8), 8);
            return path;
        }
        if (!generates) return std::string();
        std::string path =
            (fs::path(out) / ("samples_" + std::to_string(session.steps_done()) + ".png")).string();
        if (toy) {  // a scatter of 1000 data points and 1000 generated ones
            Rng r(0);
            const ImageDataset& data = session.dataset();
            const int64_t dim = data.images.size(1), n = std::min<int64_t>(1000, data.size());
            save_toy_scatter(path, reshape(narrow(data.images, 0, 0, n), {n, dim}),
                             toy->generate(toy->noise(1000, r)), dim == 2 ? -3.0f : -4.0f,
                             dim == 2 ? 3.0f : 4.0f);
            return path;
        }
        save_image_grid(path, session.fixed_samples(), 8);
        return path;
    };

    const bool tty = isatty(STDERR_FILENO) && !args.has("quiet");
    const int64_t first = session.steps_done();
    auto t0 = std::chrono::steady_clock::now();
    auto last_print = t0;
    std::string last_grid;
    std::fprintf(stderr,
                 "training %s on %s (%lld images), batch %lld, steps %lld -> %lld, into %s\n",
                 config.model.c_str(), config.data.c_str(),
                 static_cast<long long>(session.dataset().images.size(0)),
                 static_cast<long long>(config.batch), static_cast<long long>(first),
                 static_cast<long long>(steps), out.c_str());
    // Ctrl+C finishes the step in flight, then saves: nothing trained is lost.
    g_interrupted = 0;
    auto previous_handler = std::signal(SIGINT, [](int) { g_interrupted = 1; });
    while (session.steps_done() < steps && !g_interrupted) {
        StepStats stats = session.step();
        const int64_t step = session.steps_done();
        const double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        for (auto& [name, v] : stats)
            if (!std::isfinite(v)) {
                metrics.flush();
                std::fprintf(stderr, "\n");
                throw std::runtime_error(
                    "step " + std::to_string(step) + ": " + name + " is " + std::to_string(v) +
                    "; training stopped, the last good checkpoint " + checkpoint +
                    " is kept (lower the learning rate or change the seed)");
            }
        if (ffd_probe && step % ffd_every == 0)
            stats.emplace_back(
                "ffd", static_cast<float>(ffd_probe->ffd(session.gan()->sample(ffd_noise))));
        if (heldout_eval && (step % eval_every == 0 || step == steps)) add_heldout(stats);
        metrics.add(step, stats, elapsed);
        if (step % sample_every == 0) last_grid = write_grid();
        if (step % checkpoint_every == 0) {
            metrics.flush();
            session.save_checkpoint(checkpoint);
        }
        auto now = std::chrono::steady_clock::now();
        const bool report =
            tty ? now - last_print > std::chrono::milliseconds(250) : step % 100 == 0;
        if (report || step == steps) {
            last_print = now;
            metrics.flush();  // metrics.csv keeps up with the progress line, for live plots
            const double rate = (step - first) / std::max(elapsed, 1e-9);
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
            std::fprintf(stderr, tty ? "\r%s\033[K" : "%s\n", line.str().c_str());
        }
    }
    std::signal(SIGINT, previous_handler);
    if (tty) std::fprintf(stderr, "\n");
    if (g_interrupted) {
        metrics.flush();
        session.save_checkpoint(checkpoint);
        std::fprintf(stderr,
                     "interrupted at step %lld; checkpoint %s saved; continue with --resume\n",
                     static_cast<long long>(session.steps_done()), checkpoint.c_str());
        return 130;
    }
    metrics.flush();
    session.save_checkpoint(checkpoint);
    std::fprintf(stderr, "checkpoint: %s\n", checkpoint.c_str());
    if (args.has("weights-out")) {
        const std::string weights = args.required("weights-out");
        save_safetensors(weights, session.model().state_dict(),
                         {{"model", config.model}, {"step", std::to_string(steps)}});
        std::fprintf(stderr, "weights: %s\n", weights.c_str());
    }
    if (auto* classifier = dynamic_cast<Classifier28*>(&session.model())) {
        ImageDataset test =
            load_dataset(config.data == "fashion-mnist" ? "fashion-mnist:test" : config.data);
        std::printf("test accuracy: %.4f on %lld images of %s\n",
                    classifier->accuracy(test.images, test.labels),
                    static_cast<long long>(test.images.size(0)), test.name.c_str());
        return 0;
    }
    if (prior) {
        if (session.heldout().size() > 0) {
            PriorEvaluation e = prior->evaluate(session.heldout().images);
            std::printf(
                "held-out: %.4f bits per code, next-code accuracy %.4f, on %lld codes of %s\n",
                e.bits_per_code, e.accuracy, static_cast<long long>(e.codes),
                session.heldout().name.c_str());
        }
        return 0;
    }
    if (last_grid.empty() || session.steps_done() % sample_every != 0) last_grid = write_grid();
    std::printf("%s: %s\n", vqgan ? "reconstructions" : "samples", last_grid.c_str());
    return 0;
}

}  // namespace ganvas::cli
