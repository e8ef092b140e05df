#include "backend/cpu/attention_kernels.h"

#include <limits>

#include "backend/cpu/gemm.h"
#include "backend/cpu/reduce_loops.h"
#include "backend/cpu/scratch.h"
#include "backend/cpu/thread_pool.h"

namespace ganvas::cpu {
namespace {

// Where one (sequence b, head h) pair's operands start. q, k and v are (T, D)
// blocks of the packed qkv with rows 3C apart; y's and dy's rows are C apart.
struct Head {
    const float *q, *k, *v;
    int64_t ld_qkv, ld_y;
    int64_t y_offset, p_offset, qkv_offset;

    Head(const AttentionShape& s, const float* qkv, int64_t pair) {
        const int64_t b = pair / s.H, h = pair % s.H, C = s.H * s.D;
        ld_qkv = 3 * C;
        ld_y = C;
        qkv_offset = b * s.T * ld_qkv + h * s.D;
        q = qkv + qkv_offset;
        k = q + C;
        v = q + 2 * C;
        y_offset = b * s.T * C + h * s.D;
        p_offset = pair * s.T * s.T;
    }
};

// One thread's (T, T) scratch matrices.
float* scratch_matrix(int64_t n) {
    thread_local Scratch scratch;
    return scratch.get(n);
}

// Pairs per parallel task: enough products to be worth a hand-off.
int64_t pair_grain(const AttentionShape& s) {
    const int64_t work = 4 * s.T * s.T * s.D;
    return std::max<int64_t>(1, (1 << 20) / std::max<int64_t>(1, work));
}

}  // namespace

void causal_attention_forward(const AttentionShape& s, const float* qkv, float* y, float* p) {
    const int64_t T = s.T, D = s.D;
    const AxisShape rows{T, T, 1};
    parallel_for(s.B * s.H, pair_grain(s), [&](int64_t p0, int64_t p1) {
        float* scores = scratch_matrix(T * T);
        for (int64_t pair = p0; pair < p1; ++pair) {
            const Head hd(s, qkv, pair);
            float* pp = p + hd.p_offset;
            // scores (T, T) = scale * q k^T, the future masked with -inf as the
            // unfused op's mask does, so the softmax below is the same.
            gemm(false, true, T, T, D, s.scale, hd.q, hd.ld_qkv, hd.k, hd.ld_qkv, 0.0f, scores, T);
            for (int64_t i = 0; i < T; ++i)
                for (int64_t j = i + 1; j < T; ++j)
                    scores[i * T + j] = -std::numeric_limits<float>::infinity();
            softmax_forward(SoftmaxMode::softmax, rows, scores, pp);
            gemm(false, false, T, D, T, 1.0f, pp, T, hd.v, hd.ld_qkv, 0.0f, y + hd.y_offset,
                 hd.ld_y);  // y (T, D) = p v
        }
    });
}

void causal_attention_backward(const AttentionShape& s, const float* qkv, const float* p,
                               const float* dy, float* dqkv) {
    const int64_t T = s.T, D = s.D;
    const AxisShape rows{T, T, 1};
    parallel_for(s.B * s.H, pair_grain(s), [&](int64_t p0, int64_t p1) {
        float* dp = scratch_matrix(2 * T * T);
        float* ds = dp + T * T;
        for (int64_t pair = p0; pair < p1; ++pair) {
            const Head hd(s, qkv, pair);
            const float* pp = p + hd.p_offset;
            const float* g = dy + hd.y_offset;
            float* dq = dqkv + hd.qkv_offset;
            float* dk = dq + s.H * D;
            float* dv = dq + 2 * s.H * D;
            gemm(true, false, T, D, T, 1.0f, pp, T, g, hd.ld_y, 0.0f, dv, hd.ld_qkv);    // p^T dy
            gemm(false, true, T, T, D, 1.0f, g, hd.ld_y, hd.v, hd.ld_qkv, 0.0f, dp, T);  // dy v^T
            softmax_backward(SoftmaxMode::softmax, rows, dp, pp, ds);  // d scores / scale
            gemm(false, false, T, D, T, s.scale, ds, T, hd.k, hd.ld_qkv, 0.0f, dq, hd.ld_qkv);
            gemm(true, false, T, D, T, s.scale, ds, T, hd.q, hd.ld_qkv, 0.0f, dk, hd.ld_qkv);
        }
    });
}

}  // namespace ganvas::cpu
