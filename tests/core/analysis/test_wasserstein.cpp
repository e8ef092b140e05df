// Exact W1: hand-computed cases, brute force over all permutations, 1-D sorting
// against 2-D assignment on collinear points, and invariance to reordering.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include "analysis/wasserstein.h"
#include "tensor/rng.h"

using namespace ganvas;

namespace {

double brute_force(const std::vector<double>& cost, int n) {
    std::vector<int> perm(n);
    std::iota(perm.begin(), perm.end(), 0);
    double best = INFINITY;
    do {
        double total = 0;
        for (int i = 0; i < n; ++i) total += cost[i * n + perm[i]];
        best = std::min(best, total);
    } while (std::next_permutation(perm.begin(), perm.end()));
    return best;
}

Tensor points(const std::vector<float>& xy) {
    return Tensor::from_vector({static_cast<int64_t>(xy.size() / 2), 2}, xy);
}

}  // namespace

TEST(Wasserstein, OneDimensionalHandComputed) {
    EXPECT_DOUBLE_EQ(wasserstein1_1d({0, 1}, {2, 3}), 2.0);  // shift by 2
    EXPECT_DOUBLE_EQ(wasserstein1_1d({3, 0}, {1, 2}), 1.0);  // |0-1| + |3-2|, over 2
    EXPECT_DOUBLE_EQ(wasserstein1_1d({0}, {0, 2}), 1.0);     // half the mass moves 2
    EXPECT_DOUBLE_EQ(wasserstein1_1d({0, 0, 3}, {1}), (1 + 1 + 2) / 3.0);
    EXPECT_DOUBLE_EQ(wasserstein1_1d({5, 5}, {5, 5, 5}), 0.0);
    EXPECT_THROW(wasserstein1_1d({}, {1}), std::invalid_argument);
}

TEST(Wasserstein, TwoDimensionalHandComputed) {
    // Squares' corners against the same corners moved up by 1: every point moves 1.
    TransportPlan p =
        wasserstein1_exact(points({0, 0, 1, 0, 0, 1, 1, 1}), points({0, 1, 1, 1, 0, 2, 1, 2}));
    EXPECT_NEAR(p.w1, 1.0, 1e-12);
    // The crossing matching costs 2*sqrt(2); the straight one 2: match 0->0, 1->1.
    p = wasserstein1_exact(points({0, 0, 1, 0}), points({0, 1, 1, 1}));
    EXPECT_NEAR(p.w1, 1.0, 1e-12);
    EXPECT_EQ(p.match, (std::vector<int>{0, 1}));
    p = wasserstein1_exact(points({0, 0, 1, 0}), points({1, 1, 0, 1}));
    EXPECT_EQ(p.match, (std::vector<int>{1, 0}));
    // A 3-4-5 triangle move.
    EXPECT_NEAR(wasserstein1_exact(points({0, 0}), points({3, 4})).w1, 5.0, 1e-12);
}

TEST(Wasserstein, AssignmentEqualsBruteForceUpToSeven) {
    Rng rng(11);
    for (int n = 1; n <= 7; ++n)
        for (int trial = 0; trial < 20; ++trial) {
            std::vector<double> cost(n * n);
            for (double& c : cost) c = rng.uniform(0.0f, 10.0f);
            if (trial % 4 == 0)  // ties and integer costs
                for (double& c : cost) c = std::floor(c / 3);
            Assignment a = optimal_assignment(cost, n);
            std::vector<int> sorted = a.match;
            std::sort(sorted.begin(), sorted.end());
            for (int i = 0; i < n; ++i) ASSERT_EQ(sorted[i], i);  // a permutation
            double total = 0;
            for (int i = 0; i < n; ++i) total += cost[i * n + a.match[i]];
            EXPECT_NEAR(total, a.total_cost, 1e-9);
            EXPECT_NEAR(a.total_cost, brute_force(cost, n), 1e-9) << "n " << n;
        }
}

