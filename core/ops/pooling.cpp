#include "ops/pooling.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "backend/cpu/thread_pool.h"
#include "tape/tape.h"

namespace ganvas {
namespace {

// Elements one thread should have before a kernel is worth splitting.
constexpr int64_t kWork = 1 << 14;

// Where each output row and column reads: input rows [h0[i], h1[i]) and columns
// [w0[j], w1[j]), already clipped to the input, so padding never needs reading.
struct Windows {
    const char* name;  // the forward op's name, for the nodes it records
    int64_t in_h, in_w;
    std::vector<int64_t> h0, h1, w0, w1;
    float divisor;  // the mean's denominator; 0: each window's own area (adaptive)
    int64_t kernel = 0, stride = 0, padding = 0;  // sliding windows only

    int64_t out_h() const { return static_cast<int64_t>(h0.size()); }
    int64_t out_w() const { return static_cast<int64_t>(w0.size()); }
    int64_t in_plane() const { return in_h * in_w; }
    int64_t out_plane() const { return out_h() * out_w(); }
};
using WindowsPtr = std::shared_ptr<const Windows>;

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

void check_input(const Tensor& x, const char* op) {
    if (!x.defined()) throw std::invalid_argument(std::string(op) + ": undefined tensor");
    if (x.dtype() != DType::f32 || x.dim() != 4 || x.size(2) == 0 || x.size(3) == 0)
        throw std::invalid_argument(std::string(op) + ": expects float32 input (N, C, H, W) " +
                                    "with H, W > 0, got " + shape_str(x.shape()) + " " +
                                    dtype_name(x.dtype()));
}

WindowsPtr sliding_windows(const Tensor& x, int64_t kernel, int64_t stride, int64_t padding,
                           const char* op) {
    check_input(x, op);
    const std::string args = "kernel " + std::to_string(kernel) + ", stride " +
                             std::to_string(stride) + ", padding " + std::to_string(padding);
    if (kernel <= 0 || stride <= 0 || padding < 0)
        throw std::invalid_argument(std::string(op) + ": needs kernel > 0, stride > 0 and " +
                                    "padding >= 0, got " + args);
    if (padding > kernel / 2)  // else a window could lie wholly in the padding
        throw std::invalid_argument(std::string(op) + ": padding must be at most half the " +
                                    "kernel, got " + args);
    const int64_t h = x.size(2), w = x.size(3);
    if (h + 2 * padding < kernel || w + 2 * padding < kernel)
        throw std::invalid_argument(std::string(op) + ": input " + shape_str(x.shape()) +
                                    " is smaller than the window (" + args + ")");
    auto win = std::make_shared<Windows>();
    win->name = op;
    win->in_h = h;
    win->in_w = w;
    sliding(h, (h + 2 * padding - kernel) / stride + 1, kernel, stride, padding, win->h0, win->h1);
    sliding(w, (w + 2 * padding - kernel) / stride + 1, kernel, stride, padding, win->w0, win->w1);
    // With ceil_mode=False every window ends inside the padded input, so kernel^2
    // is each window's padded size: count_include_pad's denominator.
    win->divisor = static_cast<float>(kernel * kernel);
    win->kernel = kernel;
    win->stride = stride;
    win->padding = padding;
    return win;
}

// Runs fn(p) for each of `planes` (N * C) planes, `work` elements each, over the pool.
template <typename F>
void for_planes(int64_t planes, int64_t work, F fn) {
    cpu::parallel_for(planes, std::max<int64_t>(1, kWork / std::max<int64_t>(1, work)),
                      [&](int64_t p0, int64_t p1) {
                          for (int64_t p = p0; p < p1; ++p) fn(p);
                      });
}

Shape out_shape(const Shape& s, const Windows& w) {
    return {s[0], s[1], w.out_h(), w.out_w()};
}
Shape in_shape(const Shape& s, const Windows& w) {
    return {s[0], s[1], w.in_h, w.in_w};
}

// The windows as plain numbers and pointers, which each kernel copies into locals:
// read through a reference, they would be reloaded after every store to an output
// (an int64_t* store may alias the vectors), and the inner loops would crawl.
struct Plan {
    int64_t in_w, in_plane, out_h, out_w, out_plane;
    const int64_t *h0, *h1, *w0, *w1;
    float divisor;
    int64_t kernel, stride, padding;

