// ReduceKernels: reductions and the kernels built around one: sums and means
// over dimensions and their backward (broadcasting), softmax and log-softmax,
// argmax, the mean-reduced losses and the pieces of causal attention.
//
// Storage and sizes in, no Tensors: the ops in core/ops check shapes and
// record gradients, the backend only computes. Every value an op used to read
// on the host to decide something (a row's max for a stable softmax, a loss's
// running total) stays inside the kernel, so a GPU runs the same entries
// without reading back. The CPU entries are in backend/cpu/cpu_reduce.cpp.
#pragma once

#include <cstdint>
#include <vector>

#include "backend/storage.h"

namespace ganvas {

// A tensor seen as (outer, n, inner) around one dimension: the n values along
// it sit `inner` apart, and outer * inner such lines make up the tensor.
struct AxisShape {
    int64_t outer = 1, n = 1, inner = 1;
};

enum class ReduceOp {
    sum,   // accumulated in double in memory order, rounded to float once
    mean,  // the float sum times the float 1 / count (count 0 counts as 1)
};

enum class SoftmaxMode {
    softmax,      // exp(x - max) / sum(exp(x - max))
    log_softmax,  // x - max - log(sum(exp(x - max)))
};

// The element-wise losses that are mean-reduced over every element.
enum class PairLoss {
    bce_with_logits,  // max(x, 0) - x * t + log(1 + exp(-|x|))
    mse,              // (x - t)^2
    l1,               // |x - t|
};

class ReduceKernels {
public:
    virtual ~ReduceKernels() = default;

    // -- reductions -------------------------------------------------------------
    // y = x (`shape`) reduced over `dims` (sorted, distinct; empty copies x); y holds
    // x's shape with those dims set to 1.
    virtual void reduce(ReduceOp op, const std::vector<int64_t>& shape,
                        const std::vector<int64_t>& dims, const Storage& x, Storage& y) const = 0;
    // y (`to`) = x (`from`, right-aligned against `to`, size 1 where it repeats) repeated
    // up to `to`: the backward of reduce.
    virtual void broadcast(const std::vector<int64_t>& from, const std::vector<int64_t>& to,
                           const Storage& x, Storage& y) const = 0;
    // idx (outer, inner) int64 = the position of the largest of each line of x; ties go
    // to the first, NaN counts as the largest. s.n >= 1.
    virtual void argmax(const AxisShape& s, const Storage& x, Storage& idx) const = 0;

    // -- softmax along the n axis of (outer, n, inner) ----------------------------
    virtual void softmax_forward(SoftmaxMode mode, const AxisShape& s, const Storage& x,
                                 Storage& y) const = 0;
    // gx from the output gradient g and the forward's output y:
    // softmax gx = y * (g - sum(g * y)), log_softmax gx = g - exp(y) * sum(g).
    virtual void softmax_backward(SoftmaxMode mode, const AxisShape& s, const Storage& g,
                                  const Storage& y, Storage& gx) const = 0;

    // -- losses -----------------------------------------------------------------
    // loss (1) = the mean over n elements of the pair loss of x and t.
    virtual void pair_loss_mean(PairLoss op, int64_t n, const Storage& x, const Storage& t,
                                Storage& loss) const = 0;
    // logits (N, C), target (N) int64 in [0, C) -> lse (N) the rows' log-sum-exp and
    // loss (1) the mean of lse - logits[n, target[n]] (NaN for N == 0).
    virtual void cross_entropy_forward(int64_t N, int64_t C, const Storage& logits,
                                       const Storage& target, Storage& lse,
                                       Storage& loss) const = 0;
    // gx (N, C) = g[0] * scale * (exp(logits - lse) - onehot(target)).
    virtual void cross_entropy_backward(int64_t N, int64_t C, const Storage& logits,
                                        const Storage& target, const Storage& lse, const Storage& g,
                                        float scale, Storage& gx) const = 0;
    // out (N, C) float32: rows of 0 with a 1 at target[n] (int64 in [0, C)).
    virtual void one_hot(int64_t N, int64_t C, const Storage& target, Storage& out) const = 0;
    // found (2) int64 = the first i < n whose index[i] (int64) is outside [0, limit) and
    // that index, or (-1, 0) when every one is inside: an op's range check, read back once.
    virtual void first_out_of_range(int64_t n, const Storage& index, int64_t limit,
                                    Storage& found) const = 0;

    // -- attention ----------------------------------------------------------------
    // m (T, T) float32: 0 on and below the diagonal, -inf above it.
    virtual void causal_mask(int64_t T, Storage& m) const = 0;
};

}  // namespace ganvas
