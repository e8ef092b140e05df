#include "train/toy_lab.h"

#include <chrono>
#include <cmath>
#include <sstream>

#include "analysis/wasserstein.h"
#include "autograd/autograd.h"
#include "backend/cpu/thread_pool.h"
#include "ops/ops.h"

namespace ganvas {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int64_t kDisplayPoints = 512;
constexpr int64_t kMaxW1Points = 1024;
constexpr int kHeat2d = 64, kHeat1d = 200, kLipschitzGrid = 32;

std::vector<float> to_vector(const Tensor& t) {
    return std::vector<float>(t.data(), t.data() + t.numel());
}

// Points of an n x n grid over box (row-major, y outer), or n points in 1-D: (n^dim, dim).
Tensor grid_points(int n, int dim, ToyBox box) {
    const int64_t count = dim == 2 ? int64_t(n) * n : n;
    Tensor g = Tensor::empty({count, dim});
    auto at = [&](int i) { return box.lo + (box.hi - box.lo) * (i + 0.5f) / n; };
    for (int64_t k = 0; k < count; ++k) {
        if (dim == 2) {
            g.data()[2 * k] = at(static_cast<int>(k % n));
            g.data()[2 * k + 1] = at(static_cast<int>(k / n));
        } else {
            g.data()[k] = at(static_cast<int>(k));
        }
    }
    return g;
}

}  // namespace

Toy2dConfig lab_default_model() {
    Toy2dConfig c;
    c.objective = kLabObjective;
    return c;
}

ToyLabSpec parse_toy_lab_spec(const std::string& spec) {
    ToyLabSpec out;
    // The lab's objective first, so that a spec's own objective replaces it.
    std::string model = std::string("toy2d:objective=") + objective_name(kLabObjective);
    std::stringstream items(spec);
    std::string item;
    auto integer = [&](const std::string& key, const std::string& value, int64_t lo, int64_t hi) {
        int64_t v = 0;
        try {
            size_t used = 0;
            v = std::stoll(value, &used);
            if (used != value.size()) throw std::invalid_argument(value);
        } catch (const std::logic_error&) {
            throw std::invalid_argument("lab spec '" + spec + "': " + key + "=" + value +
                                        " is not a whole number");
        }
        if (v < lo || v > hi)
            throw std::invalid_argument("lab spec '" + spec + "': " + key + " must be between " +
                                        std::to_string(lo) + " and " + std::to_string(hi));
        return v;
    };
    while (std::getline(items, item, ',')) {
        if (item.empty()) continue;
        const size_t eq = item.find('=');
        const std::string key = item.substr(0, eq);
        const std::string value = eq == std::string::npos ? "" : item.substr(eq + 1);
        if (key == "data") {
            make_toy_distribution(value);  // throws naming it when unknown
            out.config.data = value;
        } else if (key == "batch")
            out.config.batch = integer(key, value, 1, 65536);
        else if (key == "seed")
            out.config.seed = static_cast<uint64_t>(integer(key, value, 0, INT64_MAX));
        else if (key == "steps")
            out.steps = integer(key, value, 0, 100000000);
        else if (key == "w1")
            out.w1_points = static_cast<int>(integer(key, value, 2, 1024));
        else if (key == "view") {
            if (value != "field" && value != "wasserstein")
                throw std::invalid_argument("lab spec '" + spec +
                                            "': view is field or wasserstein");
            out.view = value;
        } else {
            model += "," + item;  // a toy2d key: checked there
        }
    }
    out.config.model = parse_toy2d_spec(model);
    return out;
}

std::vector<float> kernel_density(const std::vector<float>& samples, const std::vector<float>& xs) {
    std::vector<float> out(xs.size(), 0.0f);
    const size_t n = samples.size();
    if (n == 0) return out;
    double mean = 0, var = 0;
    for (float s : samples) mean += s / double(n);
    for (float s : samples) var += (s - mean) * (s - mean) / double(n);
    // Silverman's rule; a floor keeps a collapsed generator's spike drawable.
    const double h = std::max(1.06 * std::sqrt(var) * std::pow(double(n), -0.2), 0.02);
    const double norm = 1.0 / (double(n) * h * std::sqrt(2 * 3.14159265358979));
    for (size_t i = 0; i < xs.size(); ++i) {
        double total = 0;
        for (float s : samples) {
            const double z = (xs[i] - s) / h;
            total += std::exp(-0.5 * z * z);
        }
        out[i] = static_cast<float>(total * norm);
    }
    return out;
}

