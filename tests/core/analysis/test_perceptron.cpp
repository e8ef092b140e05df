// The perceptron: prediction, the learning rule, convergence on separable data,
// and what a boundary through the origin cannot separate.
#include <gtest/gtest.h>

#include "analysis/perceptron.h"

using namespace ganvas;

TEST(Perceptron, PredictsBySignAndCountsTheBoundaryAsWrong) {
    Perceptron p{1, 0, -1, true};  // x >= 1, i.e. threshold T = 1
    EXPECT_EQ(p.predict(2, 5), 1);
    EXPECT_EQ(p.predict(0.5f, 5), -1);
    EXPECT_TRUE(misclassified(p, {1, 0, 1}));  // exactly on the boundary
    EXPECT_FALSE(misclassified(p, {3, 0, 1}));
    p.use_bias = false;  // the same weights pinned to the origin: x >= 0
    EXPECT_EQ(p.predict(0.5f, 5), 1);
    EXPECT_DOUBLE_EQ(accuracy(p, {{1, 0, 1}, {-1, 0, -1}, {1, 1, -1}, {-2, 0, 1}}), 0.5);
}

TEST(Perceptron, TheRuleUpdatesByTheFirstMisclassifiedPointFromStart) {
    std::vector<LabelledPoint> pts = {{1, 2, 1}, {3, -1, -1}, {-1, -1, -1}};
    Perceptron p{0, 0, 0, true};  // every point lies on the boundary: all wrong
    EXPECT_EQ(perceptron_step(p, pts, 1, 0.5f), 1);
    EXPECT_FLOAT_EQ(p.w1, -1.5f);  // w += lr * y * x = 0.5 * -1 * (3, -1)
    EXPECT_FLOAT_EQ(p.w2, 0.5f);
    EXPECT_FLOAT_EQ(p.b, -0.5f);
    Perceptron q{0, 0, 0, false};
    EXPECT_EQ(perceptron_step(q, pts, 5, 1), 2);  // starts at 5 mod 3 = 2
    EXPECT_FLOAT_EQ(q.b, 0);                      // no bias: b stays 0
}

TEST(Perceptron, ConvergesWithABiasOnDataThatNeedsOne) {
    const auto pts = perceptron_points("needs_bias");
    Perceptron p;
    int start = 0, steps = 0, used = 0;
    while ((used = perceptron_step(p, pts, start)) >= 0 && steps < 10000) start = used + 1, ++steps;
    EXPECT_EQ(used, -1) << "did not converge in " << steps << " updates";
    EXPECT_DOUBLE_EQ(accuracy(p, pts), 1.0);
    EXPECT_NE(p.b, 0);
    // Through the origin, even the best line misclassifies a good part of the points.
    OriginLine best = best_origin_line(pts);
    EXPECT_GE(best.wrong.size(), 6u);
    Perceptron pinned{best.w1, best.w2, 0, false};
    EXPECT_NEAR(accuracy(pinned, pts), 1.0 - double(best.wrong.size()) / pts.size(), 1e-12);
}

TEST(Perceptron, OriginSetIsSeparableWithoutABiasAndXorByNothing) {
    const auto origin = perceptron_points("origin");
    EXPECT_TRUE(best_origin_line(origin).wrong.empty());
    Perceptron p{0, 0, 0, false};
    int start = 0, used = 0, steps = 0;
    while ((used = perceptron_step(p, origin, start)) >= 0 && steps++ < 10000) start = used + 1;
    EXPECT_DOUBLE_EQ(accuracy(p, origin), 1.0);
    const auto xor_pts = perceptron_points("xor");
    Perceptron q;
    for (int k = 0, s = 0; k < 500; ++k) s = perceptron_step(q, xor_pts, s) + 1;
    EXPECT_LT(accuracy(q, xor_pts), 1.0);  // never converges
    EXPECT_THROW(perceptron_points("circle"), std::invalid_argument);
}
