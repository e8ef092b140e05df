// NormKernels: batch and layer normalization, and the per-channel primitives
// their higher-order gradients are built from.
//
// Every tensor is seen as (outer, channels, inner), contiguous; weight, bias,
// scale and shift have one value per channel. The mode says which values
// share one mean and variance:
//   batch: one per channel, over outer * inner values (x (N, C, H, W) as (N, C, H*W));
//   layer: one per outer index, over its channels (x (..., D) as (rows, D, 1); inner == 1).
// A group mode (statistics per (outer, group of channels)) would be one more
// enum value with the same entries.
//
// Storage and sizes in, no Tensors: the op in core/ops checks shapes and
// records the gradient, the backend only computes. The CPU entries are in
// backend/cpu/cpu_norm.cpp; a GPU backend implements the same few entries
// (each is one or two passes of a reduction per statistic group followed by
// an elementwise pass, a shape GL 4.3 compute shaders handle well).
#pragma once

#include <cstdint>

#include "backend/storage.h"

namespace ganvas {

// A contiguous tensor seen as (outer, channels, inner).
struct ChannelLayout {
    int64_t outer = 0, channels = 0, inner = 0;
    int64_t numel() const { return outer * channels * inner; }
};

enum class NormMode { batch, layer };

// The running buffers batch norm's training mode updates in place:
// running = (1 - momentum) * running + momentum * batch_stat, with the
// unbiased variance for var. Either may be null.
struct RunningStats {
    Storage* mean = nullptr;  // (channels)
    Storage* var = nullptr;   // (channels)
    float momentum = 0.1f;
};

class NormKernels {
public:
    virtual ~NormKernels() = default;

    // y = (x - mean) * invstd * weight + bias with the statistics of x itself
    // (biased variance); mean and invstd get one value per statistic group
    // (channels in batch mode, outer in layer mode) for the backward pass.
    // weight, bias may be null (1 and 0); running is batch mode's only and may be null.
    virtual void forward(NormMode mode, const ChannelLayout& l, const Storage& x,
                         const Storage* weight, const Storage* bias, float eps,
                         const RunningStats* running, Storage& y, Storage& mean,
                         Storage& invstd) const = 0;
    // The gradients of forward() for the output gradient g, from the saved
    // mean and invstd: gx (outer, channels, inner), gweight and gbias (channels).
    // Any output may be null (not wanted); weight may be null.
    virtual void backward(NormMode mode, const ChannelLayout& l, const Storage& g, const Storage& x,
                          const Storage* weight, const Storage& mean, const Storage& invstd,
                          Storage* gx, Storage* gweight, Storage* gbias) const = 0;

    // y = x * scale[c] + shift[c]; scale, shift may be null (1 and 0).
    virtual void channel_affine(const ChannelLayout& l, const Storage& x, const Storage* scale,
                                const Storage* shift, Storage& y) const = 0;
    // out (channels) = x summed over outer and inner.
    virtual void channel_sum(const ChannelLayout& l, const Storage& x, Storage& out) const = 0;
    // out (outer, channels, inner) = v[c] repeated.
    virtual void channel_broadcast(const ChannelLayout& l, const Storage& v,
                                   Storage& out) const = 0;
};

}  // namespace ganvas
