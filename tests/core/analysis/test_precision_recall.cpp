// k-NN precision and recall (Kynkäänniemi et al. 2019): a 2-D example counted
// by hand, Gaussians with known overlap, a brute-force cross-check, and
// nearest-neighbour search against brute force across several blocks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "analysis/precision_recall.h"
#include "tensor/rng.h"

using namespace ganvas;

namespace {

Tensor gaussian_samples(Rng& rng, int64_t n, int64_t d, float mean, float stddev) {
    Tensor t = Tensor::empty({n, d});  // (n, d)
    rng.fill_normal(t, mean, stddev);
    return t;
}

// Squared distance between row i of a and row j of b, straight from the differences.
double direct_d2(const Tensor& a, int64_t i, const Tensor& b, int64_t j) {
    const int64_t d = a.size(1);
    double s = 0.0;
    for (int64_t c = 0; c < d; ++c) {
        const double diff = double(a.data()[i * d + c]) - b.data()[j * d + c];
        s += diff * diff;
    }
    return s;
}

// The definition, spelled out with sorting and doubles.
double brute_force_share(const Tensor& queries, const Tensor& pool, int k) {
    const int64_t m = queries.size(0), n = pool.size(0);
    std::vector<double> radius(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        std::vector<double> others;
        for (int64_t j = 0; j < n; ++j)
            if (j != i) others.push_back(direct_d2(pool, i, pool, j));
        std::sort(others.begin(), others.end());
        radius[size_t(i)] = others[size_t(k - 1)];
    }
    int64_t inside = 0;
    for (int64_t q = 0; q < m; ++q) {
        for (int64_t j = 0; j < n; ++j) {
            if (direct_d2(queries, q, pool, j) <= radius[size_t(j)]) {
                ++inside;
                break;
            }
        }
    }
    return double(inside) / double(m);
}

}  // namespace

TEST(KnnPrecisionRecall, CountedByHand) {
    // Integer coordinates, and 4 and 8 rows so that the means the distance
    // routine subtracts are multiples of 1/8: every squared distance is exact
    // in float, and a fake exactly on a sphere tests "<=".
    const Tensor real = Tensor::from_vector({4, 2}, {0, 0, 0, 3, 10, 10, -10, -10});
    const Tensor fake = Tensor::from_vector(
        {8, 2}, {1, 1, 1, 2, 10, 14, 17, 20, 30, -30, 32, -30, -4, -20, -4, -22});
    // k = 1. Squared radii of the reals (nearest other real): (0,0) 9, (0,3) 9,
    // (10,10) 149 to (0,3), (-10,-10) 200 to (0,0). Fakes (1,1) and (1,2) are
    // 2 from (0,0) and (0,3); (10,14) is 16 from (10,10); (17,20) is exactly
    // 149 from (10,10), on its sphere: inside; (-4,-20) and (-4,-22) are 136
    // and 180 from (-10,-10); (30,-30) and (32,-30) are at least 1800 from
    // every real. Precision 6/8.
    // Squared radii of the fakes: 1, 1, 85, 85, 4, 4, 4, 4. (0,0) and (0,3) are
    // 2 and 5 from the two nearest fakes, whose radii are 1; (10,10) is 16 from
    // (10,14); (-10,-10) is 136 from (-4,-20). Recall 1/4.
    PrecisionRecall pr = knn_precision_recall(real, fake, 1);
    EXPECT_DOUBLE_EQ(pr.precision, 6.0 / 8.0);
    EXPECT_DOUBLE_EQ(pr.recall, 1.0 / 4.0);
    // k = 2. Real squared radii 200, 149, 200, 269: (30,-30) and (32,-30) are
    // still outside. Fake squared radii 250, 225, 225, 580, 1220, 1360, 466,
    // 554 now cover every real: (0,0) and (0,3) through (1,1), (10,10) through
    // (10,14), (-10,-10) through (-4,-20). Precision 6/8, recall 4/4.
    pr = knn_precision_recall(real, fake, 2);
    EXPECT_DOUBLE_EQ(pr.precision, 6.0 / 8.0);
    EXPECT_DOUBLE_EQ(pr.recall, 1.0);
}

