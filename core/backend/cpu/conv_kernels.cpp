#include "backend/cpu/conv_kernels.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

#include "backend/cpu/gemm.h"
#include "backend/cpu/thread_pool.h"

namespace ganvas::cpu {
namespace {

// Per-thread scratch that grows and stays: a model's convolutions run with the
// same shapes every step, so after the first step no call allocates.
class Scratch {
public:
    float* get(int64_t n) {
        if (n > capacity_) {
            const size_t bytes = (static_cast<size_t>(n) * sizeof(float) + 63) / 64 * 64;
            data_.reset(static_cast<float*>(std::aligned_alloc(64, bytes)));
            if (!data_) throw std::bad_alloc();
            capacity_ = n;
        }
        return data_.get();
    }

private:
    struct Free {
        void operator()(float* p) const { std::free(p); }
    };
    std::unique_ptr<float, Free> data_;
    int64_t capacity_ = 0;
};

// Slot 0 holds cols, slot 1 a (K, N*Ho*Wo) copy of y.
float* scratch(int slot, int64_t n) {
    thread_local Scratch slots[2];
    return slots[slot].get(n);
}

// Output positions o in [lo, hi) whose input index o * s + off lies in [0, in).
// Worked out once per kernel tap so the pixel loops carry no bounds tests.
struct Range {
    int64_t lo, hi;
};

Range valid_range(int64_t in, int64_t out, int64_t s, int64_t off) {
    int64_t lo = off >= 0 ? 0 : (-off + s - 1) / s;
    int64_t hi = in - 1 - off < 0 ? 0 : (in - 1 - off) / s + 1;
    lo = std::min(lo, out);
    hi = std::max(lo, std::min(hi, out));
    return {lo, hi};
}

// Items per parallel task worth a thread hand-off: tiny test shapes run inline.
int64_t grain_for(int64_t work_per_item) {
    return std::max<int64_t>(1, 8192 / std::max<int64_t>(1, work_per_item));
}

// d[t] = s[t * S] for t < n; the stride is a template argument for the common
// strides 1 and 2 so the compiler vectorises the gather.
template <int S>
inline void gather_row(const float* s, int64_t stride, int64_t n, float* d) {
    const int64_t st = S > 0 ? S : stride;
    for (int64_t t = 0; t < n; ++t) d[t] = s[t * st];
}

template <int S>
inline void scatter_add_row(const float* s, int64_t stride, int64_t n, float* d) {
    const int64_t st = S > 0 ? S : stride;
    for (int64_t t = 0; t < n; ++t) d[t * st] += s[t];
}

// The kh*kw rows of cols that come from one image plane: dst0 points at
// cols[(c, 0, 0), n*Ho*Wo], rows are `ld` apart.
template <int S>
void im2col_plane(const ConvGeometry& g, const float* src, float* dst0, int64_t ld) {
    const int64_t P = g.pixels();
    for (int64_t i = 0; i < g.kh; ++i) {
        const int64_t off_h = i * g.dh - g.ph;
        const Range rh = valid_range(g.H, g.Ho, g.sh, off_h);
        for (int64_t j = 0; j < g.kw; ++j) {
            const int64_t off_w = j * g.dw - g.pw;
            const Range rw = valid_range(g.W, g.Wo, g.sw, off_w);
            float* dst = dst0 + (i * g.kw + j) * ld;
            std::fill(dst, dst + rh.lo * g.Wo, 0.0f);
            for (int64_t oh = rh.lo; oh < rh.hi; ++oh) {
                float* d = dst + oh * g.Wo;
                const float* s = src + (oh * g.sh + off_h) * g.W + rw.lo * g.sw + off_w;
                std::fill(d, d + rw.lo, 0.0f);
                gather_row<S>(s, g.sw, rw.hi - rw.lo, d + rw.lo);
                std::fill(d + rw.hi, d + g.Wo, 0.0f);
            }
            std::fill(dst + rh.hi * g.Wo, dst + P, 0.0f);
        }
    }
}

// The adjoint of im2col_plane: adds the plane's kh*kw rows of cols into it.
template <int S>
void col2im_plane(const ConvGeometry& g, const float* src0, int64_t ld, float* dst) {
    for (int64_t i = 0; i < g.kh; ++i) {
        const int64_t off_h = i * g.dh - g.ph;
        const Range rh = valid_range(g.H, g.Ho, g.sh, off_h);
        for (int64_t j = 0; j < g.kw; ++j) {
            const int64_t off_w = j * g.dw - g.pw;
            const Range rw = valid_range(g.W, g.Wo, g.sw, off_w);
            const float* src = src0 + (i * g.kw + j) * ld;
            for (int64_t oh = rh.lo; oh < rh.hi; ++oh) {
                float* d = dst + (oh * g.sh + off_h) * g.W + rw.lo * g.sw + off_w;
                scatter_add_row<S>(src + oh * g.Wo + rw.lo, g.sw, rw.hi - rw.lo, d);
            }
        }
    }
}

// (K, N*P) <-> (N, K, P): the GEMM's layout against NCHW. Skipped when N == 1.
void rows_to_nchw(int64_t N, int64_t K, int64_t P, const float* rows, const float* bias,
                  float* y) {
    parallel_for(N * K, grain_for(P), [&](int64_t t0, int64_t t1) {
        for (int64_t t = t0; t < t1; ++t) {
            const int64_t n = t / K, k = t % K;
            const float* s = rows + k * N * P + n * P;
            float* d = y + t * P;
            if (bias) {
                const float b = bias[k];
                for (int64_t p = 0; p < P; ++p) d[p] = s[p] + b;
            } else {
                std::memcpy(d, s, P * sizeof(float));
            }
        }
    });
}

void nchw_to_rows(int64_t N, int64_t K, int64_t P, const float* y, float* rows) {
    parallel_for(N * K, grain_for(P), [&](int64_t t0, int64_t t1) {
        for (int64_t t = t0; t < t1; ++t) {
            const int64_t n = t / K, k = t % K;
            std::memcpy(rows + k * N * P + n * P, y + t * P, P * sizeof(float));
        }
    });
}

// y (N, K, P) as a (K, N*P) matrix: y itself when N == 1, else a copy in scratch slot 1.
const float* y_rows(const ConvGeometry& g, const float* y) {
    if (g.N == 1) return y;
    float* rows = scratch(1, g.K * g.N * g.pixels());
    nchw_to_rows(g.N, g.K, g.pixels(), y, rows);
    return rows;
}

}  // namespace

void im2col(const ConvGeometry& g, const float* x, float* cols) {
    const int64_t Q = g.N * g.pixels(), taps = g.kh * g.kw;
    parallel_for(g.N * g.C, grain_for(taps * g.pixels()), [&](int64_t t0, int64_t t1) {
        for (int64_t t = t0; t < t1; ++t) {
            const int64_t n = t / g.C, c = t % g.C;
            const float* src = x + t * g.H * g.W;  // x[n, c]
            float* dst = cols + c * taps * Q + n * g.pixels();
            if (g.sw == 1) im2col_plane<1>(g, src, dst, Q);
            else if (g.sw == 2) im2col_plane<2>(g, src, dst, Q);
            else im2col_plane<0>(g, src, dst, Q);
        }
    });
}

void col2im(const ConvGeometry& g, const float* cols, const float* bias, float* x) {
    const int64_t Q = g.N * g.pixels(), taps = g.kh * g.kw, plane = g.H * g.W;
    parallel_for(g.N * g.C, grain_for(taps * g.pixels()), [&](int64_t t0, int64_t t1) {
        for (int64_t t = t0; t < t1; ++t) {
            const int64_t n = t / g.C, c = t % g.C;
            float* dst = x + t * plane;  // x[n, c]
            std::fill(dst, dst + plane, bias ? bias[c] : 0.0f);
            const float* src = cols + c * taps * Q + n * g.pixels();
            if (g.sw == 1) col2im_plane<1>(g, src, Q, dst);
            else if (g.sw == 2) col2im_plane<2>(g, src, Q, dst);
            else col2im_plane<0>(g, src, Q, dst);
        }
    });
}

void conv2d_forward(const ConvGeometry& g, const float* x, const float* w, const float* bias,
                    float* y) {
    const int64_t P = g.pixels(), Q = g.N * P, R = g.rows();
    float* cols = scratch(0, R * Q);  // (C*kh*kw, N*Ho*Wo)
    im2col(g, x, cols);
    if (g.N == 1) {
        gemm(false, false, g.K, Q, R, 1.0f, w, R, cols, Q, 0.0f, y, Q);  // (K, Ho*Wo)
        if (bias)
            for (int64_t k = 0; k < g.K; ++k)
                for (int64_t p = 0; p < P; ++p) y[k * P + p] += bias[k];
        return;
    }
    float* rows = scratch(1, g.K * Q);  // (K, N*Ho*Wo)
    gemm(false, false, g.K, Q, R, 1.0f, w, R, cols, Q, 0.0f, rows, Q);
    rows_to_nchw(g.N, g.K, P, rows, bias, y);
}

void conv2d_backward_data(const ConvGeometry& g, const float* y, const float* w,
                          const float* bias, float* x) {
    const int64_t Q = g.N * g.pixels(), R = g.rows();
    const float* rows = y_rows(g, y);  // (K, N*Ho*Wo)
    float* cols = scratch(0, R * Q);   // (C*kh*kw, N*Ho*Wo) = w^T rows
    gemm(true, false, R, Q, g.K, 1.0f, w, R, rows, Q, 0.0f, cols, Q);
    col2im(g, cols, bias, x);
}

void conv2d_backward_weight(const ConvGeometry& g, const float* x, const float* y, float* w) {
    const int64_t Q = g.N * g.pixels(), R = g.rows();
    const float* rows = y_rows(g, y);  // (K, N*Ho*Wo)
    float* cols = scratch(0, R * Q);   // (C*kh*kw, N*Ho*Wo)
    im2col(g, x, cols);
    gemm(false, true, g.K, R, Q, 1.0f, rows, Q, cols, Q, 0.0f, w, R);  // (K, C*kh*kw)
}

void sum_channels(int64_t N, int64_t K, int64_t pixels, const float* y, float* b) {
    parallel_for(K, grain_for(N * pixels), [&](int64_t k0, int64_t k1) {
        for (int64_t k = k0; k < k1; ++k) {
            double acc = 0.0;  // double: a batch of images sums many terms
            for (int64_t n = 0; n < N; ++n) {
                const float* p = y + (n * K + k) * pixels;
                float part = 0.0f;
                for (int64_t i = 0; i < pixels; ++i) part += p[i];
                acc += part;
            }
            b[k] = static_cast<float>(acc);
        }
    });
}

}  // namespace ganvas::cpu
