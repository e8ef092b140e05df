// Single-precision matrix multiply on row-major buffers, split over threads.
#pragma once

#include <cstdint>

namespace ganvas::cpu {

// C (M, N) = alpha * op(A) op(B) + beta * C, all row-major.
// op(A) is (M, K): A is (M, K) with lda, or (K, M) when trans_a.
// op(B) is (K, N): B is (K, N) with ldb, or (N, K) when trans_b.
// beta == 0 ignores C's old contents (NaNs included).
void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
          int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc);

// The same product, one oneDNN call on the calling thread: for kernels that
// split the work themselves (linear_layer). K >= 2.
void gemm_serial(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
                 const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
                 int64_t ldc);

// Whether a product of this size is worth splitting over the pool's threads.
bool gemm_worth_splitting(int64_t M, int64_t N, int64_t K);

// oneDNN (gemm and dnnl_conv) runs on OpenMP; the core's pool splits the
// work, so each calling thread keeps oneDNN to itself. Cheap after the first call.
void keep_onednn_on_this_thread();

}  // namespace ganvas::cpu
