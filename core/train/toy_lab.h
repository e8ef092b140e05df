// ToyLab: a toy GAN (models/toy2d.h) trained on its own worker for the GAN Lab
// panel, with everything the lab's views draw computed off the UI thread:
// samples, the discriminator's field on a grid, the generator's warped latent
// grid, where G pushes its points, kernel densities in 1-D, and the exact W1
// (on a helper thread, since an assignment of 1024 points takes a while).
//
// It runs on a BackgroundWorker (train/worker.h). Toy steps take microseconds
// to milliseconds, so the worker runs them back to back and publishes a
// snapshot at most 30 times a second; the UI takes the newest one each frame
// and never waits.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "data/toy_distributions.h"
#include "models/toy2d.h"
#include "train/metric_history.h"
#include "train/phrase.h"
#include "train/worker.h"

namespace ganvas {

// What Play trains first: the original minimax GAN (Adam 1e-3, one D step per G
// step). On the ring it held 7 or 8 of the 8 modes by 750 generator steps and all
// 8 from 1000 on, for seeds 1 to 6, at 30 to 120 G steps a second on 2 busy cores.
// WGAN-GP at its paper settings (Adam 1e-4, 5 critic steps, 7 to 9 G steps a
// second there) covered 0 or 1 of 8 after 60 s; it stays one choice away.
constexpr ToyObjective kLabObjective = ToyObjective::minimax;
Toy2dConfig lab_default_model();

struct ToyLabConfig {
    std::string data = "ring8";               // a toy_distribution_names() entry, or "custom"
    std::vector<Point2> custom_points;        // for "custom"
    Toy2dConfig model = lab_default_model();  // data_dim is set from the data
    int64_t batch = 256;
    uint64_t seed = 1;
};

// View box of the lab's 2-D plane (and the x range in 1-D).
struct ToyBox {
    float lo = -3, hi = 3;
};

struct ToyLabSnapshot {
    uint64_t version = 0;
    ToyLabConfig config;
    bool running = false;
    Phrase error;  // why training stopped (non-finite loss, bad setting); empty if fine
    int dim = 2;
    int64_t d_updates = 0, g_updates = 0;
    double steps_per_second = 0;
    std::vector<HyperParam> hyper_params;
    ToyBox box;

    std::vector<float> real;  // (n, dim): a fixed display sample of the data
    std::vector<float> fake;  // (n, dim): G on fixed noise
    std::vector<float> push;  // (n, dim): -d loss_G / d x at each fake point
    // D on a heat_n x heat_n grid over box (row 0 at y = lo), or heat_n points in 1-D:
    // the probability for GANs, the critic value f(x) for WGANs and least squares.
    int heat_n = 0;
    std::vector<float> heat;
    bool heat_is_probability = true;
    // G on a latent_n x latent_n grid of z over [-2, 2]^2 (uniform noise: [-1, 1]^2),
    // row-major, each (dim) values; in 1-D noise a line of latent_n points.
    int latent_n = 0;
    std::vector<float> manifold;
    // 1-D only: densities over heat's x grid.
    std::vector<float> kde_real, kde_fake, p_data;

    // Mixtures (ring8, grid25, 1-D mixtures): modes of the data holding a fair
    // share of the 512 generated points (data/toy_distributions.h, mode_coverage).
    int modes_total = 0, modes_covered = 0;
    float near_share = 0;

    // Kantorovich-Rubinstein: critic estimate E f(real) - E f(fake) on the display
    // samples, and the critic's Lipschitz constant as max |grad f| over a grid.
    float critic_estimate = 0;
    float lipschitz = 0;

    std::shared_ptr<const MetricHistory> metrics;      // per D update: the model's statistics
    std::shared_ptr<const MetricHistory> wasserstein;  // "W1 exact", "critic estimate", "Lipschitz"
    // The latest exact plan: point i of plan_real goes to plan_match[i] of plan_fake.
    std::vector<float> plan_real, plan_fake;  // (m, dim)
    std::vector<int> plan_match;
    double plan_w1 = 0;
    int64_t plan_step = -1;
    bool w1_busy = false;
};

class ToyLab {
public:
    explicit ToyLab(ToyLabConfig config, bool start_running = false);
    ~ToyLab();
    ToyLab(const ToyLab&) = delete;
    ToyLab& operator=(const ToyLab&) = delete;

    std::shared_ptr<const ToyLabSnapshot> snapshot() const { return worker_.latest(); }
    BackgroundWorker& worker() { return worker_; }  // pause, hold while hidden, status

    void run();
    void pause();
    void toggle_run();
    // One D step and one G step, whatever d_steps says (paused afterwards).
    void step_once();
    void reset();                                // fresh networks, same config and seed
    void configure(const ToyLabConfig& config);  // a new data set / architecture: restarts
    void set_hyper(const std::string& name, double value);  // lr, d_steps, clip, lambda: no restart
    void set_delay_ms(int ms);                              // slow motion: a pause after every step
    void set_w1_points(int n);                              // points in the exact W1 (2..1024)
    void set_step_limit(int64_t g_steps);  // Run stops after this many G steps; 0 = no limit
    // Blocks until the training thread has drained its commands (tests, screenshots).
    void sync();

private:
    struct Worker;  // the training thread's state: the job its worker runs
    void enqueue(std::function<void(Worker&)> command);
    void w1_main();

    ToyLabConfig initial_;
    bool start_running_;

    // The exact-W1 worker: takes the newest job, drops older ones.
    struct W1Job {
        int64_t step = 0;
        Tensor real, fake;  // (m, dim)
        float critic_estimate = 0, lipschitz = 0;
        uint64_t generation = 0;  // jobs from before a reset are stale
    };
    struct W1Result {
        W1Job job;
        std::vector<int> match;
        double w1 = 0;
    };
    std::mutex w1_mutex_;
    std::condition_variable w1_cv_;
    std::unique_ptr<W1Job> w1_job_;
    std::unique_ptr<W1Result> w1_result_;
    bool w1_busy_ = false;
    bool w1_stop_ = false;  // guarded by w1_mutex_

    std::thread w1_thread_;
    SnapshotWorker<ToyLabSnapshot> worker_;
    std::unique_ptr<Worker> job_;
};

// A lab set up from one string, for `ganvas --lab SPEC` (screenshots, demos):
// "data=ring8,objective=minimax,steps=2000,seed=1,batch=128,view=wasserstein";
// keys data, batch, seed, steps (G steps to train, then pause), w1 (points of the
// exact W1), view (field | wasserstein) and every toy2d spec key (models/toy2d.h);
// keys not given keep the lab's defaults (kLabObjective).
// Throws std::invalid_argument naming a bad key or value.
struct ToyLabSpec {
    ToyLabConfig config;
    int64_t steps = 0;
    int w1_points = 256;
    std::string view = "field";
};
ToyLabSpec parse_toy_lab_spec(const std::string& spec);

// Gaussian kernel density of `samples` at each of `xs`, bandwidth by Silverman's rule.
std::vector<float> kernel_density(const std::vector<float>& samples, const std::vector<float>& xs);

// Waits for a snapshot satisfying `done` or until `timeout_s`; returns the last seen.
std::shared_ptr<const ToyLabSnapshot> wait_for_toy_snapshot(
    const ToyLab& lab, const std::function<bool(const ToyLabSnapshot&)>& done, double timeout_s);

}  // namespace ganvas
