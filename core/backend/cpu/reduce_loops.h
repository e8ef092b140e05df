// The pointer-level loops of the softmax kernels on float32 buffers: softmax and
// log-softmax along one axis, their fused backward, and cross-entropy's log-sum-exp.
//
// Rows are reduced with Eigen's vectorized exp and sums in float blocks of 512
// that add up in double; when the axis is not the last, up to 256 positions of
// the inner dims go through the axis together so each step reads contiguous floats.
#pragma once

#include <cstdint>

#include "backend/reduce_kernels.h"

namespace ganvas::cpu {

// y = softmax or log_softmax of x (outer, n, inner) along n.
void softmax_forward(SoftmaxMode mode, const AxisShape& s, const float* x, float* y);
// gx from the output gradient g and the forward's output y, as ReduceKernels says.
void softmax_backward(SoftmaxMode mode, const AxisShape& s, const float* g, const float* y,
                      float* gx);

// logits (N, C), target (N) -> lse (N) and *loss the mean of lse - logits[n, target[n]].
void cross_entropy_forward(int64_t N, int64_t C, const float* logits, const int64_t* target,
                           float* lse, float* loss);
// gx (N, C) = scale * (exp(logits - lse) - onehot(target)), row by row.
void cross_entropy_backward(int64_t N, int64_t C, const float* logits, const int64_t* target,
                            const float* lse, float scale, float* gx);

}  // namespace ganvas::cpu