TEST(KnnPrecisionRecall, DuplicateIsANeighbourButNotItself) {
    // 1-D real {0, 0, 5, 8}, k = 1: the two zeros are each other's nearest
    // neighbour (radius 0, not undefined and not their own distance), 5 and 8
    // have radius 3. Fakes: 0 is inside (0 <= 0), 0.5 is outside (0.5 > 0 and
    // 4.5 > 3), 3 is inside 5's ball, 11 is on 8's sphere (inside), 11.5 is
    // outside. Precision 3/5.
    const Tensor real = Tensor::from_vector({4, 1}, {0, 0, 5, 8});
    const Tensor fake = Tensor::from_vector({5, 1}, {0, 0.5f, 3, 11, 11.5f});
    EXPECT_DOUBLE_EQ(knn_precision_recall(real, fake, 1).precision, 3.0 / 5.0);
}

TEST(KnnPrecisionRecall, SameDistributionIsNearOne) {
    Rng rng(11);
    const Tensor real = gaussian_samples(rng, 3000, 2, 0.0f, 1.0f);
    const Tensor fake = gaussian_samples(rng, 3000, 2, 0.0f, 1.0f);
    const PrecisionRecall pr = knn_precision_recall(real, fake);
    EXPECT_GT(pr.precision, 0.9);
    EXPECT_GT(pr.recall, 0.9);
}

TEST(KnnPrecisionRecall, FarApartIsZero) {
    Rng rng(12);
    const Tensor real = gaussian_samples(rng, 1000, 8, 0.0f, 1.0f);
    const Tensor fake = gaussian_samples(rng, 1000, 8, 100.0f, 1.0f);
    const PrecisionRecall pr = knn_precision_recall(real, fake);
    EXPECT_EQ(pr.precision, 0.0);
    EXPECT_EQ(pr.recall, 0.0);
}

TEST(KnnPrecisionRecall, NarrowFakeHasPrecisionNotRecall) {
    // Mode collapse in miniature: fake ~ N(0, 0.1^2 I) sits in the middle of
    // real ~ N(0, I), so it is realistic but covers little of the real data.
    Rng rng(13);
    const Tensor real = gaussian_samples(rng, 3000, 2, 0.0f, 1.0f);
    const Tensor fake = gaussian_samples(rng, 3000, 2, 0.0f, 0.1f);
    const PrecisionRecall pr = knn_precision_recall(real, fake);
    EXPECT_GT(pr.precision, 0.95);
    EXPECT_LT(pr.recall, 0.15);
}

TEST(KnnPrecisionRecall, MatchesBruteForce) {
    Rng rng(14);
    const Tensor real = gaussian_samples(rng, 400, 5, 0.0f, 1.0f);
    const Tensor fake = gaussian_samples(rng, 300, 5, 0.5f, 1.3f);
    for (int k : {1, 3, 5}) {
        const PrecisionRecall pr = knn_precision_recall(real, fake, k);
        // float GEMM distances against double differences: one sample may
        // flip where a distance and a radius agree to rounding.
        EXPECT_NEAR(pr.precision, brute_force_share(fake, real, k), 1.0 / 300 + 1e-12) << k;
        EXPECT_NEAR(pr.recall, brute_force_share(real, fake, k), 1.0 / 400 + 1e-12) << k;
    }
}

TEST(KnnPrecisionRecall, RejectsBadInput) {
    Rng rng(15);
    const Tensor a = gaussian_samples(rng, 10, 4, 0.0f, 1.0f);
    EXPECT_THROW(knn_precision_recall(a, gaussian_samples(rng, 10, 5, 0.0f, 1.0f)),
                 std::invalid_argument);  // different widths
    EXPECT_THROW(knn_precision_recall(a, gaussian_samples(rng, 3, 4, 0.0f, 1.0f), 3),
                 std::invalid_argument);  // fewer than k + 1 samples
    EXPECT_NO_THROW(knn_precision_recall(a, gaussian_samples(rng, 4, 4, 0.0f, 1.0f), 3));
    EXPECT_THROW(knn_precision_recall(a, a, 0), std::invalid_argument);
    Tensor nan = a.clone();
    nan.data()[7] = std::numeric_limits<float>::quiet_NaN();
    EXPECT_THROW(knn_precision_recall(a, nan), std::invalid_argument);
    Tensor inf = a.clone();
    inf.data()[0] = std::numeric_limits<float>::infinity();
    EXPECT_THROW(knn_precision_recall(inf, a), std::invalid_argument);
    EXPECT_THROW(knn_precision_recall(Tensor::from_vector({40}, std::vector<float>(40)), a),
                 std::invalid_argument);  // not 2-D
}

