// The learned upsampling comparison: every variant of the 2x super-resolution net
// learns (validation PSNR rises), snapshots have the promised shapes, and the
// background thread starts, pauses and stops cleanly.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <thread>

#include "train/upsampler_race.h"

using namespace ganvas;

namespace {

// Workers at the test's own priority: on a busy machine nice 10 would starve them.
[[maybe_unused]] const bool kNormalPriority = (set_worker_priority({0}), true);

// Smooth random blobs, 28x28 in [-1, 1]: learnable, unlike white noise.
std::shared_ptr<const ImageDataset> blobs(int64_t n) {
    auto d = std::make_shared<ImageDataset>();
    d->images = Tensor::empty({n, 1, 28, 28});
    Rng rng(3);
    for (int64_t i = 0; i < n; ++i) {
        const float cx = rng.uniform(6, 22), cy = rng.uniform(6, 22), r = rng.uniform(3, 8);
        for (int64_t y = 0; y < 28; ++y)
            for (int64_t x = 0; x < 28; ++x) {
                const float d2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (r * r);
                d->images.data()[i * 784 + y * 28 + x] = 2.0f * std::exp(-d2) - 1.0f;
            }
    }
    d->name = "blobs";
    return d;
}

TEST(UpsamplerRace, EveryVariantLearns) {
    RaceOptions o;
    o.validation = 32;
    o.eval_every = 40;
    o.max_steps = 80;
    o.channels = 8;
    UpsamplerRace race(blobs(200), o);
    auto first = race.snapshot();
    ASSERT_TRUE(first);
    EXPECT_EQ(first->steps, (std::vector<int64_t>{0}));
    EXPECT_GT(first->bicubic_psnr, 15.0f);
    for (int i = 0; i < 80; ++i) race.step();
    auto last = race.snapshot();
    EXPECT_EQ(last->steps, (std::vector<int64_t>{0, 40, 80}));
    EXPECT_TRUE(last->finished);
    EXPECT_EQ(last->low.shape(), (Shape{6, 1, 14, 14}));
    for (int k = 0; k < kUpsamplerKinds; ++k) {
        SCOPED_TRACE(upsampler_name(static_cast<UpsamplerKind>(k)));
        EXPECT_EQ(last->outputs[k].shape(), (Shape{6, 1, 28, 28}));
        EXPECT_GT(last->psnr[k].back(), last->psnr[k].front() + 3.0f);
    }
}

TEST(UpsamplerRace, BackgroundThreadRunsAndPauses) {
    RaceOptions o;
    o.validation = 32;
    o.eval_every = 5;
    o.max_steps = 100000;
    o.channels = 4;
    UpsamplerRace race(blobs(100), o);
    race.run();
    EXPECT_TRUE(race.running());
    const auto t0 = std::chrono::steady_clock::now();
    while (race.snapshot()->step < 10 &&
           std::chrono::steady_clock::now() - t0 < std::chrono::seconds(60))
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    race.pause();
    while (race.running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const auto s = race.snapshot();
    EXPECT_GE(s->step, 10);
    EXPECT_FALSE(s->running);
    EXPECT_EQ(s->steps.back(), s->step);  // paused state measured, once
    race.run();                           // resumes; the destructor stops and joins
}

TEST(UpsamplerRace, AHeldWorkerTakesNoStepsAndKeepsItsRunState) {
    RaceOptions o;
    o.validation = 32;
    o.max_steps = 100000;
    o.channels = 4;
    UpsamplerRace race(blobs(100), o);
    race.run();
    const auto t0 = std::chrono::steady_clock::now();
    while (race.worker().status().steps < 3 &&
           std::chrono::steady_clock::now() - t0 < std::chrono::seconds(60))
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    race.worker().set_hidden(true);  // its tab is not shown
    race.worker().sync();
    const int64_t held_at = race.worker().status().steps;
    ASSERT_GE(held_at, 3);
    race.worker().sync();
    EXPECT_EQ(race.worker().status().steps, held_at);
    EXPECT_TRUE(race.running());  // shown again, it goes on by itself
    race.worker().set_hidden(false);
    while (race.worker().status().steps == held_at &&
           std::chrono::steady_clock::now() - t0 < std::chrono::seconds(60))
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_GT(race.worker().status().steps, held_at);
}

TEST(UpsamplerRace, RejectsADatasetItCannotUse) {
    auto tiny = std::make_shared<ImageDataset>();
    tiny->images = Tensor::zeros({10, 1, 28, 28});
    EXPECT_THROW(UpsamplerRace(tiny, RaceOptions{}), std::invalid_argument);
}

}  // namespace
