#include "backend/cpu/spatial_loops.h"

#include "backend/interpolation_taps.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <vector>

#include "backend/cpu/thread_pool.h"
#include "backend/interpolation_taps.h"

namespace ganvas::cpu {
namespace {

// Elements one thread should have before a kernel is worth splitting.
constexpr int64_t kWork = 1 << 14;

// Runs fn(p) for each of `planes` (N * C) planes, `work` elements each, over the pool.
template <typename F>
void for_planes(int64_t planes, int64_t work, F fn) {
    parallel_for(planes, std::max<int64_t>(1, kWork / std::max<int64_t>(1, work)),
                 [&](int64_t p0, int64_t p1) {
                     for (int64_t p = p0; p < p1; ++p) fn(p);
                 });
}

// ---------------------------------------------------------------------------
// Pooling

// Where each output row and column reads: input rows [h0[i], h1[i]) and columns
// [w0[j], w1[j]), already clipped to the input, so padding never needs reading.
struct Windows {
    std::vector<int64_t> h0, h1, w0, w1;
    float divisor = 0.0f;  // the mean's denominator; 0: each window's own area (adaptive)
};

// [start, end) of each of `out` sliding windows over `in` values, clipped to [0, in).
void sliding(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t padding,
             std::vector<int64_t>& lo, std::vector<int64_t>& hi) {
    for (int64_t i = 0; i < out; ++i) {
        const int64_t start = i * stride - padding;
        lo.push_back(std::max<int64_t>(start, 0));
        hi.push_back(std::min(start + kernel, in));
    }
}

// PyTorch's adaptive rule: [floor(i * in / out), ceil((i + 1) * in / out)).
void adaptive(int64_t in, int64_t out, std::vector<int64_t>& lo, std::vector<int64_t>& hi) {
    for (int64_t i = 0; i < out; ++i) {
        lo.push_back(i * in / out);
        hi.push_back(((i + 1) * in + out - 1) / out);
    }
}

Windows windows_of(PoolMode mode, const PoolGeometry& g) {
    Windows w;
    if (mode == PoolMode::adaptive_avg) {
        adaptive(g.in_h, g.out_h, w.h0, w.h1);
        adaptive(g.in_w, g.out_w, w.w0, w.w1);
        return w;
    }
    sliding(g.in_h, g.out_h, g.kernel, g.stride, g.padding, w.h0, w.h1);
    sliding(g.in_w, g.out_w, g.kernel, g.stride, g.padding, w.w0, w.w1);
    // With ceil_mode=False every window ends inside the padded input, so kernel^2
    // is each window's padded size: count_include_pad's denominator.
    w.divisor = static_cast<float>(g.kernel * g.kernel);
    return w;
}

// The windows as plain numbers and pointers, which each kernel copies into locals:
// read through a reference, they would be reloaded after every store to an output
// (an int64_t* store may alias the vectors), and the inner loops would crawl.
struct Plan {
    int64_t in_w, in_plane, out_h, out_w, out_plane;
    const int64_t *h0, *h1, *w0, *w1;
    float divisor;
    int64_t kernel, stride, padding;

    Plan(const PoolGeometry& g, const Windows& w)
        : in_w(g.in_w),
          in_plane(g.in_plane()),
          out_h(g.out_h),
          out_w(g.out_w),
          out_plane(g.out_plane()),
          h0(w.h0.data()),
          h1(w.h1.data()),
          w0(w.w0.data()),
          w1(w.w1.data()),
          divisor(w.divisor),
          kernel(g.kernel),
          stride(g.stride),
          padding(g.padding) {}

