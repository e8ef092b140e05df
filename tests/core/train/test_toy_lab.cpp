// ToyLab: the GAN Lab's background trainer: commands, snapshots with every
// view's data, the exact W1 from its worker, 1-D densities, custom points.
#include <gtest/gtest.h>

#include <cmath>

#include "train/toy_lab.h"

using namespace ganvas;

namespace {

// Workers at the test's own priority: on a busy machine nice 10 would starve them.
[[maybe_unused]] const bool kNormalPriority = (set_worker_priority({0}), true);

ToyLabConfig small(const std::string& data, const std::string& objective = "wgan_gp") {
    ToyLabConfig c;
    c.data = data;
    c.model = parse_toy2d_spec("toy2d:width=16,layers=2,objective=" + objective);
    c.batch = 64;
    return c;
}

}  // namespace

TEST(ToyLab, StepOnceMakesOneDAndOneGUpdateAndFillsTheViews) {
    ToyLab lab(small("ring8"));
    lab.step_once();
    lab.sync();
    auto s = lab.snapshot();
    ASSERT_TRUE(s);
    EXPECT_EQ(s->d_updates, 1);
    EXPECT_EQ(s->g_updates, 1);  // even though WGAN-GP asks for 5 critic steps
    EXPECT_FALSE(s->running);
    EXPECT_EQ(s->dim, 2);
    EXPECT_EQ(s->real.size(), s->fake.size());
    EXPECT_EQ(s->push.size(), s->fake.size());
    EXPECT_EQ(s->heat.size(), size_t(s->heat_n) * s->heat_n);
    EXPECT_FALSE(s->heat_is_probability);  // a critic's value
    EXPECT_EQ(s->manifold.size(), size_t(s->latent_n) * s->latent_n * 2);
    EXPECT_GT(s->lipschitz, 0);
    ASSERT_TRUE(s->metrics);
    EXPECT_EQ(s->metrics->rows(), 1u);
    for (float v : s->fake) ASSERT_TRUE(std::isfinite(v));
}

TEST(ToyLab, ExactW1ArrivesFromItsWorkerWithAPlan) {
    ToyLab lab(small("ring8"));
    lab.set_w1_points(64);
    lab.step_once();
    auto s = wait_for_toy_snapshot(
        lab, [](const ToyLabSnapshot& x) { return x.plan_step == 1 && x.plan_match.size() == 64; },
        20);
    ASSERT_EQ(s->plan_match.size(), 64u);
    EXPECT_GT(s->plan_w1, 0);
    ASSERT_TRUE(s->wasserstein);
    ASSERT_GE(s->wasserstein->rows(), 1u);
    ASSERT_NE(s->wasserstein->column("W1 exact"), nullptr);
    EXPECT_NEAR(s->wasserstein->column("W1 exact")->back(), s->plan_w1, 1e-5);
    // The plan is a permutation of the 64 generated points.
    std::vector<int> seen(64, 0);
    for (int j : s->plan_match) ++seen[j];
    for (int c : seen) EXPECT_EQ(c, 1);
}

TEST(ToyLab, RunsUntilTheStepLimitAndPauses) {
    ToyLab lab(small("grid25", "non_saturating"));
    lab.set_step_limit(30);
    lab.run();
    auto s = wait_for_toy_snapshot(
        lab, [](const ToyLabSnapshot& x) { return !x.running && x.g_updates >= 30; }, 30);
    EXPECT_EQ(s->g_updates, 30) << s->d_updates << " " << s->error.english();
    EXPECT_TRUE(s->heat_is_probability);
    for (float p : s->heat) ASSERT_TRUE(p >= 0 && p <= 1);
    lab.reset();
    lab.sync();
    EXPECT_EQ(lab.snapshot()->d_updates, 0);
}

