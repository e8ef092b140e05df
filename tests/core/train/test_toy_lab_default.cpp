// The GAN Lab's first impression: Play on the default lab must show a GAN
// learning the ring of 8 within a minute on a busy 2-core machine. Counted in
// generator steps, not seconds: the lab ran 20 to 40 G steps a second with one
// D step per G step beside other builds (about 110 with the machine quiet), so
// 60 s gives at least 1200; the budget here is 1000. At 750, seeds 1 to 12
// covered only 6 modes for seed 9 in the Release build and for seeds 1 (the
// default) and 11 in the sanitizer build, whose rounding differs; at 1000 all
// 12 covered 7 or more in both.
#include <gtest/gtest.h>

#include "train/toy_lab.h"

using namespace ganvas;

namespace {

constexpr int64_t kGeneratorSteps = 1000;

}  // namespace

TEST(ToyLabDefault, CoversSevenOfTheEightRingModesWithinAMinutesSteps) {
    const uint64_t default_seed = ToyLabConfig{}.seed;
    for (uint64_t seed : {default_seed, default_seed + 1, default_seed + 2}) {
        ToyLabConfig config;  // everything as Play finds it, but the seed
        config.seed = seed;
        ToyLab lab(config);
        lab.set_step_limit(kGeneratorSteps);
        lab.run();
        auto s = wait_for_toy_snapshot(
            lab,
            [](const ToyLabSnapshot& s) {
                return (s.g_updates >= kGeneratorSteps && !s.running) || !s.error.empty();
            },
            600);
        EXPECT_EQ(s->error.english(), "");
        EXPECT_EQ(s->g_updates, kGeneratorSteps);
        EXPECT_EQ(s->modes_total, 8);
        EXPECT_GE(s->modes_covered, 7) << "seed " << seed;
    }
}

TEST(ToyLabDefault, ASpecKeepsTheDefaultObjectiveUnlessItNamesOne) {
    EXPECT_EQ(parse_toy_lab_spec("").config.model.objective, kLabObjective);
    EXPECT_EQ(parse_toy_lab_spec("data=ring8,seed=3,width=32").config.model.objective,
              kLabObjective);
    EXPECT_EQ(parse_toy_lab_spec("objective=wgan_gp").config.model.objective,
              ToyObjective::wgan_gp);
    EXPECT_EQ(ToyLabConfig{}.model.objective, kLabObjective);
}