struct ToyLab::Worker : WorkerJob {
    ToyLab* lab = nullptr;
    ToyLabConfig config;
    ToyDistribution dist;
    std::unique_ptr<Toy2d> model;
    Rng rng, data_rng;
    Tensor display_real, fixed_noise;  // (512, dim), (512, noise_dim)
    Tensor w1_real, w1_noise;          // (1024, dim), (1024, noise_dim)
    std::shared_ptr<MetricHistory> metrics, wasserstein;
    bool running = false;
    Phrase error;
    int delay_ms = 0;
    int w1_points = 256;
    int64_t step_limit = 0;
    uint64_t generation = 0;
    ToyBox box;
    bool dirty = true;
    Clock::time_point last_publish;
    double rate = 0;
    Clock::time_point rate_t0 = Clock::now();
    int64_t rate_steps0 = 0;
    std::shared_ptr<const ToyLabSnapshot> last;  // for the W1 plan between results
    std::vector<float> plan_real, plan_fake;
    std::vector<int> plan_match;
    double plan_w1 = 0;
    int64_t plan_step = -1;
    uint64_t version = 0;
    Clock::time_point next_step_at;  // slow motion: no step before it

    void build(const ToyLabConfig& c) {
        ToyDistribution d = c.data == "custom" ? custom_distribution(c.custom_points)
                                               : make_toy_distribution(c.data);
        ToyLabConfig next = c;
        next.model.data_dim = d.dim;
        if (next.batch < 1 || next.batch > 65536)
            throw std::invalid_argument("batch must be between 1 and 65536, not " +
                                        std::to_string(next.batch));
        Rng r(next.seed);
        auto m = std::make_unique<Toy2d>(next.model, r);  // throws before anything changes
        config = next;
        dist = d;
        rng = r;
        data_rng = Rng(next.seed ^ 0x9e3779b97f4a7c15ULL);
        model = std::move(m);
        Rng eval(next.seed + 7);
        display_real = dist.sample(kDisplayPoints, eval);
        fixed_noise = model->noise(kDisplayPoints, eval);
        w1_real = dist.sample(kMaxW1Points, eval);
        w1_noise = model->noise(kMaxW1Points, eval);
        metrics = std::make_shared<MetricHistory>();
        wasserstein = std::make_shared<MetricHistory>();
        box = dist.dim == 2 ? ToyBox{-3, 3} : ToyBox{-4, 4};
        plan_real.clear(), plan_fake.clear(), plan_match.clear();
        plan_step = -1;
        error.clear();
        ++generation;
        dirty = true;
        rate = 0;
        rate_t0 = Clock::now();
        rate_steps0 = 0;
    }

    // One training step: a D update, and a G update every d_steps (or always, `both`).
    void train_step(bool both) {
        Tensor real = dist.sample(config.batch, data_rng);  // (B, dim)
        StepStats stats;
        if (both) {
            stats = model->d_step(real, rng);
            StepStats g = model->g_step(config.batch, rng);
            stats.insert(stats.begin() + 1, g[0]);
        } else {
            stats = model->step({real, Tensor()}, rng);
        }
        for (auto& [name, v] : stats)
            if (!std::isfinite(v)) {
                running = false;
                error = phrase(
                    "%s became %s at step %s: training paused (lower the learning "
                    "rate, or Reset)",
                    name, std::to_string(v), std::to_string(model->d_updates()));
            }
        // Copy-on-write: a published history is never changed.
        if (metrics.use_count() > 1) metrics = std::make_shared<MetricHistory>(*metrics);
        metrics->add(model->d_updates(), stats);
        if (step_limit > 0 && model->g_updates() >= step_limit) running = false;
        dirty = true;
    }

