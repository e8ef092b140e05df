#include "train/prior_lab.h"

#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>

#include "autograd/autograd.h"
#include "models/vq_codes.h"
#include "ops/shape_ops.h"
#include "train/metrics_log.h"
#include "train/session.h"

namespace ganvas {
namespace {

constexpr int64_t kBatch = 64;  // the reference's batch
constexpr int64_t kPatch = 4;   // each code covers 4x4 pixels of the 28x28 image

// The first `n` images of a dataset, copied.
Tensor first_images(const Tensor& images, int64_t n) {
    return narrow(images, 0, 0, std::min(n, images.size(0))).clone();
}

}  // namespace

std::string train_stage1(const Stage1Config& config, const Stage1Progress& keep_going) {
    namespace fs = std::filesystem;
    if (config.steps < 1)
        throw std::runtime_error("stage 1 needs at least one step, not " +
                                 std::to_string(config.steps));
    SessionConfig session_config;
    session_config.model = "vqgan28";
    session_config.data = config.data;
    session_config.batch = config.batch;
    session_config.seed = config.seed;
    Session session(session_config);  // the data first: a bad data set fails before any file
    session.model().set_hyper_param("ema", 1);
    session.model().set_hyper_param("restart_dead", 1);
    session.model().set_hyper_param("dead_after", static_cast<double>(config.dead_after));
    std::error_code ec;
    fs::create_directories(config.out_dir, ec);
    if (ec || !fs::is_directory(config.out_dir))
        throw std::runtime_error(config.out_dir + ": cannot make the stage-1 folder (" +
                                 (ec ? ec.message() : "a file is in the way") + ")");
    const std::string metrics_path = (fs::path(config.out_dir) / "metrics.csv").string();
    std::vector<std::pair<int64_t, StepStats>> rows;  // written with the checkpoint, or never
    const auto t0 = std::chrono::steady_clock::now();
    while (session.steps_done() < config.steps) {
        StepStats stats = session.step();
        for (auto& [name, v] : stats)
            if (!std::isfinite(v))
                throw std::runtime_error("stage 1 stopped: " + name + " became " +
                                         std::to_string(v) + " at step " +
                                         std::to_string(session.steps_done()));
        rows.emplace_back(session.steps_done(), stats);
        if (keep_going && !keep_going(session.steps_done(), stats)) return "";
    }
    const std::string checkpoint = (fs::path(config.out_dir) / "checkpoint.safetensors").string();
    session.save_checkpoint(checkpoint);
    MetricsLog log(metrics_path, 0);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // elapsed_s spread evenly over the steps: they were not timed one by one.
    for (auto& [step, stats] : rows)
        log.add(step, stats, seconds * static_cast<double>(step) / config.steps);
    log.flush();
    return checkpoint;
}

PriorLab::PriorLab() : worker_("VQ Stage 2 prior") {
    worker_.publish(std::make_shared<State>());
    worker_.start(*this);
}

PriorLab::~PriorLab() {
    worker_.stop();  // joins before the state it works on is destroyed
}

std::shared_ptr<const PriorLab::State> PriorLab::state() const {
    return worker_.latest();
}

void PriorLab::post(Command c) {
    worker_.post(std::move(c));
}

void PriorLab::publish() {
    ++work_.version;
    unpublished_ = false;
    worker_.report({work_.step, work_.progress, work_.status});
    worker_.publish(std::make_shared<State>(work_));
}

void PriorLab::load(const PriorLabConfig& config) {
    post([this, config] { do_load(config); });
}
void PriorLab::train_stage1(const Stage1Config& stage1, PriorLabConfig then) {
    stage1_cancel_ = false;  // here, not on the thread: a cancel sent after this call counts
    post([this, stage1, then] { do_train_stage1(stage1, then); });
}
void PriorLab::cancel_stage1() {
    stage1_cancel_ = true;
}
void PriorLab::set_training(bool on) {
    post([this, on] {
        work_.training = on && work_.ready;
        publish();
    });
}
void PriorLab::set_delay(double delay_s) {
    post([this, delay_s] { delay_s_ = delay_s; });
}

void PriorLab::generate(int64_t n, const SamplingOptions& options, uint64_t seed, double delay_s) {
    post([=, this] { start_sampling(Tensor(), 0, n, options, seed, delay_s, Tensor()); });
}

void PriorLab::complete(int64_t index, int64_t keep_rows, int64_t n, const SamplingOptions& options,
                        uint64_t seed, double delay_s) {
    post([=, this] {
        if (!work_.ready || index < 0 || index >= heldout_codes_.size(0)) return;
        Tensor one = code_rows(narrow(heldout_codes_, 0, index, 1), kPriorCodes, "held-out");
        Tensor grids = Tensor::empty({n, kPriorSeq}, DType::i64);  // n copies of one grid
        for (int64_t i = 0; i < n; ++i)
            std::copy(one.data_i64(), one.data_i64() + kPriorSeq, grids.data_i64() + i * kPriorSeq);
        start_sampling(grids, keep_rows * kPriorGrid, n, options, seed, delay_s,
                       narrow(heldout_images_, 0, index, 1).clone());
    });
}

void PriorLab::do_load(const PriorLabConfig& config) {
    config_ = config;
    work_ = State{};
    work_.version = worker_.latest()->version;
    sampler_.reset();
    try {
        work_.status = phrase("loading %s", config.vq_path);
        publish();
        vq_ = load_vq_for_prior(config.vq_path);
        if (config.prior_path.empty()) {
            Rng rng(0);
            prior_ = std::make_unique<Prior49>(rng);
        } else {
            prior_ = load_prior(config.prior_path);
        }
        batch_rng_ = std::make_unique<Rng>(1);
        ImageDataset train = load_fashion_mnist("train", config.data_dir);
        ImageDataset test = load_fashion_mnist("test", config.data_dir);
        Tensor train_images = first_images(train.images, config.train_images);
        heldout_images_ = first_images(test.images, config.heldout_images);
        const int64_t total = train_images.size(0) + heldout_images_.size(0);
        work_.status = phrase("coding Fashion-MNIST with the VQGAN");
        auto progress = [&, offset = int64_t{0}](int64_t done, int64_t) {
            work_.progress = static_cast<float>(offset + done) / static_cast<float>(total);
            publish();
        };
        train_codes_ = codes_as_images(encode_to_codes(*vq_, train_images, progress, 500));
        auto progress2 = [&](int64_t done, int64_t) {
            work_.progress =
                static_cast<float>(train_images.size(0) + done) / static_cast<float>(total);
            publish();
        };
        heldout_codes_ = codes_as_images(encode_to_codes(*vq_, heldout_images_, progress2, 500));
        heldout_count_ = heldout_codes_.size(0);
        PriorEvaluation e = prior_->evaluate(heldout_codes_);
        work_.last_heldout_bits = e.bits_per_code;
        work_.last_heldout_accuracy = e.accuracy;
        work_.progress = -1;
        work_.ready = true;
        work_.status = config.prior_path.empty() ? phrase("ready: a fresh prior, press Train")
                                                 : phrase("ready: %s", config.prior_path);
    } catch (const std::exception& e) {
        work_.error = e.what();
        work_.status = phrase("not loaded");
        work_.progress = -1;
        work_.ready = false;
    }
    publish();
}

void PriorLab::do_train_stage1(const Stage1Config& stage1, PriorLabConfig then) {
    // What was loaded goes: the new stage 1 replaces it, or nothing is loaded.
    work_ = State{};
    work_.version = worker_.latest()->version;
    sampler_.reset();
    vq_.reset();
    prior_.reset();
    heldout_count_ = 0;
    work_.stage1_training = true;
    work_.stage1_steps = stage1.steps;
    work_.progress = 0;
    work_.status = phrase("stage 1: loading %s", stage1.data);
    publish();
    std::string checkpoint;
    try {
        auto last_publish = std::chrono::steady_clock::now();
        checkpoint = ganvas::train_stage1(stage1, [&](int64_t step, const StepStats& stats) {
            work_.stage1_step = step;
            work_.progress = static_cast<float>(step) / static_cast<float>(stage1.steps);
            char loss[32];
            std::snprintf(loss, sizeof loss, "%.4f",
                          stats.empty() ? 0.0 : static_cast<double>(stats[0].second));
            work_.status = phrase("stage 1: vqgan28 step %s of %s, loss %s", std::to_string(step),
                                  std::to_string(stage1.steps), loss);
            const auto now = std::chrono::steady_clock::now();
            if (now - last_publish > std::chrono::milliseconds(100)) {
                last_publish = now;
                publish();
            }
            return !stage1_cancel_ && !worker_.stopping();
        });
    } catch (const std::exception& e) {
        work_.error = e.what();
    }
    work_.stage1_training = false;
    work_.progress = -1;
    if (checkpoint.empty()) {
        work_.status =
            work_.error.empty() ? phrase("stage 1 cancelled: nothing saved") : phrase("not loaded");
        publish();
        return;
    }
    then.vq_path = checkpoint;
    then.prior_path.clear();
    do_load(then);
}

void PriorLab::train_step() {
    const int64_t n = train_codes_.size(0);
    Tensor batch = Tensor::empty({kBatch, 1, kPriorGrid, kPriorGrid});  // (B, 1, 7, 7)
    for (int64_t b = 0; b < kBatch; ++b) {
        const int64_t i = batch_rng_->randint(n);
        std::copy(train_codes_.data() + i * kPriorSeq, train_codes_.data() + (i + 1) * kPriorSeq,
                  batch.data() + b * kPriorSeq);
    }
    StepStats stats = prior_->step_codes(batch);
    ++work_.step;
    work_.steps.push_back(work_.step);
    work_.train_bits.push_back(stats[1].second);
    float heldout = NAN;
    if (work_.step % config_.eval_every == 0) {
        PriorEvaluation e = prior_->evaluate(heldout_codes_);
        work_.last_heldout_bits = e.bits_per_code;
        work_.last_heldout_accuracy = e.accuracy;
        heldout = static_cast<float>(e.bits_per_code);
    }
    work_.heldout_bits.push_back(heldout);
    work_.status = phrase("training: step %s", std::to_string(work_.step));
}

void PriorLab::start_sampling(Tensor grids, int64_t first, int64_t n,
                              const SamplingOptions& options, uint64_t seed, double delay_s,
                              Tensor source) {
    if (!work_.ready) return;
    try {
        sampler_ = std::make_unique<CodeSampler>(prior_->net, n, options, seed, grids, first);
    } catch (const std::exception& e) {
        work_.error = e.what();
        publish();
        return;
    }
    delay_s_ = delay_s;
    work_.first_position = first;
    work_.sampling = true;
    work_.source = source;
    work_.candidates.clear();
    work_.error.clear();
    decode_current();
    publish();
}

// Decodes the grids as sampled so far and greys out the patches not yet written,
// so each new code's patch appears in place.
void PriorLab::decode_current() {
    const Tensor& codes = sampler_->codes();  // (N, 49)
    const int64_t n = codes.size(0), pos = sampler_->position();
    Tensor images = vq_->decode_indices(reshape(codes, {n, kPriorGrid, kPriorGrid}));
    for (int64_t i = 0; i < n; ++i)
        for (int64_t t = pos; t < kPriorSeq; ++t) {
            const int64_t r = t / kPriorGrid, c = t % kPriorGrid;
            for (int64_t y = r * kPatch; y < (r + 1) * kPatch; ++y)
                for (int64_t x = c * kPatch; x < (c + 1) * kPatch; ++x)
                    images.data()[(i * 28 + y) * 28 + x] = -0.6f;  // a dark grey placeholder
        }
    work_.codes = codes.clone();
    work_.images = images;
    work_.position = pos;
    if (!sampler_->done()) {
        work_.candidates = sampler_->top_candidates(0, 8);
        work_.candidates_position = pos;
    }
}

void PriorLab::sample_step() {
    sampler_->step();
    decode_current();
    if (sampler_->done()) {
        work_.sampling = false;
        sampler_.reset();
    }
}

// The worker's side: a sampled code when its delay has passed, else a training
// step; commands (a load, a new sampling) run between them.
bool PriorLab::wants_work() const {
    return work_.training || (sampler_ && std::chrono::steady_clock::now() >= next_code_at_);
}

WorkerClock::time_point PriorLab::next_work_at() const {
    return sampler_ ? next_code_at_ : WorkerClock::time_point::max();
}

void PriorLab::work() {
    const auto now = std::chrono::steady_clock::now();
    if (sampler_ && now >= next_code_at_) {
        sample_step();
        next_code_at_ = now + std::chrono::microseconds(static_cast<int64_t>(delay_s_ * 1e6));
        publish();
    } else if (work_.training) {
        train_step();
        unpublished_ = true;
        if (work_.step % 5 == 0 || work_.step % config_.eval_every == 0) publish();
    }
}

void PriorLab::publish(bool force, bool busy) {
    if (force || (unpublished_ && !busy)) publish();
}

void PriorLab::failed(const std::exception& e) {
    work_.error = e.what();
    work_.training = false;
    work_.sampling = false;
    sampler_.reset();
    publish();
}

}  // namespace ganvas
