#include "backend/cpu/gemm.h"

#include <Eigen/Core>

#include "backend/cpu/thread_pool.h"

namespace ganvas::cpu {
namespace {

using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Stride = Eigen::OuterStride<>;
using ConstMap = Eigen::Map<const RowMat, Eigen::Unaligned, Stride>;
using Map = Eigen::Map<RowMat, Eigen::Unaligned, Stride>;
using ConstColMap = Eigen::Map<const Eigen::MatrixXf, Eigen::Unaligned, Stride>;

// One block of C: rows [r0, r1) and columns [c0, c1).
void gemm_block(bool trans_a, bool trans_b, int64_t r0, int64_t r1, int64_t c0, int64_t c1,
                int64_t K, float alpha, const float* A, int64_t lda, const float* B, int64_t ldb,
                float beta, float* C, int64_t ldc) {
    const int64_t m = r1 - r0, n = c1 - c0;
    Map c(C + r0 * ldc + c0, m, n, Stride(ldc));
    // A row-major (K, M) buffer is a column-major (M, K) matrix: transposes are free.
    auto run = [&](const auto& a) {
        auto product = [&](const auto& b) {
            if (beta == 0.0f) {
                c.noalias() = alpha * (a * b);
            } else {
                if (beta != 1.0f) c *= beta;
                c.noalias() += alpha * (a * b);
            }
        };
        if (trans_b)
            product(ConstColMap(B + c0 * ldb, K, n, Stride(ldb)));
        else
            product(ConstMap(B + c0, K, n, Stride(ldb)));
    };
    if (trans_a)
        run(ConstColMap(A + r0, m, K, Stride(lda)));
    else
        run(ConstMap(A + r0 * lda, m, K, Stride(lda)));
}

}  // namespace

void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
          int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
    if (M <= 0 || N <= 0) return;
    if (K <= 0) {
        Map c(C, M, N, Stride(ldc));
        if (beta == 0.0f)
            c.setZero();
        else
            c *= beta;
        return;
    }
    // Split the larger output dimension; keep blocks big enough to amortise packing.
    const double flops = 2.0 * M * N * K;
    const int threads = flops < 2e6 ? 1 : num_threads();
    if (threads <= 1) {
        gemm_block(trans_a, trans_b, 0, M, 0, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    if (M >= N) {
        parallel_for(M, 16, [&](int64_t r0, int64_t r1) {
            gemm_block(trans_a, trans_b, r0, r1, 0, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        });
    } else {
        parallel_for(N, 16, [&](int64_t c0, int64_t c1) {
            gemm_block(trans_a, trans_b, 0, M, c0, c1, K, alpha, A, lda, B, ldb, beta, C, ldc);
        });
    }
}

}  // namespace ganvas::cpu