    void publish_snapshot();  // everything the views draw, and a job for the exact W1
    void absorb_w1();         // the exact W1's newest result, if any

    // The worker's side. Toy steps take microseconds to milliseconds: they run
    // back to back, and a snapshot goes out at most 30 times a second.
    void start() override {
        cpu::run_serially_on_this_thread();
        try {
            build(lab->initial_);
            running = lab->start_running_;
        } catch (const std::exception& e) {
            error = verbatim(e.what());
        }
    }

    bool wants_work() const override { return running && model && Clock::now() >= next_step_at; }
    Clock::time_point next_work_at() const override {
        return running && model ? next_step_at : Clock::time_point::max();
    }

    void work() override {
        train_step(false);
        const auto now = Clock::now();
        const double dt = std::chrono::duration<double>(now - rate_t0).count();
        if (dt > 0.5) {
            rate = (model->d_updates() - rate_steps0) / dt;
            rate_t0 = now;
            rate_steps0 = model->d_updates();
        }
        // Slow motion: the next step waits, and this one is shown at once (not busy).
        if (delay_ms > 0) next_step_at = now + std::chrono::milliseconds(delay_ms);
    }

    void publish(bool force, bool busy) override {
        absorb_w1();
        // A run toward a step limit (a screenshot, a demo) spends its time on steps.
        const auto interval = std::chrono::milliseconds(step_limit > 0 ? 250 : 33);
        const bool due = Clock::now() - last_publish > interval;
        if (force || (dirty && (due || !busy))) publish_snapshot();
    }

    void failed(const std::exception& e) override {
        error = verbatim(e.what());
        running = false;
        dirty = true;
    }
};

ToyLab::ToyLab(ToyLabConfig config, bool start_running)
    : initial_(std::move(config)),
      start_running_(start_running),
      worker_("GAN Lab"),
      job_(std::make_unique<Worker>()) {
    job_->lab = this;
    w1_thread_ = std::thread([this] { w1_main(); });
    worker_.start(*job_);
}

ToyLab::~ToyLab() {
    worker_.stop();  // first: it hands the W1 thread its jobs
    {
        std::lock_guard<std::mutex> lock(w1_mutex_);
        w1_stop_ = true;
    }
    w1_cv_.notify_all();
    w1_thread_.join();
}

void ToyLab::enqueue(std::function<void(Worker&)> command) {
    worker_.post([this, command = std::move(command)] { command(*job_); });
}

void ToyLab::run() {
    enqueue([](Worker& w) { w.running = w.model != nullptr; });
}
void ToyLab::pause() {
    enqueue([](Worker& w) { w.running = false; });
}
void ToyLab::toggle_run() {
    enqueue([](Worker& w) { w.running = !w.running && w.model; });
}
void ToyLab::step_once() {
    enqueue([](Worker& w) {
        w.running = false;
        if (w.model) w.train_step(true);
    });
}
void ToyLab::reset() {
    enqueue([](Worker& w) {
        w.running = false;
        w.build(w.config);
    });
}
void ToyLab::configure(const ToyLabConfig& config) {
    enqueue([config](Worker& w) {
        const bool was_running = w.running;
        w.running = false;
        w.build(config);
        w.running = was_running;
    });
}
void ToyLab::set_hyper(const std::string& name, double value) {
    enqueue([name, value](Worker& w) {
        w.model->set_hyper_param(name, value);
        w.config.model = w.model->config();
        w.dirty = true;
    });
}
void ToyLab::set_delay_ms(int ms) {
    enqueue([ms](Worker& w) {
        w.delay_ms = std::clamp(ms, 0, 2000);
        w.next_step_at = Clock::now();
    });
}
void ToyLab::set_w1_points(int n) {
    enqueue([n](Worker& w) {
        w.w1_points = std::clamp(n, 2, static_cast<int>(kMaxW1Points));
        w.dirty = true;
    });
}
void ToyLab::set_step_limit(int64_t g_steps) {
    enqueue([g_steps](Worker& w) { w.step_limit = std::max<int64_t>(g_steps, 0); });
}