TEST(NearestNeighbours, MatchesBruteForceAcrossBlocks) {
    // 9000 pool rows make the distance routine split 1000 queries into two
    // blocks of rows (its blocks hold 2^23 floats).
    Rng rng(16);
    const int64_t m = 1000, n = 9000, d = 8;
    const Tensor queries = gaussian_samples(rng, m, d, 0.0f, 1.0f);
    const Tensor pool = gaussian_samples(rng, n, d, 0.0f, 1.0f);
    const std::vector<int64_t> got = nearest_neighbours(queries, pool);
    ASSERT_EQ(got.size(), size_t(m));
    int64_t exact = 0;
    for (int64_t i = 0; i < m; ++i) {
        double best = std::numeric_limits<double>::infinity();
        int64_t best_j = -1;
        for (int64_t j = 0; j < n; ++j) {
            const double dist = direct_d2(queries, i, pool, j);
            if (dist < best) best = dist, best_j = j;
        }
        ASSERT_GE(got[size_t(i)], 0);
        ASSERT_LT(got[size_t(i)], n);
        // Where two pool rows are equally near up to float rounding either is right.
        EXPECT_NEAR(direct_d2(queries, i, pool, got[size_t(i)]), best, 1e-4 * (1.0 + best)) << i;
        exact += got[size_t(i)] == best_j;
    }
    EXPECT_GE(exact, m - 2);
}

TEST(NearestNeighbours, FindsCopiesAndTakesTheFirstOfTies) {
    // Queries that are copies of pool rows find them (the memorization check).
    const Tensor pool = Tensor::from_vector({4, 2}, {0, 0, 3, 4, 3, 4, -1, 2});
    const Tensor queries = Tensor::from_vector({3, 2}, {-1, 2, 3, 4, 2.9f, 4.2f});
    EXPECT_EQ(nearest_neighbours(queries, pool), (std::vector<int64_t>{3, 1, 1}));
    EXPECT_TRUE(nearest_neighbours(Tensor::zeros({0, 2}), pool).empty());
    EXPECT_THROW(nearest_neighbours(queries, Tensor::zeros({0, 2})), std::invalid_argument);
    EXPECT_THROW(nearest_neighbours(queries, Tensor::zeros({4, 3})), std::invalid_argument);
}

TEST(NearestNeighbours, LargeCommonOffset) {
    // Features far from the origin (post-ReLU activations share a large mean):
    // at an offset of 300 in 64 dimensions |x|^2 is about 6e6 and float's
    // rounding of it alone (about 0.5) is a sizeable part of distances of
    // about 128. Distances do not depend on the offset, so the answers
    // should not either.
    Rng rng(17);
    const int64_t m = 200, n = 2000, d = 64;
    const Tensor queries = gaussian_samples(rng, m, d, 0.0f, 1.0f);
    const Tensor pool = gaussian_samples(rng, n, d, 0.0f, 1.0f);
    Tensor far_queries = queries.clone(), far_pool = pool.clone();
    for (int64_t i = 0; i < m * d; ++i) far_queries.data()[i] += 300.0f;
    for (int64_t i = 0; i < n * d; ++i) far_pool.data()[i] += 300.0f;
    const std::vector<int64_t> near = nearest_neighbours(queries, pool);
    const std::vector<int64_t> far = nearest_neighbours(far_queries, far_pool);
    int64_t same = 0;
    for (int64_t i = 0; i < m; ++i) same += near[size_t(i)] == far[size_t(i)];
    EXPECT_GE(same, m - 2);
    const PrecisionRecall a = knn_precision_recall(pool, queries);
    const PrecisionRecall b = knn_precision_recall(far_pool, far_queries);
    EXPECT_NEAR(a.precision, b.precision, 0.02);
    EXPECT_NEAR(a.recall, b.recall, 0.02);
}