    float divisor_of(int64_t i, int64_t j) const {
        return divisor > 0.0f ? divisor : static_cast<float>((h1[i] - h0[i]) * (w1[j] - w0[j]));
    }
};

// x (planes, H, W) -> (planes, Ho, Wo): each window's mean.
void avg_pool_forward(const PoolGeometry& g, const Windows& w, const float* px, float* po) {
    const Plan plan(g, w);
    for_planes(g.planes, g.in_plane(), [&](int64_t p) {
        const Plan q = plan;
        const float* xp = px + p * q.in_plane;
        float* op = po + p * q.out_plane;
        for (int64_t i = 0; i < q.out_h; ++i) {
            const int64_t h0 = q.h0[i], h1 = q.h1[i];
            for (int64_t j = 0; j < q.out_w; ++j) {
                const int64_t w0 = q.w0[j], w1 = q.w1[j];
                double s = 0.0;  // double: adaptive windows can cover a whole plane
                for (int64_t h = h0; h < h1; ++h)
                    for (int64_t c = w0; c < w1; ++c) s += xp[h * q.in_w + c];
                op[i * q.out_w + j] = static_cast<float>(s / q.divisor_of(i, j));
            }
        }
    });
}

// g (planes, Ho, Wo) -> (planes, H, W): each output's share spread back over its window.
void avg_pool_backward(const PoolGeometry& g, const Windows& w, const float* pg, float* po) {
    const Plan plan(g, w);
    for_planes(g.planes, g.in_plane(), [&](int64_t p) {
        const Plan q = plan;
        const float* gp = pg + p * q.out_plane;
        float* xp = po + p * q.in_plane;
        std::fill(xp, xp + q.in_plane, 0.0f);
        for (int64_t i = 0; i < q.out_h; ++i) {
            const int64_t h0 = q.h0[i], h1 = q.h1[i];
            for (int64_t j = 0; j < q.out_w; ++j) {
                const int64_t w0 = q.w0[j], w1 = q.w1[j];
                const float v = gp[i * q.out_w + j] / q.divisor_of(i, j);
                for (int64_t h = h0; h < h1; ++h)
                    for (int64_t c = w0; c < w1; ++c) xp[h * q.in_w + c] += v;
            }
        }
    });
}

// Scalar max of one window of plane xp into best, at, with the rule of PyTorch's CPU
// kernel: cells in row-major order, strict > keeps the first maximum, a NaN wins (the
// last one seen), and an all -inf window points at its first cell.
inline void max_window(const float* xp, int64_t in_w, int64_t h0, int64_t h1, int64_t w0,
                       int64_t w1, float& best, int64_t& at) {
    best = -std::numeric_limits<float>::infinity();
    at = h0 * in_w + w0;
    for (int64_t h = h0; h < h1; ++h)
        for (int64_t c = w0; c < w1; ++c) {
            const float v = xp[h * in_w + c];
            if (v > best || std::isnan(v)) {
                best = v;
                at = h * in_w + c;
            }
        }
}

// Output row i of plane xp into best[j], at[j]. A window-by-window scan is bound by
// its chain of compares and tiny loops, so interior columns (windows not clipped)
// are updated together instead, cell by cell in row-major order: a loop over j that
// vectorizes and keeps max_window's rule. Edge columns take max_window.
void max_pool_row(const float* xp, const Plan& q, int64_t i, float* best, int64_t* at) {
    const int64_t h0 = q.h0[i], h1 = q.h1[i], k = q.kernel, s = q.stride, p = q.padding;
    // Interior columns [ja, jb): 0 <= j * s - p and j * s - p + k <= in_w.
    const int64_t last = q.in_w + p - k >= 0 ? (q.in_w + p - k) / s : -1;
    const int64_t jb = std::min(q.out_w, last + 1);
    const int64_t ja = std::min(jb, (p + s - 1) / s);
    for (int64_t j = 0; j < q.out_w; ++j)
        if (j < ja || j >= jb) max_window(xp, q.in_w, h0, h1, q.w0[j], q.w1[j], best[j], at[j]);
    if (ja == jb) return;
    // at[j] holds the winning cell's offset less j * s until the end: the same for all j.
    std::fill(best + ja, best + jb, -std::numeric_limits<float>::infinity());
    std::fill(at + ja, at + jb, h0 * q.in_w - p);
    for (int64_t h = h0; h < h1; ++h)
        for (int64_t b = 0; b < k; ++b) {
            const int64_t cell = h * q.in_w - p + b;  // may be < 0: j * s - p >= 0 here
            for (int64_t j = ja; j < jb; ++j) {
                const float v = xp[cell + j * s];
                const bool take = (v > best[j]) | (v != v);
                best[j] = take ? v : best[j];
                at[j] = take ? cell : at[j];
            }
        }
    for (int64_t j = ja; j < jb; ++j) at[j] += j * s;
}

// x (planes, H, W) -> values (planes, Ho, Wo) and their plane-local flat indices.
void max_pool_forward(const PoolGeometry& g, const Windows& w, const float* px, float* po,
                      int64_t* pi) {
    const Plan plan(g, w);
    for_planes(g.planes, g.in_plane(), [&](int64_t p) {
        const Plan q = plan;
        for (int64_t i = 0; i < q.out_h; ++i) {
            const int64_t row = p * q.out_plane + i * q.out_w;
            max_pool_row(px + p * q.in_plane, q, i, po + row, pi + row);
        }
    });
}

// ---------------------------------------------------------------------------
// Pixel shuffle: a permutation of elements of type T.

template <typename T>
void shuffle(bool unshuffle, const PixelShuffleGeometry& g, const T* x, T* y) {
    const int64_t r = g.r, H = g.H, W = g.W, Ho = H * r, Wo = W * r;
    // One task per (n, c): the r^2 low-resolution planes and their one large plane.
    for_planes(g.N * g.C, Ho * Wo, [&](int64_t p) {
        const int64_t big = p * Ho * Wo, small = p * r * r * H * W;
        for (int64_t i = 0; i < r; ++i)
            for (int64_t j = 0; j < r; ++j) {
                const int64_t plane = small + (i * r + j) * H * W;
                for (int64_t h = 0; h < H; ++h)
                    for (int64_t w = 0; w < W; ++w) {
                        const int64_t s = plane + h * W + w, b = big + (h * r + i) * Wo + w * r + j;
                        if (unshuffle)
                            y[s] = x[b];
                        else
                            y[b] = x[s];
                    }
            }
    });
}

}  // namespace

void pool2d_forward(PoolMode mode, const PoolGeometry& g, const float* x, float* y,
                    int64_t* indices) {
    const Windows w = windows_of(mode, g);
    if (mode == PoolMode::max)
        max_pool_forward(g, w, x, y, indices);
    else
        avg_pool_forward(g, w, x, y);
}

void pool2d_backward(PoolMode mode, const PoolGeometry& g, const float* gy, const int64_t* indices,
                     float* gx) {
    // Max: one plane per task, as windows overlap (stride < kernel) only within a plane.
    if (mode == PoolMode::max)
        plane_scatter(true, g.planes, g.out_plane(), g.in_plane(), gy, indices, gx);
    else
        avg_pool_backward(g, windows_of(mode, g), gy, gx);
}

void plane_gather(int64_t planes, int64_t src_plane, int64_t index_plane, const float* src,
                  const int64_t* indices, float* dst) {
    for_planes(planes, index_plane, [&](int64_t p) {
        const float* tp = src + p * src_plane;
        for (int64_t k = p * index_plane; k < (p + 1) * index_plane; ++k) dst[k] = tp[indices[k]];
    });
}

void plane_scatter(bool accumulate, int64_t planes, int64_t index_plane, int64_t dst_plane,
                   const float* src, const int64_t* indices, float* dst) {
    for_planes(planes, std::max(index_plane, dst_plane), [&](int64_t p) {
        float* dp = dst + p * dst_plane;
        std::fill(dp, dp + dst_plane, 0.0f);
        const int64_t k0 = p * index_plane, k1 = (p + 1) * index_plane;
        if (accumulate)
            for (int64_t k = k0; k < k1; ++k) dp[indices[k]] += src[k];
        else
            for (int64_t k = k0; k < k1; ++k) dp[indices[k]] = src[k];
    });
}

// x (planes, H, W) -> (planes, Ho, Wo): the taps applied, rows outer, columns inner.
void interpolate_forward(InterpolationMode mode, const InterpolateGeometry& g, const float* px,
                         float* po) {
    const AxisTaps th = axis_taps(mode, g, true), tw = axis_taps(mode, g, false);
    const int64_t in_plane = th.in * tw.in, out_plane = th.out * tw.out;
    for_planes(g.planes, out_plane * th.k * tw.k, [&](int64_t p) {
        const float* xp = px + p * in_plane;
        float* op = po + p * out_plane;
        for (int64_t i = 0; i < th.out; ++i)
            for (int64_t j = 0; j < tw.out; ++j) {
                float acc = 0.0f;
                for (int64_t a = 0; a < th.k; ++a) {
                    const float* row = xp + th.idx[i * th.k + a] * tw.in;
                    float inner = 0.0f;
                    for (int64_t b = 0; b < tw.k; ++b)
                        inner += row[tw.idx[j * tw.k + b]] * tw.w[j * tw.k + b];
                    acc += inner * th.w[i * th.k + a];
                }
                op[i * tw.out + j] = acc;
            }
    });
}

// g (planes, Ho, Wo) -> (planes, H, W): the adjoint, each output's gradient spread
// back over the inputs it read, with the same weights.
void interpolate_backward(InterpolationMode mode, const InterpolateGeometry& g, const float* pg,
                          float* px) {
    const AxisTaps th = axis_taps(mode, g, true), tw = axis_taps(mode, g, false);
    const int64_t in_plane = th.in * tw.in, out_plane = th.out * tw.out;
    for_planes(g.planes, out_plane * th.k * tw.k, [&](int64_t p) {
        const float* gp = pg + p * out_plane;
        float* xp = px + p * in_plane;
        std::fill(xp, xp + in_plane, 0.0f);
        for (int64_t i = 0; i < th.out; ++i)
            for (int64_t a = 0; a < th.k; ++a) {
                float* row = xp + th.idx[i * th.k + a] * tw.in;
                const float wa = th.w[i * th.k + a];
                for (int64_t j = 0; j < tw.out; ++j) {
                    const float v = gp[i * tw.out + j] * wa;
                    for (int64_t b = 0; b < tw.k; ++b)
                        row[tw.idx[j * tw.k + b]] += v * tw.w[j * tw.k + b];
                }
            }
    });
}

void pixel_shuffle(bool unshuffle, const PixelShuffleGeometry& g, const void* x, void* y) {
    if (g.element_bytes == 4)
        shuffle(unshuffle, g, static_cast<const uint32_t*>(x), static_cast<uint32_t*>(y));
    else if (g.element_bytes == 8)
        shuffle(unshuffle, g, static_cast<const uint64_t*>(x), static_cast<uint64_t*>(y));
    else
        throw std::invalid_argument("pixel_shuffle: elements of 4 or 8 bytes only");
}

}  // namespace ganvas::cpu