void ToyLab::sync() {
    worker_.sync();
}

void ToyLab::Worker::publish_snapshot() {
    auto s = std::make_shared<ToyLabSnapshot>();
    s->version = ++version;
    s->config = config;
    s->running = running;
    s->error = error;
    s->box = box;
    if (!model) {
        lab->worker_.publish(std::move(s));
        return;
    }
    Toy2d& m = *model;
    const int dim = dist.dim;
    s->dim = dim;
    s->d_updates = m.d_updates();
    s->g_updates = m.g_updates();
    s->steps_per_second = rate;
    s->hyper_params = m.hyper_params();
    s->real = to_vector(display_real);
    Tensor fake = m.generate(fixed_noise);  // (512, dim)
    s->fake = to_vector(fake);
    s->push = to_vector(m.generator_push(fake));
    if (!dist.centres.empty()) {
        const ModeCoverage mc = mode_coverage(dist, fake);
        s->modes_total = mc.modes;
        s->modes_covered = mc.covered;
        s->near_share = static_cast<float>(mc.near_share);
    }
    const int heat_n = dim == 2 ? kHeat2d : kHeat1d;
    Tensor grid = grid_points(heat_n, dim, box);
    s->heat_n = heat_n;
    s->heat = to_vector(m.discriminate(grid));
    s->heat_is_probability = !is_wasserstein(m.config().objective) &&
                             m.config().objective != ToyObjective::least_squares;
    // The warped latent grid: G on a regular grid of z.
    const int ln = m.config().noise_dim == 2 ? 21 : 101;
    const float zr = m.config().gaussian_noise ? 2.0f : 1.0f;
    s->latent_n = ln;
    s->manifold = to_vector(m.generate(grid_points(ln, m.config().noise_dim, {-zr, zr})));
    if (dim == 1) {
        std::vector<float> xs = to_vector(grid);
        s->kde_real = kernel_density(s->real, xs);
        s->kde_fake = kernel_density(s->fake, xs);
        s->p_data.resize(xs.size());
        for (size_t i = 0; i < xs.size(); ++i) s->p_data[i] = float(dist.density_1d(xs[i]));
    }
    // Duality read-outs: the critic's estimate and its slope.
    Tensor fr = m.critic_raw(display_real), ff = m.critic_raw(fake);
    {
        NoGradGuard no_grad;
        s->critic_estimate = mean(fr).item() - mean(ff).item();
    }
    Tensor lg = m.critic_input_gradient(grid_points(kLipschitzGrid, dim, box));
    float lip = 0;
    for (int64_t i = 0; i < lg.size(0); ++i) {
        float sq = 0;
        for (int k = 0; k < dim; ++k) sq += lg.data()[i * dim + k] * lg.data()[i * dim + k];
        lip = std::max(lip, std::sqrt(sq));
    }
    s->lipschitz = lip;
    s->metrics = metrics;
    s->wasserstein = wasserstein;
    s->plan_real = plan_real;
    s->plan_fake = plan_fake;
    s->plan_match = plan_match;
    s->plan_w1 = plan_w1;
    s->plan_step = plan_step;
    {
        // Hand the exact W1 a fresh job when it is idle (it skips stale ones).
        std::lock_guard<std::mutex> lock(lab->w1_mutex_);
        s->w1_busy = lab->w1_busy_;
        const int64_t mpts = w1_points;
        const bool same =
            plan_step == m.d_updates() && static_cast<int64_t>(plan_match.size()) == mpts;
        if (!lab->w1_busy_ && !same) {
            auto job = std::make_unique<W1Job>();
            job->step = m.d_updates();
            job->real = narrow(w1_real, 0, 0, mpts).clone();
            job->fake = m.generate(narrow(w1_noise, 0, 0, mpts));
            job->critic_estimate = s->critic_estimate;
            job->lipschitz = lip;
            job->generation = generation;
            lab->w1_job_ = std::move(job);
            lab->w1_busy_ = true;
            s->w1_busy = true;
            lab->w1_cv_.notify_all();
        }
    }
    WorkerProgress progress;
    progress.steps = m.g_updates();
    if (step_limit > 0)
        progress.fraction = std::min(1.0f, float(m.g_updates()) / float(step_limit));
    progress.activity = verbatim(config.data + ", " + objective_name(m.config().objective));
    lab->worker_.report(progress);
    lab->worker_.publish(std::move(s));
    dirty = false;
    last_publish = Clock::now();
}

