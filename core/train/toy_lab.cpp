#include "train/toy_lab.h"

#include <chrono>
#include <cmath>
#include <future>
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

struct ToyLab::Worker {
    ToyLabConfig config;
    ToyDistribution dist;
    std::unique_ptr<Toy2d> model;
    Rng rng, data_rng;
    Tensor display_real, fixed_noise;  // (512, dim), (512, noise_dim)
    Tensor w1_real, w1_noise;          // (1024, dim), (1024, noise_dim)
    std::shared_ptr<MetricHistory> metrics, wasserstein;
    bool running = false;
    std::string error;
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
    std::vector<std::shared_ptr<std::promise<void>>> waiters;  // sync() calls

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
                error = name + " became " + std::to_string(v) + " at step " +
                        std::to_string(model->d_updates()) +
                        ": training paused (lower the learning rate, or Reset)";
            }
        // Copy-on-write: a published history is never changed.
        if (metrics.use_count() > 1) metrics = std::make_shared<MetricHistory>(*metrics);
        metrics->add(model->d_updates(), stats);
        if (step_limit > 0 && model->g_updates() >= step_limit) running = false;
        dirty = true;
    }
};

ToyLab::ToyLab(ToyLabConfig config, bool start_running)
    : initial_(std::move(config)), start_running_(start_running) {
    thread_ = std::thread([this] { thread_main(); });
    w1_thread_ = std::thread([this] { w1_main(); });
}

ToyLab::~ToyLab() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    cv_.notify_all();
    {
        std::lock_guard<std::mutex> lock(w1_mutex_);
        w1_stop_ = true;
    }
    w1_cv_.notify_all();
    thread_.join();
    w1_thread_.join();
}

void ToyLab::enqueue(std::function<void(Worker&)> command) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        queue_.push_back(std::move(command));
        ++commands_sent_;
    }
    cv_.notify_all();
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
    enqueue([ms](Worker& w) { w.delay_ms = std::clamp(ms, 0, 2000); });
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
    auto done = std::make_shared<std::promise<void>>();
    std::future<void> f = done->get_future();
    enqueue([done](Worker& w) { w.waiters.push_back(done); });
    f.wait();
}

