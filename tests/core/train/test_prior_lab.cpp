// PriorLab, the worker behind the VQ Stage 2 tab: loading codes data with a
// VQGAN, training with held-out NLL, animated sampling and completion, errors.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <thread>

#include "support/golden.h"
#include "train/prior_lab.h"

using namespace ganvas;

namespace {

// Workers at the test's own priority: on a busy machine nice 10 would starve them.
[[maybe_unused]] const bool kNormalPriority = (set_worker_priority({0}), true);

const std::string kVq = ganvas::testing::golden_path("vqgan28/checkpoint.safetensors");

// Polls the lab's state until `done` holds (or 120 s pass: a hang fails the test).
std::shared_ptr<const PriorLab::State> wait_for(
    PriorLab& lab, const std::function<bool(const PriorLab::State&)>& done) {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    for (;;) {
        auto s = lab.state();
        if (done(*s) || std::chrono::steady_clock::now() > until) return s;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

PriorLabConfig small_config() {
    PriorLabConfig c;
    c.vq_path = kVq;
    c.train_images = 200;
    c.heldout_images = 20;
    c.eval_every = 2;
    return c;
}

}  // namespace

TEST(PriorLab, LoadsTrainsAndMeasuresHeldOutBits) {
    PriorLab lab;
    lab.load(small_config());
    auto s = wait_for(lab, [](auto& s) { return s.ready || !s.error.empty(); });
    ASSERT_TRUE(s->ready) << s->error;
    EXPECT_EQ(lab.heldout_count(), 20);
    EXPECT_TRUE(std::isfinite(s->last_heldout_bits));
    lab.set_training(true);
    s = wait_for(lab, [](auto& s) { return s.step >= 4; });
    lab.set_training(false);
    ASSERT_GE(s->step, 4);
    ASSERT_EQ(s->steps.size(), s->train_bits.size());
    ASSERT_EQ(s->steps.size(), s->heldout_bits.size());
    EXPECT_TRUE(std::isnan(s->heldout_bits[0]));  // measured every 2 steps only
    EXPECT_TRUE(std::isfinite(s->heldout_bits[1]));
}

TEST(PriorLab, SamplesCodeByCodeAndCompletesKeepingRows) {
    PriorLab lab;
    lab.load(small_config());
    ASSERT_TRUE(wait_for(lab, [](auto& s) { return s.ready || !s.error.empty(); })->ready);
    lab.generate(3, SamplingOptions{}, 1, 0.0);
    auto s =
        wait_for(lab, [](auto& s) { return s.codes.defined() && !s.sampling && s.position == 49; });
    ASSERT_EQ(s->position, 49);
    EXPECT_EQ(s->images.shape(), (Shape{3, 1, 28, 28}));
    EXPECT_EQ(s->candidates_position, 48);  // the last position's choices stay on show
    EXPECT_EQ(s->candidates.size(), 8u);

    lab.complete(4, 3, 2, SamplingOptions{}, 2, 0.0);
    s = wait_for(lab,
                 [](auto& s) { return s.source.defined() && !s.sampling && s.position == 49; });
    ASSERT_TRUE(s->source.defined());
    EXPECT_EQ(s->first_position, 21);
    for (int64_t t = 0; t < 21; ++t) EXPECT_EQ(s->codes.data_i64()[t], s->codes.data_i64()[49 + t]);
}

TEST(PriorLab, ABadFileIsOneErrorAndNoCrash) {
    PriorLab lab;
    PriorLabConfig c = small_config();
    c.vq_path = "/nonexistent/vq.safetensors";
    lab.load(c);
    auto s = wait_for(lab, [](auto& s) { return !s.error.empty(); });
    EXPECT_FALSE(s->ready);
    EXPECT_NE(s->error.find("/nonexistent/vq.safetensors"), std::string::npos) << s->error;
    lab.generate(2, SamplingOptions{}, 1, 0.0);  // ignored while nothing is loaded
    lab.set_training(true);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_FALSE(lab.state()->training);
}