void ToyLab::Worker::absorb_w1() {
    std::unique_ptr<W1Result> r;
    {
        std::lock_guard<std::mutex> lock(lab->w1_mutex_);
        r = std::move(lab->w1_result_);
    }
    if (!r || r->job.generation != generation) return;
    if (wasserstein.use_count() > 1) wasserstein = std::make_shared<MetricHistory>(*wasserstein);
    if (wasserstein->steps.empty() || wasserstein->steps.back() < r->job.step)
        wasserstein->add(r->job.step, {{"W1 exact", float(r->w1)},
                                       {"critic estimate", r->job.critic_estimate},
                                       {"Lipschitz", r->job.lipschitz}});
    plan_real = to_vector(r->job.real);
    plan_fake = to_vector(r->job.fake);
    plan_match = r->match;
    plan_w1 = r->w1;
    plan_step = r->job.step;
    dirty = true;
}

void ToyLab::w1_main() {
    apply_worker_priority();  // a helper of the lab's worker: the same priority
    cpu::run_serially_on_this_thread();
    while (true) {
        std::unique_ptr<W1Job> job;
        {
            std::unique_lock<std::mutex> lock(w1_mutex_);
            // Never wakes the worker while holding w1_mutex_: the worker's thread
            // takes w1_mutex_ in publish(), outside the worker's own lock.
            w1_cv_.wait(lock, [&] { return w1_stop_ || w1_job_ != nullptr; });
            if (w1_stop_) return;
            job = std::move(w1_job_);
        }
        auto result = std::make_unique<W1Result>();
        try {
            if (job->real.size(1) == 1) {  // 1-D: sorting is exact; the plan pairs sorted points
                const int64_t n = job->real.size(0);
                std::vector<int> ia(n), ib(n);
                for (int64_t i = 0; i < n; ++i) ia[i] = ib[i] = static_cast<int>(i);
                const float* a = job->real.data();
                const float* b = job->fake.data();
                std::sort(ia.begin(), ia.end(), [&](int x, int y) { return a[x] < a[y]; });
                std::sort(ib.begin(), ib.end(), [&](int x, int y) { return b[x] < b[y]; });
                result->match.assign(n, 0);
                for (int64_t k = 0; k < n; ++k) result->match[ia[k]] = ib[k];
                result->w1 =
                    wasserstein1_1d(std::vector<double>(a, a + n), std::vector<double>(b, b + n));
            } else {
                TransportPlan plan = wasserstein1_exact(job->real, job->fake, kMaxW1Points);
                result->match = plan.match;
                result->w1 = plan.w1;
            }
        } catch (const std::exception&) {
            result->w1 = NAN;  // non-finite points: nothing to draw
            result->match.clear();
        }
        result->job = std::move(*job);
        {
            std::lock_guard<std::mutex> lock(w1_mutex_);
            if (std::isfinite(result->w1)) w1_result_ = std::move(result);
            w1_busy_ = false;
        }
        worker_.wake();
    }
}

std::shared_ptr<const ToyLabSnapshot> wait_for_toy_snapshot(
    const ToyLab& lab, const std::function<bool(const ToyLabSnapshot&)>& done, double timeout_s) {
    const auto end = Clock::now() + std::chrono::duration<double>(timeout_s);
    std::shared_ptr<const ToyLabSnapshot> s = lab.snapshot();
    while (Clock::now() < end) {
        s = lab.snapshot();
        if (s && done(*s)) return s;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return s;
}

}  // namespace ganvas
