// SpatialKernels: pooling, resizing and pixel shuffles over NCHW float32 images.
//
// Every entry works plane by plane: an image (N, C, H, W) is N * C independent
// planes of H * W values, and no entry mixes planes. The geometry structs hold
// sizes only, so a backend derives each window or tap from them (a GL compute
// shader per output cell as readily as the CPU's loops); the op in core/ops
// checks shapes and records the gradient, the backend only computes. Every
// entry overwrites its whole output. The CPU entries are in
// backend/cpu/cpu_spatial.cpp, their loops in backend/cpu/spatial_loops.cpp.
#pragma once

#include <cstdint>

#include "backend/storage.h"

namespace ganvas {

enum class PoolMode {
    max,           // the window's maximum; its position goes to `indices`
    avg,           // the window's sum / kernel^2: padding counts as zeros (count_include_pad)
    adaptive_avg,  // the mean of window [floor(i * in / out), ceil((i + 1) * in / out))
};

// Pooling of `planes` planes (in_h, in_w) -> (out_h, out_w), torch's rules with
// ceil_mode=False. Sliding windows (max, avg): output row i covers input rows
// [i * stride - padding, + kernel) clipped to the input, columns likewise; padding
// is at most kernel / 2, so no window lies wholly in the padding. adaptive_avg
// ignores kernel, stride and padding.
struct PoolGeometry {
    int64_t planes = 0;  // N * C
    int64_t in_h = 0, in_w = 0, out_h = 0, out_w = 0;
    int64_t kernel = 1, stride = 1, padding = 0;

    int64_t in_plane() const { return in_h * in_w; }
    int64_t out_plane() const { return out_h * out_w; }
};

enum class InterpolationMode { nearest, nearest_exact, bilinear, bicubic };

// Resizing `planes` planes (in_h, in_w) -> (out_h, out_w) as torch's
// interpolate (PyTorch 1.13, CPU, float arithmetic); ops/interpolate.h states
// the coordinate rules. Each axis is a fixed table of taps (1 for nearest, 2
// for bilinear, 4 for bicubic) computed from these numbers alone.
struct InterpolateGeometry {
    int64_t planes = 0;  // N * C
    int64_t in_h = 0, in_w = 0, out_h = 0, out_w = 0;
    // The scale factors the caller gave, or 0 when it gave the output size:
    // the step between source coordinates is 1 / scale when given, not in / out.
    double scale_h = 0.0, scale_w = 0.0;
    bool align_corners = false;  // bilinear and bicubic only
    // Nearest modes on one-channel input: torch's channels-last kernel copies
    // when out == in and halves when out == 2 in, whatever the scale factor.
    bool nearest_shortcuts = false;
};

// Pixel shuffle of x (N, C * r^2, H, W) into (N, C, H * r, W * r):
// out[n, c, h*r + i, w*r + j] = x[n, c*r^2 + i*r + j, h, w]. A permutation, so
// any element type: float32 or int64.
struct PixelShuffleGeometry {
    int64_t N = 0, C = 0, H = 0, W = 0;  // C channels and H x W pixels on the shuffled side
    int64_t r = 1;
    int64_t element_bytes = 4;  // 4 or 8
};

class SpatialKernels {
public:
    virtual ~SpatialKernels() = default;

    // y (planes, out_h, out_w) = the pool of x (planes, in_h, in_w). For max,
    // indices (planes, out_h, out_w) int64 gets each maximum's plane-local flat
    // position h * in_w + w: the first maximum in row-major order, a NaN wins
    // (the last one seen), an all -inf window points at its first cell, as
    // PyTorch's CPU kernel. indices is null for the averages.
    virtual void pool2d_forward(PoolMode mode, const PoolGeometry& g, const Storage& x, Storage& y,
                                Storage* indices) const = 0;
    // gx (planes, in_h, in_w) = the adjoint of pool2d_forward applied to
    // gy (planes, out_h, out_w): for the averages each output's share spread
    // back over its window; for max gy added at `indices`. Max needs only the
    // sizes, as its indices may point anywhere in their plane (max_unpool2d's
    // gradient of a gradient comes here too) and repeats add up. indices is
    // null for the averages.
    virtual void pool2d_backward(PoolMode mode, const PoolGeometry& g, const Storage& gy,
                                 const Storage* indices, Storage& gx) const = 0;

    // dst (planes, index_plane) = src (planes, src_plane) at plane-local
    // positions indices (planes, index_plane) int64, each in [0, src_plane).
    virtual void plane_gather(int64_t planes, int64_t src_plane, int64_t index_plane,
                              const Storage& src, const Storage& indices, Storage& dst) const = 0;
    // dst (planes, dst_plane) = zeros, then src (planes, index_plane) put at
    // plane-local positions indices (planes, index_plane), each in
    // [0, dst_plane): added where `accumulate`, else assigned in order (a later
    // duplicate overwrites, as torch's CPU max_unpool2d).
    virtual void plane_scatter(bool accumulate, int64_t planes, int64_t index_plane,
                               int64_t dst_plane, const Storage& src, const Storage& indices,
                               Storage& dst) const = 0;

    // y (planes, out_h, out_w) = the taps applied to x (planes, in_h, in_w).
    virtual void interpolate_forward(InterpolationMode mode, const InterpolateGeometry& g,
                                     const Storage& x, Storage& y) const = 0;
    // gx (planes, in_h, in_w) = the adjoint: each output's gradient in
    // gy (planes, out_h, out_w) spread back over the inputs it read, same weights.
    virtual void interpolate_backward(InterpolationMode mode, const InterpolateGeometry& g,
                                      const Storage& gy, Storage& gx) const = 0;

    // y = pixel_shuffle(x) (N, C * r^2, H, W) -> (N, C, H * r, W * r), or with
    // `unshuffle` its inverse (N, C, H * r, W * r) -> (N, C * r^2, H, W); each
    // is the other's adjoint.
    virtual void pixel_shuffle(bool unshuffle, const PixelShuffleGeometry& g, const Storage& x,
                               Storage& y) const = 0;
};

}  // namespace ganvas
