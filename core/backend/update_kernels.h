// UpdateKernels: the in-place writes of training, outside the graph: optimizer
// steps, weight clipping, moving averages, row copies and power iteration.
//
// They run where the weights live, so a step on the GPU never reads its
// weights back. The optimizers compute their constants on the host in double,
// as torch does, and hand them over as floats in the param structs below; the
// kernels only apply them. The CPU entries are in backend/cpu/cpu_update.cpp.
#pragma once

#include <cstdint>

#include "backend/storage.h"

namespace ganvas {

// Adam and AdamW (torch.optim.Adam / AdamW, 1.13), constants of one step.
struct AdamStep {
    float step_size = 0;  // lr / (1 - beta1^t)
    float bc2_sqrt = 1;   // sqrt(1 - beta2^t)
    float beta1 = 0, beta2 = 0;
    float one_minus_beta1 = 1, one_minus_beta2 = 1;  // rounded from double, as torch's
    float eps = 0;
    float weight_decay = 0;
    bool decoupled = false;  // AdamW: w *= decay instead of g += weight_decay * w
    float decay = 1;         // 1 - lr * weight_decay
};

// SGD with optional momentum, weight decay and Nesterov (torch.optim.SGD).
struct SgdStep {
    float lr = 0, momentum = 0, weight_decay = 0;
    bool nesterov = false;
    // torch's first step with momentum sets the buffer to the gradient itself.
    bool first_momentum_step = false;
};

struct RmspropStep {
    float lr = 0, alpha = 0, one_minus_alpha = 1, eps = 0;
};

class UpdateKernels {
public:
    virtual ~UpdateKernels() = default;

    // One optimizer step on n values: w, the moment buffers updated in place from g.
    virtual void adam_step(const AdamStep& s, int64_t n, Storage& w, const Storage& g, Storage& m,
                           Storage& v) const = 0;
    // momentum_buffer is null when momentum is 0.
    virtual void sgd_step(const SgdStep& s, int64_t n, Storage& w, const Storage& g,
                          Storage* momentum_buffer) const = 0;
    virtual void rmsprop_step(const RmspropStep& s, int64_t n, Storage& w, const Storage& g,
                              Storage& square_avg) const = 0;

    // x[i] = min(max(x[i], lo), hi) for n values: WGAN's weight clipping.
    virtual void clamp_(int64_t n, Storage& x, float lo, float hi) const = 0;
    // a[i] = decay * a[i] + (1 - decay) * b[i] for n values: an exponential moving average.
    virtual void lerp_(int64_t n, Storage& a, const Storage& b, float decay) const = 0;

    // x[i] += value for n int64 values: counters kept where the model lives
    // (batch norm's num_batches_tracked).
    virtual void add_i64_(int64_t n, Storage& x, int64_t value) const = 0;

    // dst row index[p][0] = src row index[p][1] for each of `pairs` pairs; rows of
    // `row_size` floats, index int64 (pairs, 2). Rows of dst not named keep their values.
    virtual void copy_rows(int64_t pairs, int64_t row_size, const Storage& src,
                           const Storage& index, Storage& dst) const = 0;
    // For each of `rows` rows of x (rows, row_size) and its bin index[r] (int64 in [0, bins)):
    // counts[bin] = how many rows, sums[bin] (bins, row_size) = their sum, accumulated in
    // double in row order and rounded once: the statistics of an EMA codebook update.
    virtual void bin_rows(int64_t rows, int64_t row_size, int64_t bins, const Storage& x,
                          const Storage& index, Storage& counts, Storage& sums) const = 0;
    // codebook (bins, row_size) = embed_sum / smoothed count, with n = sum(cluster_size) and
    // the Laplace smoothing (cluster_size + eps) / (n + bins * eps) * n, in double.
    virtual void codebook_from_ema(int64_t bins, int64_t row_size, float eps,
                                   const Storage& cluster_size, const Storage& embed_sum,
                                   Storage& codebook) const = 0;

    // Spectral norm's power iteration on w viewed as (rows, cols), `iterations` times:
    // v = normalize(w^T u), u = normalize(w v), normalize(x) = x / max(|x|, eps).
    virtual void power_iteration(int64_t rows, int64_t cols, int iterations, float eps,
                                 const Storage& w, Storage& u, Storage& v) const = 0;
};

}  // namespace ganvas
