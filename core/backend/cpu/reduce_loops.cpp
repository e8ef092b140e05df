#include "backend/cpu/reduce_loops.h"

#include <Eigen/Core>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "backend/cpu/thread_pool.h"

namespace ganvas::cpu {
namespace {

// Elements one thread should have before a kernel is worth splitting.
constexpr int64_t kWork = 1 << 14;
// Positions of the inner dims handled together when the softmax dim is not the last:
// each step along the dim then reads kLanes contiguous floats.
constexpr int64_t kLanes = 256;
// Float sums over blocks this long are exact to a few ulps; blocks add up in double.
constexpr int64_t kBlock = 512;

using ArrayMap = Eigen::Map<Eigen::ArrayXf>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf>;
// Per-lane state on the strided path: fixed capacity, so no heap allocation per block.
using LaneF = Eigen::Array<float, Eigen::Dynamic, 1, Eigen::ColMajor, kLanes, 1>;
using LaneD = Eigen::Array<double, Eigen::Dynamic, 1, Eigen::ColMajor, kLanes, 1>;

// c ? a : b by bit masks, so the loops around it vectorize (see activation.cpp).
inline float blend(bool c, float a, float b) {
    const uint32_t keep = 0u - static_cast<uint32_t>(c);
    return std::bit_cast<float>((std::bit_cast<uint32_t>(a) & keep) |
                                (std::bit_cast<uint32_t>(b) & ~keep));
}

// Eigen's vectorized exp clamps its argument at about -88.72, so exp(-inf) comes out as
// 2.9e-39, not 0. Logits masked with -inf must give exact zeros, as in torch, so a result
// whose argument was below the clamp becomes 0 (the true value there is under 3e-39).
// Written !(arg < low) so that a NaN argument keeps its NaN.
constexpr float kExpLow = -88.7f;
inline float flush(float e, float arg) {
    return blend(!(arg < kExpLow), e, 0.0f);
}

// Runs row(offset) on each contiguous row when inner == 1 (the common softmax over
// the last dim), else lanes(offset, len) on blocks of up to kLanes positions of the
// inner dims; offset is the flat index of the slice's first value.
template <typename RowFn, typename LaneFn>
void for_each_slice(const AxisShape& l, RowFn row, LaneFn lanes) {
    if (l.inner == 1) {
        cpu::parallel_for(l.outer, std::max<int64_t>(1, kWork / std::max<int64_t>(1, l.n)),
                          [&](int64_t o0, int64_t o1) {
                              for (int64_t o = o0; o < o1; ++o) row(o * l.n);
                          });
        return;
    }
    const int64_t blocks = (l.inner + kLanes - 1) / kLanes;
    const int64_t work = l.n * std::min(l.inner, kLanes);
    cpu::parallel_for(l.outer * blocks, std::max<int64_t>(1, kWork / std::max<int64_t>(1, work)),
                      [&](int64_t u0, int64_t u1) {
                          for (int64_t u = u0; u < u1; ++u) {
                              const int64_t o = u / blocks, i0 = (u % blocks) * kLanes;
                              lanes(o * l.n * l.inner + i0, std::min(kLanes, l.inner - i0));
                          }
                      });
}

inline double block_sum(const float* p, int64_t n) {
    double total = 0.0;
    for (int64_t b = 0; b < n; b += kBlock)
        total += ConstArrayMap(p + b, std::min(n - b, kBlock)).sum();
    return total;
}

inline double block_dot(const float* a, const float* b, int64_t n) {
    double total = 0.0;
    for (int64_t k = 0; k < n; k += kBlock) {
        const int64_t len = std::min(n - k, kBlock);
        total += (ConstArrayMap(a + k, len) * ConstArrayMap(b + k, len)).sum();
    }
    return total;
}

// -- forward ------------------------------------------------------------------

// One row of n values: y = exp(x - m) / s, or (x - m) - log(s) for log-softmax.
template <bool Log>
void forward_row(const float* x, float* y, int64_t n) {
    ConstArrayMap xr(x, n);
    ArrayMap yr(y, n);
    const float m = xr.maxCoeff();
    yr = (xr - m).exp();
    for (int64_t j = 0; j < n; ++j) y[j] = flush(y[j], x[j] - m);
    const float s = static_cast<float>(block_sum(y, n));
    if constexpr (Log)
        yr = (xr - m) - std::log(s);
    else
        yr *= 1.0f / s;
}

// `len` lanes, each a column of d values `stride` apart, all reduced together.
template <bool Log>
void forward_lanes(const float* x, float* y, int64_t d, int64_t stride, int64_t len) {
    LaneF m = ConstArrayMap(x, len);
    for (int64_t r = 1; r < d; ++r) m = m.max(ConstArrayMap(x + r * stride, len));
    LaneD s = LaneD::Zero(len);
    for (int64_t r = 0; r < d; ++r) {
        const float* xr = x + r * stride;
        float* yr = y + r * stride;
        ArrayMap(yr, len) = (ConstArrayMap(xr, len) - m).exp();
        for (int64_t j = 0; j < len; ++j) yr[j] = flush(yr[j], xr[j] - m[j]);
        s += ArrayMap(yr, len).cast<double>();
    }
    if constexpr (Log) {
        const LaneF log_s = s.log().cast<float>();
        for (int64_t r = 0; r < d; ++r)
            ArrayMap(y + r * stride, len) = (ConstArrayMap(x + r * stride, len) - m) - log_s;
    } else {
        const LaneF inv_s = s.inverse().cast<float>();
        for (int64_t r = 0; r < d; ++r) ArrayMap(y + r * stride, len) *= inv_s;
    }
}

template <bool Log>
void forward(const AxisShape& l, const float* px, float* py) {
    for_each_slice(
        l, [&](int64_t off) { forward_row<Log>(px + off, py + off, l.n); },
        [&](int64_t off, int64_t len) {
            forward_lanes<Log>(px + off, py + off, l.n, l.inner, len);
        });
}

// -- fused backward -------------------------------------------------------------
// softmax:     gx = y * (g - sum(g * y))
// log_softmax: gx = g - exp(y) * sum(g)

template <bool Log>
void backward_row(const float* g, const float* y, float* gx, int64_t n) {
    ConstArrayMap gr(g, n), yr(y, n);
    ArrayMap out(gx, n);
    if constexpr (Log) {
        const float s = static_cast<float>(block_sum(g, n));
        out = yr.exp();
        for (int64_t j = 0; j < n; ++j) gx[j] = g[j] - flush(gx[j], y[j]) * s;
    } else {
        const float dot = static_cast<float>(block_dot(g, y, n));
        out = yr * (gr - dot);
    }
}

template <bool Log>
void backward_lanes(const float* g, const float* y, float* gx, int64_t d, int64_t stride,
                    int64_t len) {
    LaneD acc = LaneD::Zero(len);
    for (int64_t r = 0; r < d; ++r) {
        ConstArrayMap gr(g + r * stride, len);
        if constexpr (Log)
            acc += gr.cast<double>();
        else
            acc += (gr * ConstArrayMap(y + r * stride, len)).cast<double>();
    }
    const LaneF a = acc.cast<float>();
    for (int64_t r = 0; r < d; ++r) {
        const int64_t off = r * stride;
        ConstArrayMap gr(g + off, len), yr(y + off, len);
        ArrayMap out(gx + off, len);
        if constexpr (Log) {
            out = yr.exp();
            for (int64_t j = 0; j < len; ++j)
                gx[off + j] = g[off + j] - flush(gx[off + j], y[off + j]) * a[j];
        } else {
            out = yr * (gr - a);
        }
    }
}

template <bool Log>
void backward(const AxisShape& l, const float* pg, const float* py, float* po) {
    for_each_slice(
        l, [&](int64_t off) { backward_row<Log>(pg + off, py + off, po + off, l.n); },
        [&](int64_t off, int64_t len) {
            backward_lanes<Log>(pg + off, py + off, po + off, l.n, l.inner, len);
        });
}

}  // namespace

void softmax_forward(SoftmaxMode mode, const AxisShape& s, const float* x, float* y) {
    if (s.outer * s.n * s.inner == 0) return;
    if (mode == SoftmaxMode::log_softmax)
        forward<true>(s, x, y);
    else
        forward<false>(s, x, y);
}

void softmax_backward(SoftmaxMode mode, const AxisShape& s, const float* g, const float* y,
                      float* gx) {
    if (s.outer * s.n * s.inner == 0) return;
    if (mode == SoftmaxMode::log_softmax)
        backward<true>(s, g, y, gx);
    else
        backward<false>(s, g, y, gx);
}

void cross_entropy_forward(int64_t N, int64_t C, const float* px, const int64_t* pt, float* pl,
                           float* loss) {
    // Per row the log-sum-exp (kept for the backward) and the loss lse - x[target];
    // the losses add up serially in double, so the result does not depend on threads.
    std::vector<double> losses(N);
    cpu::parallel_for(N, std::max<int64_t>(1, kWork / std::max<int64_t>(1, C)),
                      [&](int64_t r0, int64_t r1) {
                          for (int64_t r = r0; r < r1; ++r) {
                              const float* x = px + r * C;
                              ConstArrayMap xr(x, C);
                              const float m = xr.maxCoeff();
                              double s = 0.0;
                              for (int64_t b = 0; b < C; b += kBlock)
                                  s += (xr.segment(b, std::min(C - b, kBlock)) - m).exp().sum();
                              pl[r] = m + static_cast<float>(std::log(s));
                              losses[r] = (static_cast<double>(m) - x[pt[r]]) + std::log(s);
                          }
                      });
    double total = 0.0;
    for (double v : losses) total += v;
    // N == 0 gives NaN (0 / 0), as torch's mean over nothing.
    *loss = static_cast<float>(total / static_cast<double>(N));
}

void cross_entropy_backward(int64_t N, int64_t C, const float* px, const int64_t* pt,
                            const float* pl, float scale, float* po) {
    cpu::parallel_for(N, std::max<int64_t>(1, kWork / std::max<int64_t>(1, C)),
                      [&](int64_t r0, int64_t r1) {
                          for (int64_t r = r0; r < r1; ++r) {
                              const float* x = px + r * C;
                              float* o = po + r * C;
                              const float l = pl[r];
                              ArrayMap(o, C) = (ConstArrayMap(x, C) - l).exp();
                              for (int64_t j = 0; j < C; ++j) o[j] = flush(o[j], x[j] - l) * scale;
                              o[pt[r]] -= scale;
                          }
                      });
}

}  // namespace ganvas::cpu