TEST(Wasserstein, SortingIn1dEqualsAssignmentOnCollinearPoints) {
    Rng rng(5);
    for (int n : {1, 5, 40, 200}) {
        // Points on the line through (1, -2) with direction (3, 4) / 5: distances
        // along it are the 1-D distances between the parameters.
        std::vector<double> s(n), t(n);
        std::vector<float> a, b;
        for (int i = 0; i < n; ++i) {
            s[i] = rng.normal(), t[i] = 2 + 0.5 * rng.normal();
            a.insert(a.end(), {float(1 + 0.6 * s[i]), float(-2 + 0.8 * s[i])});
            b.insert(b.end(), {float(1 + 0.6 * t[i]), float(-2 + 0.8 * t[i])});
        }
        std::vector<double> sa(n), tb(n);  // the parameters as the float points hold them
        for (int i = 0; i < n; ++i) {
            sa[i] = (double(a[2 * i]) - 1) * 0.6 + (double(a[2 * i + 1]) + 2) * 0.8;
            tb[i] = (double(b[2 * i]) - 1) * 0.6 + (double(b[2 * i + 1]) + 2) * 0.8;
        }
        EXPECT_NEAR(wasserstein1_exact(points(a), points(b)).w1, wasserstein1_1d(sa, tb), 1e-5)
            << "n " << n;
    }
}

TEST(Wasserstein, InvariantToPermutingEitherSet) {
    Rng rng(9);
    const int n = 60;
    std::vector<float> a(2 * n), b(2 * n);
    for (float& v : a) v = rng.normal();
    for (float& v : b) v = 1 + rng.normal();
    const TransportPlan base = wasserstein1_exact(points(a), points(b));
    std::vector<int> perm(n);
    std::iota(perm.begin(), perm.end(), 0);
    for (int i = n - 1; i > 0; --i) std::swap(perm[i], perm[rng.randint(i + 1)]);
    std::vector<float> pa(2 * n), pb(2 * n);
    for (int i = 0; i < n; ++i) {
        pa[2 * i] = a[2 * perm[i]], pa[2 * i + 1] = a[2 * perm[i] + 1];
        pb[2 * i] = b[2 * perm[i]], pb[2 * i + 1] = b[2 * perm[i] + 1];
    }
    EXPECT_NEAR(wasserstein1_exact(points(pa), points(b)).w1, base.w1, 1e-9);
    EXPECT_NEAR(wasserstein1_exact(points(a), points(pb)).w1, base.w1, 1e-9);
    EXPECT_NEAR(wasserstein1_exact(points(b), points(a)).w1, base.w1, 1e-9);  // symmetric
    EXPECT_NEAR(wasserstein1_exact(points(a), points(a)).w1, 0.0, 1e-12);
    // Optimal plans never cross (cyclical monotonicity): swapping any two matches
    // costs at least as much.
    auto dist = [&](int i, int j) {
        return std::hypot(a[2 * i] - b[2 * j], a[2 * i + 1] - b[2 * j + 1]);
    };
    for (int i = 0; i < n; ++i)
        for (int k = i + 1; k < n; ++k)
            ASSERT_LE(dist(i, base.match[i]) + dist(k, base.match[k]),
                      dist(i, base.match[k]) + dist(k, base.match[i]) + 1e-5);
}

TEST(Wasserstein, ThousandTwentyFourPointsAreAPermutationWithTheRightCost) {
    Rng rng(2);
    const int n = 1024;
    Tensor a = rng.randn({n, 2}), b = rng.randn({n, 2});
    const TransportPlan plan = wasserstein1_exact(a, b);
    std::vector<int> sorted = plan.match;
    std::sort(sorted.begin(), sorted.end());
    for (int i = 0; i < n; ++i) ASSERT_EQ(sorted[i], i);
    // Two samples of one Gaussian: W1 is small and shrinks with n; the identity
    // matching is far worse.
    double identity = 0;
    for (int i = 0; i < n; ++i)
        identity += std::hypot(a.data()[2 * i] - b.data()[2 * i],
                               a.data()[2 * i + 1] - b.data()[2 * i + 1]) /
                    n;
    EXPECT_LT(plan.w1, 0.25);
    EXPECT_GT(plan.w1, 0.0);
    EXPECT_LT(plan.w1, identity / 5);
}

TEST(Wasserstein, BadInputGetsOneClearError) {
    EXPECT_THROW(wasserstein1_exact(Tensor::zeros({3, 2}), Tensor::zeros({4, 2})),
                 std::invalid_argument);
    EXPECT_THROW(wasserstein1_exact(Tensor::zeros({2000, 2}), Tensor::zeros({2000, 2})),
                 std::invalid_argument);
    EXPECT_THROW(optimal_assignment({1, 2, 3}, 2), std::invalid_argument);
    EXPECT_THROW(optimal_assignment({1, NAN, 3, 4}, 2), std::invalid_argument);
}
