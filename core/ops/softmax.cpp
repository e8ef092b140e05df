#include "ops/softmax.h"

#include <Eigen/Core>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "backend/cpu/thread_pool.h"
#include "ops/elementwise.h"
#include "ops/reduce.h"
#include "tape/tape.h"

namespace ganvas {
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

void require_f32(const Tensor& t, const char* op) {
    if (!t.defined()) throw std::invalid_argument(std::string(op) + ": undefined tensor");
    if (t.dtype() != DType::f32)
        throw std::invalid_argument(std::string(op) + ": expects float32, got " +
                                    dtype_name(t.dtype()));
}

// `dim` in [0, rank); a 0-d tensor counts as rank 1 (one row of one value), as torch.
int64_t wrap_dim(int64_t dim, const Tensor& x, const char* op) {
    const int64_t rank = std::max<int64_t>(x.dim(), 1);
    const int64_t d = dim < 0 ? dim + rank : dim;
    if (d < 0 || d >= rank)
        throw std::invalid_argument(std::string(op) + ": dimension " + std::to_string(dim) +
                                    " out of range for input " + shape_str(x.shape()));
    return d;
}

// x seen as (outer, D, inner) around dimension d: the values along d sit `inner` apart.
struct Layout {
    int64_t outer = 1, d = 1, inner = 1;
};

Layout layout_of(const Tensor& x, int64_t d) {
    Layout l;
    if (x.dim() == 0) return l;
    l.d = x.size(d);
    for (int64_t i = 0; i < d; ++i) l.outer *= x.size(i);
    for (int64_t i = d + 1; i < x.dim(); ++i) l.inner *= x.size(i);
    return l;
}

// Runs row(offset) on each contiguous row when inner == 1 (the common softmax over
// the last dim), else lanes(offset, len) on blocks of up to kLanes positions of the
// inner dims; offset is the flat index of the slice's first value.
template <typename RowFn, typename LaneFn>
void for_each_slice(const Layout& l, RowFn row, LaneFn lanes) {
    if (l.inner == 1) {
        cpu::parallel_for(l.outer, std::max<int64_t>(1, kWork / std::max<int64_t>(1, l.d)),
                          [&](int64_t o0, int64_t o1) {
                              for (int64_t o = o0; o < o1; ++o) row(o * l.d);
                          });
        return;
    }
    const int64_t blocks = (l.inner + kLanes - 1) / kLanes;
    const int64_t work = l.d * std::min(l.inner, kLanes);
    cpu::parallel_for(l.outer * blocks, std::max<int64_t>(1, kWork / std::max<int64_t>(1, work)),
                      [&](int64_t u0, int64_t u1) {
                          for (int64_t u = u0; u < u1; ++u) {
                              const int64_t o = u / blocks, i0 = (u % blocks) * kLanes;
                              lanes(o * l.d * l.inner + i0, std::min(kLanes, l.inner - i0));
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
Tensor softmax_forward(const Tensor& x, const Layout& l) {
    Tensor y = Tensor::empty(x.shape());  // x's shape
    if (x.numel() == 0) return y;
    const float* px = x.data();
    float* py = y.data();
    for_each_slice(
        l, [&](int64_t off) { forward_row<Log>(px + off, py + off, l.d); },
        [&](int64_t off, int64_t len) {
            forward_lanes<Log>(px + off, py + off, l.d, l.inner, len);
        });
    return y;
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
Tensor softmax_backward_fused(const Tensor& g, const Tensor& y, const Layout& l) {
    Tensor gx = Tensor::empty(y.shape());  // y's shape
    if (y.numel() == 0) return gx;
    const float* pg = g.data();
    const float* py = y.data();
    float* po = gx.data();
    for_each_slice(
        l, [&](int64_t off) { backward_row<Log>(pg + off, py + off, po + off, l.d); },
        [&](int64_t off, int64_t len) {
            backward_lanes<Log>(pg + off, py + off, po + off, l.d, l.inner, len);
        });
    return gx;
}

// -- the ops --------------------------------------------------------------------

Tensor softmax_op(const Tensor& x, int64_t dim, bool log) {
    const char* op = log ? "log_softmax" : "softmax";
    require_f32(x, op);
    const int64_t d = wrap_dim(dim, x, op);
    const Layout l = layout_of(x, d);
    Tensor y = log ? softmax_forward<true>(x, l) : softmax_forward<false>(x, l);
    return record(op, y, {x},
                  [x, d, l, log, y = y.detach()](const Tensor& g, const std::vector<bool>&) {
                      if (!grad_mode_enabled())
                          return std::vector<Tensor>{log ? softmax_backward_fused<true>(g, y, l)
                                                         : softmax_backward_fused<false>(g, y, l)};
                      // create_graph: the probabilities are recomputed with a graph, so the
                      // gradient is differentiable in x as well as in g.
                      if (x.dim() == 0) return std::vector<Tensor>{mul_scalar(g, 0.0f)};
                      Tensor p = softmax(x, d);  // x's shape
                      if (log) return std::vector<Tensor>{sub(g, mul(p, sum(g, {d}, true)))};
                      return std::vector<Tensor>{mul(p, sub(g, sum(mul(g, p), {d}, true)))};
                  });
}

void check_cross_entropy_args(const Tensor& logits, const Tensor& target) {
    const char* op = "cross_entropy";
    require_f32(logits, op);
    if (!target.defined()) throw std::invalid_argument("cross_entropy: undefined target");
    if (logits.dim() != 2 || target.dtype() != DType::i64 || target.dim() != 1 ||
        target.size(0) != logits.size(0))
        throw std::invalid_argument(
            "cross_entropy: expects logits (N, C) float32 and target (N) int64, got logits " +
            shape_str(logits.shape()) + " and target " + shape_str(target.shape()) + " " +
            dtype_name(target.dtype()));
    const int64_t n = logits.size(0), c = logits.size(1);
    const int64_t* pt = target.data_i64();
    for (int64_t i = 0; i < n; ++i)
        if (pt[i] < 0 || pt[i] >= c)
            throw std::invalid_argument("cross_entropy: target " + std::to_string(pt[i]) +
                                        " at index " + std::to_string(i) + " is out of range for " +
                                        std::to_string(c) + " classes (logits " +
                                        shape_str(logits.shape()) + ")");
}

// (N) int64 -> (N, C) float32 rows of 0 with a 1 at the target: a constant, no graph.
Tensor one_hot(const Tensor& target, int64_t classes) {
    const int64_t n = target.size(0);
    Tensor out = Tensor::zeros({n, classes});
    const int64_t* pt = target.data_i64();
    float* po = out.data();
    for (int64_t i = 0; i < n; ++i) po[i * classes + pt[i]] = 1.0f;
    return out;
}

// gx = scale * (exp(x - lse) - onehot(target)), row by row.
Tensor cross_entropy_backward_fused(const Tensor& logits, const Tensor& target, const Tensor& lse,
                                    float scale) {
    const int64_t n = logits.size(0), c = logits.size(1);
    Tensor gx = Tensor::empty(logits.shape());  // (N, C)
    const float* px = logits.data();
    const float* pl = lse.data();
    const int64_t* pt = target.data_i64();
    float* po = gx.data();
    cpu::parallel_for(n, std::max<int64_t>(1, kWork / std::max<int64_t>(1, c)),
                      [&](int64_t r0, int64_t r1) {
                          for (int64_t r = r0; r < r1; ++r) {
                              const float* x = px + r * c;
                              float* o = po + r * c;
                              const float l = pl[r];
                              ArrayMap(o, c) = (ConstArrayMap(x, c) - l).exp();
                              for (int64_t j = 0; j < c; ++j) o[j] = flush(o[j], x[j] - l) * scale;
                              o[pt[r]] -= scale;
                          }
                      });
    return gx;
}

}  // namespace

Tensor softmax(const Tensor& x, int64_t dim) {
    return softmax_op(x, dim, false);
}

Tensor log_softmax(const Tensor& x, int64_t dim) {
    return softmax_op(x, dim, true);
}

Tensor cross_entropy(const Tensor& logits, const Tensor& target) {
    check_cross_entropy_args(logits, target);
    const int64_t n = logits.size(0), c = logits.size(1);
    // Per row the log-sum-exp (kept for the backward) and the loss lse - x[target];
    // the losses add up serially in double, so the result does not depend on threads.
    Tensor lse = Tensor::empty({n});  // (N)
    std::vector<double> losses(n);
    const float* px = logits.data();
    const int64_t* pt = target.data_i64();
    float* pl = lse.data();
    cpu::parallel_for(n, std::max<int64_t>(1, kWork / std::max<int64_t>(1, c)),
                      [&](int64_t r0, int64_t r1) {
                          for (int64_t r = r0; r < r1; ++r) {
                              const float* x = px + r * c;
                              ConstArrayMap xr(x, c);
                              const float m = xr.maxCoeff();
                              double s = 0.0;
                              for (int64_t b = 0; b < c; b += kBlock)
                                  s += (xr.segment(b, std::min(c - b, kBlock)) - m).exp().sum();
                              pl[r] = m + static_cast<float>(std::log(s));
                              losses[r] = (static_cast<double>(m) - x[pt[r]]) + std::log(s);
                          }
                      });
    double total = 0.0;
    for (double v : losses) total += v;
    // N == 0 gives NaN (0 / 0), as torch's mean over nothing.
    Tensor out = Tensor::scalar(static_cast<float>(total / static_cast<double>(n)));
    const float inv_n = n > 0 ? 1.0f / static_cast<float>(n) : 0.0f;
    return record("cross_entropy", out, {logits},
                  [logits, target, lse, inv_n](const Tensor& g, const std::vector<bool>&) {
                      if (!grad_mode_enabled())
                          return std::vector<Tensor>{
                              cross_entropy_backward_fused(logits, target, lse, g.item() * inv_n)};
                      // (softmax - onehot) * g / N, differentiable in logits and in g.
                      Tensor p = softmax(logits, 1);  // (N, C)
                      return std::vector<Tensor>{
                          mul(sub(p, one_hot(target, logits.size(1))), mul_scalar(g, inv_n))};
                  });
}

Tensor argmax(const Tensor& x, int64_t dim) {
    require_f32(x, "argmax");
    const int64_t d = wrap_dim(dim, x, "argmax");
    const Layout l = layout_of(x, d);
    if (l.d == 0)
        throw std::invalid_argument("argmax: dimension " + std::to_string(dim) + " of input " +
                                    shape_str(x.shape()) + " is empty");
    Shape shape = x.shape();
    if (!shape.empty()) shape.erase(shape.begin() + d);
    Tensor out = Tensor::empty(shape, DType::i64);  // x's shape without dim d
    const float* px = x.data();
    int64_t* po = out.data_i64();
    cpu::parallel_for(l.outer * l.inner, std::max<int64_t>(1, kWork / l.d),
                      [&](int64_t p0, int64_t p1) {
                          for (int64_t p = p0; p < p1; ++p) {
                              const float* v = px + (p / l.inner) * l.d * l.inner + p % l.inner;
                              float best = v[0];
                              int64_t at = 0;
                              for (int64_t r = 1; r < l.d && !std::isnan(best); ++r) {
                                  const float val = v[r * l.inner];
                                  if (val > best || std::isnan(val)) {
                                      best = val;
                                      at = r;
                                  }
                              }
                              po[p] = at;
                          }
                      });
    return out;
}

}  // namespace ganvas