TEST(ToyLab, OneDimensionalDataGivesDensitiesAndDOnOneAxis) {
    ToyLab lab(small("gauss1d", "minimax"));
    lab.step_once();
    lab.sync();
    auto s = lab.snapshot();
    EXPECT_EQ(s->dim, 1);
    ASSERT_EQ(s->kde_real.size(), size_t(s->heat_n));
    ASSERT_EQ(s->kde_fake.size(), size_t(s->heat_n));
    ASSERT_EQ(s->p_data.size(), size_t(s->heat_n));
    double area = 0;
    const double dx = (s->box.hi - s->box.lo) / s->heat_n;
    for (float p : s->kde_real) area += p * dx;
    EXPECT_NEAR(area, 1.0, 0.05);  // a density
}

TEST(ToyLab, CustomPointsAndBadSettingsGiveErrorsNotCrashes) {
    ToyLab lab(small("ring8"));
    ToyLabConfig c = small("custom");
    c.custom_points = {{1, 1}, {-1, -1}};
    lab.configure(c);
    lab.sync();
    EXPECT_EQ(lab.snapshot()->config.data, "custom");
    EXPECT_TRUE(lab.snapshot()->error.empty());
    c.custom_points.clear();  // nothing drawn: an error, the old data stays
    lab.configure(c);
    lab.sync();
    EXPECT_NE(lab.snapshot()->error.english().find("at least one point"), std::string::npos);
    lab.set_hyper("lr_G", -1);
    lab.sync();
    EXPECT_NE(lab.snapshot()->error.english().find("lr_G"), std::string::npos);
}

TEST(ToyLab, KernelDensityIntegratesToOne) {
    std::vector<float> xs, samples = {0.0f, 0.5f, 1.0f, 3.0f};
    for (int i = 0; i < 2000; ++i) xs.push_back(-5 + 13.0f * i / 2000);
    std::vector<float> p = kernel_density(samples, xs);
    double area = 0;
    for (float v : p) area += v * 13.0 / 2000;
    EXPECT_NEAR(area, 1.0, 1e-3);
}

TEST(ToyLab, ParsesALabSpec) {
    ToyLabSpec s = parse_toy_lab_spec(
        "data=grid25,objective=minimax,steps=300,seed=4,batch=32,"
        "view=wasserstein,w1=512,width=32");
    EXPECT_EQ(s.config.data, "grid25");
    EXPECT_EQ(s.config.model.objective, ToyObjective::minimax);
    EXPECT_EQ(s.config.model.g_width, 32);
    EXPECT_EQ(s.steps, 300);
    EXPECT_EQ(s.config.seed, 4u);
    EXPECT_EQ(s.config.batch, 32);
    EXPECT_EQ(s.view, "wasserstein");
    EXPECT_EQ(s.w1_points, 512);
    EXPECT_EQ(parse_toy_lab_spec("").config.data, "ring8");
    for (const char* bad :
         {"data=ring9", "steps=-1", "batch=x", "view=3d", "colour=red", "w1=5000"})
        EXPECT_THROW(parse_toy_lab_spec(bad), std::invalid_argument) << bad;
}

TEST(ToyLab, CountsModesOfMixtures) {
    ToyLab lab(small("ring8"));
    lab.sync();
    auto s = lab.snapshot();
    EXPECT_EQ(s->modes_total, 8);
    EXPECT_LE(s->modes_covered, 8);
    ToyLabConfig c = small("spiral");
    lab.configure(c);
    lab.sync();
    EXPECT_EQ(lab.snapshot()->modes_total, 0);  // not a mixture
}

TEST(ToyLab, TrainingAndTheW1WorkerNeverDeadlock) {
    // Tiny W1 jobs finish constantly, so the two threads' locks meet often.
    ToyLab lab(small("ring8"));
    lab.set_w1_points(4);
    lab.set_step_limit(150);
    lab.run();
    auto s = wait_for_toy_snapshot(
        lab,
        [](const ToyLabSnapshot& x) {
            return !x.running && x.g_updates >= 150 && x.plan_step == x.d_updates;
        },
        60);
    EXPECT_EQ(s->g_updates, 150);
    EXPECT_EQ(s->plan_step, s->d_updates);
    EXPECT_GE(s->wasserstein->rows(), 2u);
}
