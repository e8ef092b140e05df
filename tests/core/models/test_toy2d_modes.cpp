// Mode coverage on the ring of 8 Gaussians with a fixed seed and step budget:
// WGAN-GP must cover all 8 modes, counted by nearest centre. The minimax GAN
// with the same seed and budget runs beside it and is only reported: it may
// collapse onto a few modes, or not.
//
// WGAN-GP keeps the paper's lambda = 10, Adam betas (0, 0.9) and 5 critic steps,
// but a learning rate of 5e-4 instead of 1e-4, so that the budget fits the test's
// time (about 25 s on one core): with 1e-4 the ring needs over 4000 G steps here.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "backend/cpu/thread_pool.h"
#include "data/toy_distributions.h"
#include "models/toy2d.h"
#include "ops/ops.h"

using namespace ganvas;

namespace {

constexpr uint64_t kSeed = 1;
constexpr int64_t kGeneratorSteps = 2000;
constexpr int64_t kBatch = 128;

ModeCoverage train_and_count(const std::string& spec) {
    cpu::set_num_threads(1);
    const ToyDistribution ring = make_toy_distribution("ring8");
    Rng rng(kSeed), data_rng(kSeed + 100), eval_rng(1234);
    Toy2d model(parse_toy2d_spec(spec), rng);
    const Tensor z = model.noise(2000, eval_rng);  // (2000, 2), the same for every count
    const auto t0 = std::chrono::steady_clock::now();
    while (model.g_updates() < kGeneratorSteps) {
        Tensor real = ring.sample(kBatch, data_rng);  // (B, 2)
        model.step({reshape(real, {kBatch, 2, 1, 1}), Tensor()}, rng);
        if (model.d_updates() % (500 * model.effective_d_steps()) == 0) {
            ModeCoverage m = mode_coverage(ring, model.generate(z));
            std::printf("  %s after %lld G steps: %d of 8 modes, %.0f%% near a centre\n",
                        spec.c_str(), static_cast<long long>(model.g_updates()), m.covered,
                        100 * m.near_share);
        }
    }
    ModeCoverage m = mode_coverage(ring, model.generate(z));
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf(
        "%s: seed %llu, %lld G steps (%lld D steps), batch %lld: %d of 8 modes covered, "
        "%.1f%% of samples within 0.3 of a centre, per mode",
        spec.c_str(), static_cast<unsigned long long>(kSeed),
        static_cast<long long>(model.g_updates()), static_cast<long long>(model.d_updates()),
        static_cast<long long>(kBatch), m.covered, 100 * m.near_share);
    for (int c : m.counts) std::printf(" %d", c);
    std::printf(" (%.1f s wall)\n", seconds);
    return m;
}

}  // namespace

TEST(Toy2dModes, WganGpCoversAllEightModesOfTheRing) {
    ModeCoverage m = train_and_count("toy2d:objective=wgan_gp,lr_g=5e-4,lr_d=5e-4");
    EXPECT_EQ(m.covered, 8);
    EXPECT_GT(m.near_share, 0.4);  // samples sit on the modes, not spread between them
}

TEST(Toy2dModes, MinimaxGanBesideItIsReportedOnly) {
    // Its own standard optimiser (Adam 1e-3, betas (0.5, 0.999)), same seed and budget.
    ModeCoverage m = train_and_count("toy2d:objective=minimax");
    RecordProperty("minimax_modes_covered", m.covered);
    EXPECT_LE(m.covered, 8);  // no claim beyond a sane count: it may collapse
}
