// The CPU's matrix product against a plain double-precision loop: every
// transpose, strides wider than the matrices, alpha and beta, the split over
// threads, and beta = 0 ignoring what C held (NaNs included).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "backend/cpu/gemm.h"
#include "backend/cpu/thread_pool.h"

namespace ganvas::cpu {
namespace {

struct Case {
    bool ta, tb;
    int64_t M, N, K;
    float alpha, beta;
};

// op(A)[i][k] of a row-major buffer with leading dimension ld.
float at(const std::vector<float>& a, bool trans, int64_t ld, int64_t i, int64_t k) {
    return trans ? a[k * ld + i] : a[i * ld + k];
}

void check(const Case& c, int threads) {
    set_num_threads(threads);
    std::mt19937 rng(static_cast<unsigned>(c.M * 131 + c.N * 7 + c.K));
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    // Leading dimensions 3 wider than needed: the product must not read or write the gaps.
    const int64_t lda = (c.ta ? c.M : c.K) + 3, ldb = (c.tb ? c.K : c.N) + 3, ldc = c.N + 3;
    std::vector<float> A((c.ta ? c.K : c.M) * lda), B((c.tb ? c.N : c.K) * ldb), C(c.M * ldc);
    for (float& v : A) v = u(rng);
    for (float& v : B) v = u(rng);
    for (float& v : C) v = c.beta == 0.0f ? std::numeric_limits<float>::quiet_NaN() : u(rng);
    const std::vector<float> C0 = C;
    gemm(c.ta, c.tb, c.M, c.N, c.K, c.alpha, A.data(), lda, B.data(), ldb, c.beta, C.data(), ldc);
    for (int64_t i = 0; i < c.M; ++i) {
        for (int64_t j = 0; j < c.N; ++j) {
            double want = 0.0, scale = 0.0;
            for (int64_t k = 0; k < c.K; ++k) {
                const double p = double(at(A, c.ta, lda, i, k)) * at(B, c.tb, ldb, k, j);
                want += p;
                scale += std::abs(p);
            }
            want *= c.alpha;
            if (c.beta != 0.0f) want += double(c.beta) * C0[i * ldc + j];
            ASSERT_NEAR(C[i * ldc + j], want, 1e-5 * (scale + 1.0))
                << "C[" << i << "][" << j << "] of " << c.M << "x" << c.N << "x" << c.K << " ta "
                << c.ta << " tb " << c.tb << " threads " << threads;
        }
        for (int64_t j = c.N; j < ldc; ++j)  // the gap after each row is untouched
            ASSERT_TRUE(std::isnan(C[i * ldc + j]) ? std::isnan(C0[i * ldc + j])
                                                   : C[i * ldc + j] == C0[i * ldc + j]);
    }
}

TEST(CpuGemm, EveryTransposeAgreesWithAPlainLoop) {
    for (int threads : {1, 2})
        for (bool ta : {false, true})
            for (bool tb : {false, true}) {
                check({ta, tb, 5, 7, 3, 1.0f, 0.0f}, threads);        // tiny
                check({ta, tb, 67, 45, 33, 0.5f, 1.0f}, threads);     // odd, accumulating
                check({ta, tb, 130, 150, 70, 1.0f, 0.25f}, threads);  // split over threads
                check({ta, tb, 33, 260, 129, -2.0f, 0.0f}, threads);  // split by columns
            }
}

TEST(CpuGemm, AnOuterProductAndARowVector) {
    for (int threads : {1, 2}) {
        check({false, false, 64, 300, 1, 1.0f, 0.0f}, threads);  // K = 1
        check({true, true, 40, 70, 1, -0.5f, 0.5f}, threads);    // K = 1, transposed, scaled
        check({false, true, 1, 200, 50, 1.0f, 1.0f}, threads);   // M = 1
        check({true, false, 90, 1, 64, 1.0f, 0.0f}, threads);    // N = 1
    }
}

TEST(CpuGemm, AnEmptyInnerDimensionScalesC) {
    std::vector<float> C = {1.0f, 2.0f, std::numeric_limits<float>::quiet_NaN(), 4.0f};
    gemm(false, false, 2, 2, 0, 1.0f, nullptr, 1, nullptr, 2, 0.5f, C.data(), 2);
    EXPECT_EQ(C[0], 0.5f);
    EXPECT_EQ(C[3], 2.0f);
    gemm(false, false, 2, 2, 0, 1.0f, nullptr, 1, nullptr, 2, 0.0f, C.data(), 2);
    EXPECT_EQ(C[2], 0.0f);  // beta 0 overwrites, NaN included
}

}  // namespace
}  // namespace ganvas::cpu