void ToyLab::thread_main() {
    cpu::run_serially_on_this_thread();
    Worker w;
    try {
        w.build(initial_);
        w.running = start_running_;
    } catch (const std::exception& e) {
        w.error = e.what();
    }
    uint64_t version = 0;

    auto publish = [&] {
        auto s = std::make_shared<ToyLabSnapshot>();
        s->version = ++version;
        s->config = w.config;
        s->running = w.running;
        s->error = w.error;
        s->box = w.box;
        if (!w.model) {
            exchange_.publish(std::move(s));
            return;
        }
        Toy2d& m = *w.model;
        const int dim = w.dist.dim;
        s->dim = dim;
        s->d_updates = m.d_updates();
        s->g_updates = m.g_updates();
        s->steps_per_second = w.rate;
        s->hyper_params = m.hyper_params();
        s->real = to_vector(w.display_real);
        Tensor fake = m.generate(w.fixed_noise);  // (512, dim)
        s->fake = to_vector(fake);
        s->push = to_vector(m.generator_push(fake));
        if (!w.dist.centres.empty()) {
            const ModeCoverage mc = mode_coverage(w.dist, fake);
            s->modes_total = mc.modes;
            s->modes_covered = mc.covered;
            s->near_share = static_cast<float>(mc.near_share);
        }
        const int heat_n = dim == 2 ? kHeat2d : kHeat1d;
        Tensor grid = grid_points(heat_n, dim, w.box);
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
            for (size_t i = 0; i < xs.size(); ++i) s->p_data[i] = float(w.dist.density_1d(xs[i]));
        }
        // Duality read-outs: the critic's estimate and its slope.
        Tensor fr = m.critic_raw(w.display_real), ff = m.critic_raw(fake);
        {
            NoGradGuard no_grad;
            s->critic_estimate = mean(fr).item() - mean(ff).item();
        }
        Tensor lg = m.critic_input_gradient(grid_points(kLipschitzGrid, dim, w.box));
        float lip = 0;
        for (int64_t i = 0; i < lg.size(0); ++i) {
            float sq = 0;
            for (int k = 0; k < dim; ++k) sq += lg.data()[i * dim + k] * lg.data()[i * dim + k];
            lip = std::max(lip, std::sqrt(sq));
        }
        s->lipschitz = lip;
        s->metrics = w.metrics;
        s->wasserstein = w.wasserstein;
        s->plan_real = w.plan_real;
        s->plan_fake = w.plan_fake;
        s->plan_match = w.plan_match;
        s->plan_w1 = w.plan_w1;
        s->plan_step = w.plan_step;
        {
            // Hand the exact W1 a fresh job when it is idle (it skips stale ones).
            std::lock_guard<std::mutex> lock(w1_mutex_);
            s->w1_busy = w1_busy_;
            const int64_t mpts = w.w1_points;
            const bool same =
                w.plan_step == m.d_updates() && static_cast<int64_t>(w.plan_match.size()) == mpts;
            if (!w1_busy_ && !same) {
                auto job = std::make_unique<W1Job>();
                job->step = m.d_updates();
                job->real = narrow(w.w1_real, 0, 0, mpts).clone();
                job->fake = m.generate(narrow(w.w1_noise, 0, 0, mpts));
                job->critic_estimate = s->critic_estimate;
                job->lipschitz = lip;
                job->generation = w.generation;
                w1_job_ = std::move(job);
                w1_busy_ = true;
                s->w1_busy = true;
                w1_cv_.notify_all();
            }
        }
        exchange_.publish(std::move(s));
        w.dirty = false;
        w.last_publish = Clock::now();
    };

    auto absorb_w1 = [&] {
        std::unique_ptr<W1Result> r;
        {
            std::lock_guard<std::mutex> lock(w1_mutex_);
            r = std::move(w1_result_);
        }
        if (!r || r->job.generation != w.generation) return;
        if (w.wasserstein.use_count() > 1)
            w.wasserstein = std::make_shared<MetricHistory>(*w.wasserstein);
        if (w.wasserstein->steps.empty() || w.wasserstein->steps.back() < r->job.step)
            w.wasserstein->add(r->job.step, {{"W1 exact", float(r->w1)},
                                             {"critic estimate", r->job.critic_estimate},
                                             {"Lipschitz", r->job.lipschitz}});
        w.plan_real = to_vector(r->job.real);
        w.plan_fake = to_vector(r->job.fake);
        w.plan_match = r->match;
        w.plan_w1 = r->w1;
        w.plan_step = r->job.step;
        w.dirty = true;
    };

    publish();
    while (true) {
        std::deque<std::function<void(Worker&)>> commands;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            auto has_work = [&] {
                std::lock_guard<std::mutex> w1lock(w1_mutex_);
                return stop_ || !queue_.empty() || w.running || w1_result_ != nullptr ||
                       (w.dirty && !w1_busy_);
            };
            cv_.wait_for(lock, std::chrono::milliseconds(100), has_work);
            if (stop_) break;
            commands.swap(queue_);
        }
        for (auto& c : commands) {
            try {
                c(w);
            } catch (const std::exception& e) {
                w.error = e.what();
                w.running = false;
                w.dirty = true;
            }
            commands_done_++;
        }
        absorb_w1();
        if (!w.waiters.empty()) {  // sync(): the commands before it are done and shown
            try {
                publish();
            } catch (const std::exception& e) {
                w.error = e.what();
            }
            for (auto& p : w.waiters) p->set_value();
            w.waiters.clear();
        }
        if (w.running && w.model) {
            try {
                w.train_step(false);
            } catch (const std::exception& e) {
                w.error = e.what();
                w.running = false;
            }
            const auto now = Clock::now();
            const double dt = std::chrono::duration<double>(now - w.rate_t0).count();
            if (dt > 0.5) {
                w.rate = (w.model->d_updates() - w.rate_steps0) / dt;
                w.rate_t0 = now;
                w.rate_steps0 = w.model->d_updates();
            }
            if (w.delay_ms > 0) {
                publish();  // slow motion shows every step
                std::unique_lock<std::mutex> lock(mutex_);
                cv_.wait_for(lock, std::chrono::milliseconds(w.delay_ms),
                             [&] { return stop_ || !queue_.empty(); });
                continue;
            }
        }
        // A run toward a step limit (a screenshot, a demo) spends its time on steps.
        const auto interval = std::chrono::milliseconds(w.step_limit > 0 ? 250 : 33);
        const bool due = Clock::now() - w.last_publish > interval;
        if (w.dirty && (due || !w.running)) {
            try {
                publish();
            } catch (const std::exception& e) {
                w.error = e.what();
                w.running = false;
            }
        }
    }
}

void ToyLab::w1_main() {
    cpu::run_serially_on_this_thread();
    while (true) {
        std::unique_ptr<W1Job> job;
        {
            std::unique_lock<std::mutex> lock(w1_mutex_);
            // Never takes mutex_ while holding w1_mutex_: the training thread takes
            // them in the other order.
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
        cv_.notify_all();
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