    explicit Plan(const Windows& w)
        : in_w(w.in_w),
          in_plane(w.in_plane()),
          out_h(w.out_h()),
          out_w(w.out_w()),
          out_plane(w.out_plane()),
          h0(w.h0.data()),
          h1(w.h1.data()),
          w0(w.w0.data()),
          w1(w.w1.data()),
          divisor(w.divisor),
          kernel(w.kernel),
          stride(w.stride),
          padding(w.padding) {}

    float divisor_of(int64_t i, int64_t j) const {
        return divisor > 0.0f ? divisor : static_cast<float>((h1[i] - h0[i]) * (w1[j] - w0[j]));
    }
};

// -- average pooling: a pool and its adjoint, each the other's gradient ---------

Tensor avg_pool_backward(const Tensor& g, const WindowsPtr& win);

// x (N, C, H, W) -> (N, C, Ho, Wo)
Tensor avg_pool_forward(const Tensor& x, const WindowsPtr& win) {
    const Windows& w = *win;
    Tensor out = Tensor::empty(out_shape(x.shape(), w));
    const float* px = x.data();
    float* po = out.data();
    const Plan plan(w);
    for_planes(x.size(0) * x.size(1), w.in_plane(), [&](int64_t p) {
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
    return record(w.name, out, {x}, [win](const Tensor& g, const std::vector<bool>&) {
        return std::vector<Tensor>{avg_pool_backward(g, win)};
    });
}

// g (N, C, Ho, Wo) -> (N, C, H, W): each output's share spread back over its window.
Tensor avg_pool_backward(const Tensor& g, const WindowsPtr& win) {
    const Windows& w = *win;
    Tensor gx = Tensor::zeros(in_shape(g.shape(), w));
    const float* pg = g.data();
    float* po = gx.data();
    const Plan plan(w);
    for_planes(g.size(0) * g.size(1), w.in_plane(), [&](int64_t p) {
        const Plan q = plan;
        const float* gp = pg + p * q.out_plane;
        float* xp = po + p * q.in_plane;
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
    return record("avg_pool2d_backward", gx, {g},
                  [win](const Tensor& gg, const std::vector<bool>&) {
                      return std::vector<Tensor>{avg_pool_forward(gg, win)};
                  });
}

// -- max pooling: values at fixed indices, a gather and its adjoint scatter ------

// g (N, C, Ho, Wo) -> (N, C, H, W): g added at each window's winning position.
Tensor max_pool_backward(const Tensor& g, const Tensor& indices, int64_t in_h, int64_t in_w);

// t (N, C, H, W) -> (N, C, Ho, Wo): t at the winning positions (plane-local flat indices).
Tensor max_pool_gather(const Tensor& t, const Tensor& indices) {
    const int64_t in_plane = t.size(2) * t.size(3);
    const int64_t out_plane = indices.size(2) * indices.size(3);
    Tensor out = Tensor::empty(indices.shape());
    const float* pt = t.data();
    const int64_t* pi = indices.data_i64();
    float* po = out.data();
    for_planes(t.size(0) * t.size(1), out_plane, [&](int64_t p) {
        const float* tp = pt + p * in_plane;
        for (int64_t k = p * out_plane; k < (p + 1) * out_plane; ++k) po[k] = tp[pi[k]];
    });
    return record(
        "max_pool2d_gather", out, {t},
        [indices, h = t.size(2), w = t.size(3)](const Tensor& g, const std::vector<bool>&) {
            return std::vector<Tensor>{max_pool_backward(g, indices, h, w)};
        });
}

Tensor max_pool_backward(const Tensor& g, const Tensor& indices, int64_t in_h, int64_t in_w) {
    const int64_t in_plane = in_h * in_w;
    const int64_t out_plane = g.size(2) * g.size(3);
    Tensor gx = Tensor::zeros({g.size(0), g.size(1), in_h, in_w});
    const float* pg = g.data();
    const int64_t* pi = indices.data_i64();
    float* po = gx.data();
    // One plane per task: windows overlap (stride < kernel), but only within a plane.
    for_planes(g.size(0) * g.size(1), in_plane, [&](int64_t p) {
        float* xp = po + p * in_plane;
        for (int64_t k = p * out_plane; k < (p + 1) * out_plane; ++k) xp[pi[k]] += pg[k];
    });
    return record("max_pool2d_backward", gx, {g},
                  [indices](const Tensor& gg, const std::vector<bool>&) {
                      return std::vector<Tensor>{max_pool_gather(gg, indices)};
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

// x (N, C, H, W) -> values (N, C, Ho, Wo) and their plane-local flat indices.
Tensor max_pool_forward(const Tensor& x, const Windows& w, Tensor& indices) {
    Tensor out = Tensor::empty(out_shape(x.shape(), w));
    indices = Tensor::empty(out.shape(), DType::i64);
    const float* px = x.data();
    float* po = out.data();
    int64_t* pi = indices.data_i64();
    const Plan plan(w);
    for_planes(x.size(0) * x.size(1), w.in_plane(), [&](int64_t p) {
        const Plan q = plan;
        for (int64_t i = 0; i < q.out_h; ++i) {
            const int64_t row = p * q.out_plane + i * q.out_w;
            max_pool_row(px + p * q.in_plane, q, i, po + row, pi + row);
        }
    });
    return out;
}

}  // namespace

Tensor max_pool2d(const Tensor& x, int64_t kernel, int64_t stride, int64_t padding) {
    Tensor indices;  // (N, C, Ho, Wo) int64
    return max_pool2d_with_indices(x, kernel, stride, padding, indices);
}

Tensor max_pool2d_with_indices(const Tensor& x, int64_t kernel, int64_t stride, int64_t padding,
                               Tensor& indices) {
    WindowsPtr win = sliding_windows(x, kernel, stride, padding, "max_pool2d");
    Tensor out = max_pool_forward(x, *win, indices);
    return record(
        "max_pool2d", out, {x},
        [indices, h = win->in_h, w = win->in_w](const Tensor& g, const std::vector<bool>&) {
            return std::vector<Tensor>{max_pool_backward(g, indices, h, w)};
        });
}

Tensor max_unpool2d(const Tensor& x, const Tensor& indices, int64_t out_h, int64_t out_w) {
    const char* op = "max_unpool2d";
    check_input(x, op);
    if (!indices.defined() || indices.dtype() != DType::i64 || indices.shape() != x.shape())
        throw std::invalid_argument(std::string(op) + ": indices must be int64 of the input's " +
                                    "shape " + shape_str(x.shape()));
    if (out_h <= 0 || out_w <= 0)
        throw std::invalid_argument(std::string(op) + ": output size must be positive");
    const int64_t out_plane = out_h * out_w, in_plane = x.size(2) * x.size(3);
    const int64_t* pi = indices.data_i64();
    for (int64_t k = 0; k < indices.numel(); ++k)
        if (pi[k] < 0 || pi[k] >= out_plane)
            throw std::invalid_argument(std::string(op) + ": index " + std::to_string(pi[k]) +
                                        " lies outside the output " + std::to_string(out_h) + "x" +
                                        std::to_string(out_w));
    Tensor out = Tensor::zeros({x.size(0), x.size(1), out_h, out_w});
    const float* px = x.data();
    float* po = out.data();
    for_planes(x.size(0) * x.size(1), in_plane, [&](int64_t p) {
        float* op_ = po + p * out_plane;
        for (int64_t k = p * in_plane; k < (p + 1) * in_plane; ++k) op_[pi[k]] = px[k];
    });
    return record(op, out, {x}, [indices](const Tensor& g, const std::vector<bool>&) {
        return std::vector<Tensor>{max_pool_gather(g, indices)};
    });
}

Tensor avg_pool2d(const Tensor& x, int64_t kernel, int64_t stride, int64_t padding) {
    return avg_pool_forward(x, sliding_windows(x, kernel, stride, padding, "avg_pool2d"));
}

Tensor adaptive_avg_pool2d(const Tensor& x, int64_t out_h, int64_t out_w) {
    const char* op = "adaptive_avg_pool2d";
    check_input(x, op);
    if (out_h <= 0 || out_w <= 0)
        throw std::invalid_argument(std::string(op) + ": output size (" + std::to_string(out_h) +
                                    ", " + std::to_string(out_w) + ") must be positive, input " +
                                    shape_str(x.shape()));
    auto win = std::make_shared<Windows>();
    win->name = op;
    win->in_h = x.size(2);
    win->in_w = x.size(3);
    adaptive(win->in_h, out_h, win->h0, win->h1);
    adaptive(win->in_w, out_w, win->w0, win->w1);
    win->divisor = 0.0f;
    return avg_pool_forward(x, win);
}

}  // namespace ganvas
