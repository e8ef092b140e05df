// The Jensen-Shannon divergence on grids whose answers follow from the
// definition: equal densities give 0, disjoint supports ln 2 however far apart,
// and a two-cell case worked out by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "analysis/js_divergence.h"

using namespace ganvas;

TEST(JsDivergence, IdenticalDensitiesGiveZero) {
    const std::vector<float> p = {0.1f, 0.4f, 0.3f, 0.2f};
    EXPECT_NEAR(js_divergence(p, p), 0.0, 1e-12);
}

TEST(JsDivergence, ScaleOfEitherDensityDoesNotMatter) {
    // A density and three times it (counts vs frequencies) are the same distribution.
    const std::vector<float> p = {0.1f, 0.4f, 0.3f, 0.2f}, tripled = {0.3f, 1.2f, 0.9f, 0.6f};
    EXPECT_NEAR(js_divergence(p, tripled), 0.0, 1e-7);
}

TEST(JsDivergence, DisjointSupportsGiveLn2WhateverTheDistance) {
    // The saturation a minimax GAN's generator meets: near or far, the same ln 2.
    const std::vector<float> p = {0, 1, 1, 0, 0, 0, 0, 0};
    const std::vector<float> near = {0, 0, 0, 1, 0, 0, 0, 0};
    const std::vector<float> far = {0, 0, 0, 0, 0, 0, 2, 5};
    EXPECT_NEAR(js_divergence(p, near), std::log(2.0), 1e-12);
    EXPECT_NEAR(js_divergence(p, far), std::log(2.0), 1e-12);
}

TEST(JsDivergence, TwoCellsByHand) {
    // p = (1, 0), q = (1/2, 1/2): m = (3/4, 1/4).
    // KL(p || m) = ln(4/3); KL(q || m) = 1/2 ln(2/3) + 1/2 ln 2 = 1/2 ln(4/3).
    // JS = 1/2 (ln(4/3) + 1/2 ln(4/3)) = 3/4 ln(4/3) = 0.215762...
    const std::vector<float> p = {1, 0}, q = {0.5f, 0.5f};
    EXPECT_NEAR(js_divergence(p, q), 0.75 * std::log(4.0 / 3.0), 1e-7);
    EXPECT_NEAR(js_divergence(q, p), 0.75 * std::log(4.0 / 3.0), 1e-7);  // symmetric
}

TEST(JsDivergence, BadInputIsNamed) {
    const std::vector<float> p = {1, 2}, three = {1, 1, 1}, zero = {0, 0}, negative = {1, -1},
                             nan = {1, std::numeric_limits<float>::quiet_NaN()};
    EXPECT_THROW(js_divergence(p, three), std::invalid_argument);
    EXPECT_THROW(js_divergence(std::vector<float>{}, std::vector<float>{}), std::invalid_argument);
    EXPECT_THROW(js_divergence(p, zero), std::invalid_argument);
    EXPECT_THROW(js_divergence(negative, p), std::invalid_argument);
    EXPECT_THROW(js_divergence(p, nan), std::invalid_argument);
    try {
        js_divergence(p, negative);
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("q[1]"), std::string::npos) << e.what();
    }
}
