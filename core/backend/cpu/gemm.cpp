#include "backend/cpu/gemm.h"

#include <dnnl.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "backend/cpu/thread_pool.h"

// libgomp's, which oneDNN runs on (declared here: the core builds without -fopenmp).
extern "C" void omp_set_num_threads(int);

namespace ganvas::cpu {

// oneDNN's sgemm (the JIT AVX-512/AVX2 kernels PyTorch's own convolutions
// use) beat Eigen's GEMM by 1.1-2.1x on a step's shapes, one core each
// (Eigen 72 vs oneDNN 154 GFLOP/s on D's 128 x 490 x 1024 forward).
// The core's pool splits the work, so each call runs on the calling thread:
// oneDNN's OpenMP team is kept to one thread, per thread (OpenMP's thread
// count is a per-thread setting).
void keep_onednn_on_this_thread() {
    thread_local bool done = false;
    if (!done) {
        omp_set_num_threads(1);
        done = true;
    }
}

void gemm_serial(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
                 const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
                 int64_t ldc) {
    keep_onednn_on_this_thread();
    const dnnl_status_t status = dnnl_sgemm(trans_a ? 'T' : 'N', trans_b ? 'T' : 'N', M, N, K,
                                            alpha, A, lda, B, ldb, beta, C, ldc);
    if (status != dnnl_success)
        throw std::runtime_error("gemm: oneDNN's sgemm failed (status " +
                                 std::to_string(static_cast<int>(status)) + ")");
}

bool gemm_worth_splitting(int64_t M, int64_t N, int64_t K) {
    return 2.0 * M * N * K >= 2e6 && num_threads() > 1;
}

namespace {

// One block of C: rows [r0, r1) and columns [c0, c1).
void gemm_block(bool trans_a, bool trans_b, int64_t r0, int64_t r1, int64_t c0, int64_t c1,
                int64_t K, float alpha, const float* A, int64_t lda, const float* B, int64_t ldb,
                float beta, float* C, int64_t ldc) {
    const float* a = trans_a ? A + r0 : A + r0 * lda;  // op(A)'s rows r0..: (K, M) or (M, K)
    const float* b = trans_b ? B + c0 * ldb : B + c0;  // op(B)'s columns c0..
    gemm_serial(trans_a, trans_b, r1 - r0, c1 - c0, K, alpha, a, lda, b, ldb, beta,
                C + r0 * ldc + c0, ldc);
}

// C (M, N) = alpha * a b^T + beta * C for columns a (M, stride sa) and b (N, stride sb).
void outer_product(int64_t M, int64_t N, float alpha, const float* a, int64_t sa, const float* b,
                   int64_t sb, float beta, float* C, int64_t ldc) {
    parallel_for(M, std::max<int64_t>(1, 16384 / N), [&](int64_t r0, int64_t r1) {
        std::vector<float> row(static_cast<size_t>(N));
        for (int64_t j = 0; j < N; ++j) row[j] = b[j * sb];
        for (int64_t i = r0; i < r1; ++i) {
            const float ai = alpha * a[i * sa];
            float* c = C + i * ldc;
            if (beta == 0.0f)
                for (int64_t j = 0; j < N; ++j) c[j] = ai * row[j];
            else
                for (int64_t j = 0; j < N; ++j) c[j] = ai * row[j] + beta * c[j];
        }
    });
}

void scale(int64_t M, int64_t N, float beta, float* C, int64_t ldc) {
    for (int64_t i = 0; i < M; ++i)
        for (int64_t j = 0; j < N; ++j)
            C[i * ldc + j] = beta == 0.0f ? 0.0f : C[i * ldc + j] * beta;
}

}  // namespace

void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
          int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
    if (M <= 0 || N <= 0) return;
    if (K <= 0) {
        scale(M, N, beta, C, ldc);
        return;
    }
    if (K == 1) {  // an outer product: oneDNN ran these at 2 GFLOP/s (dcgan28's last layer)
        outer_product(M, N, alpha, A, trans_a ? 1 : lda, B, trans_b ? ldb : 1, beta, C, ldc);
        return;
    }
    // Split the larger output dimension; keep blocks big enough to amortise packing.
    if (!gemm_worth_splitting(M, N, K)) {
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
