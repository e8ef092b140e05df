#include "backend/cpu/conv_kernels.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

#include <Eigen/Core>

#include "backend/cpu/dnnl_conv.h"
#include "backend/cpu/gemm.h"
#include "backend/cpu/scratch.h"
#include "backend/cpu/short_rows.h"
#include "backend/cpu/thread_pool.h"

namespace ganvas::cpu {
namespace {

// Slots: 0 cols, 1 a (K, N*Ho*Wo) copy of y, 2 one padded image plane,
// 3 the per-thread partial weight gradients, 4 oneDNN's weights (or their
// per-chunk gradients) in its kernel's layout.
float* scratch(int slot, int64_t n) {
    thread_local Scratch slots[5];
    return slots[slot].get(n);
}

// Output positions o in [lo, hi) whose input index o * s + off lies in [0, in).
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

// ---------------------------------------------------------------------------
// im2col and col2im, one image plane at a time.
//
// The plane is first copied into a zero-padded buffer split into sw column
// phases (padded column u * sw + b lives in phase b at column u). Every
// kernel tap then reads an output row as one contiguous run, whatever the
// stride, and no pixel loop tests bounds or divides.

struct PhasePlane {
    int64_t Hp = 0, Wq = 0;          // padded rows read; columns per phase
    int64_t rows_in = 0;             // image rows that land inside the buffer
    std::vector<Range> cols_in;      // per phase: its columns u that hold image pixels
    std::vector<int64_t> tap_start;  // per tap (i, j): where its output row 0 starts

    explicit PhasePlane(const ConvGeometry& g) {
        if (g.Ho < 1 || g.Wo < 1) return;  // nothing is read
        Hp = (g.Ho - 1) * g.sh + (g.kh - 1) * g.dh + 1;
        const int64_t Wp = (g.Wo - 1) * g.sw + (g.kw - 1) * g.dw + 1;
        Wq = (Wp + g.sw - 1) / g.sw;
        rows_in = std::clamp<int64_t>(Hp - g.ph, 0, g.H);
        for (int64_t b = 0; b < g.sw; ++b) cols_in.push_back(valid_range(g.W, Wq, g.sw, b - g.pw));
        for (int64_t i = 0; i < g.kh; ++i)
            for (int64_t j = 0; j < g.kw; ++j) {
                const int64_t c = j * g.dw;  // padded column of output column 0
                tap_start.push_back(((c % g.sw) * Hp + i * g.dh) * Wq + c / g.sw);
            }
    }
    int64_t size(const ConvGeometry& g) const { return g.sw * Hp * Wq; }
    // Where image row ih begins in phase b (its pixel iw = u * sw + b - pw at column u).
    int64_t row_start(const ConvGeometry& g, int64_t b, int64_t ih) const {
        return (b * Hp + ih + g.ph) * Wq;
    }
};

// Image row -> its phases. S is sw when it is 1 or 2 (so loops vectorise), else 0.
template <int S>
void split_row(const ConvGeometry& g, const PhasePlane& L, const float* row, int64_t ih,
               float* buf) {
    const int64_t sw = S > 0 ? S : g.sw;
    for (int64_t b = 0; b < sw; ++b) {
        const Range r = L.cols_in[b];
        float* d = buf + L.row_start(g, b, ih);
        const int64_t off = b - g.pw;  // image column of phase column 0
        for (int64_t u = r.lo; u < r.hi; ++u) d[u] = row[u * sw + off];
    }
}

// Phases -> image row, added to it.
template <int S>
void merge_row_add(const ConvGeometry& g, const PhasePlane& L, const float* buf, int64_t ih,
                   float* row) {
    const int64_t sw = S > 0 ? S : g.sw;
    for (int64_t b = 0; b < sw; ++b) {
        const Range r = L.cols_in[b];
        const float* s = buf + L.row_start(g, b, ih);
        const int64_t off = b - g.pw;
        for (int64_t u = r.lo; u < r.hi; ++u) row[u * sw + off] += s[u];
    }
}

// The kh*kw rows of cols that come from one image plane src (H, W): dst0
// points at cols[(c, 0, 0), n*Ho*Wo] and rows are `ld` apart.
template <int S>
void im2col_plane(const ConvGeometry& g, const PhasePlane& L, const float* src, float* dst0,
                  int64_t ld, float* buf) {
    std::fill(buf, buf + L.size(g), 0.0f);
    for (int64_t ih = 0; ih < L.rows_in; ++ih) split_row<S>(g, L, src + ih * g.W, ih, buf);
    const int64_t step = g.sh * L.Wq;
    for (int64_t t = 0; t < g.kh * g.kw; ++t) {
        const float* s = buf + L.tap_start[t];
        float* d = dst0 + t * ld;
        for (int64_t oh = 0; oh < g.Ho; ++oh, s += step, d += g.Wo) copy_row(d, s, g.Wo);
    }
}

// The adjoint of im2col_plane: dst (H, W) = bias + the plane's kh*kw rows of cols.
template <int S>
void col2im_plane(const ConvGeometry& g, const PhasePlane& L, const float* src0, int64_t ld,
                  float bias, float* dst, float* buf) {
    std::fill(buf, buf + L.size(g), 0.0f);
    const int64_t step = g.sh * L.Wq;
    for (int64_t t = 0; t < g.kh * g.kw; ++t) {
        float* d = buf + L.tap_start[t];
        const float* s = src0 + t * ld;
        for (int64_t oh = 0; oh < g.Ho; ++oh, d += step, s += g.Wo)
            for (int64_t ow = 0; ow < g.Wo; ++ow) d[ow] += s[ow];
    }
    std::fill(dst, dst + g.H * g.W, bias);
    for (int64_t ih = 0; ih < L.rows_in; ++ih) merge_row_add<S>(g, L, buf, ih, dst + ih * g.W);
}

// ---------------------------------------------------------------------------
// (K, N*P) <-> (N, K, P): the GEMM's layout against NCHW, only needed when N > 1.

void rows_to_nchw(int64_t N, int64_t K, int64_t P, const float* rows, const float* bias, float* y) {
    parallel_for(N * K, grain_for(P), [&](int64_t t0, int64_t t1) {
        for (int64_t t = t0; t < t1; ++t) {
            const int64_t n = t / K, k = t % K;
            const float* s = rows + k * N * P + n * P;
            float* d = y + t * P;
            const float b = bias ? bias[k] : 0.0f;
            for (int64_t p = 0; p < P; ++p) d[p] = s[p] + b;
        }
    });
}

// y (N, K, P) as a (K, N*P) matrix: y itself when N == 1, else a copy in scratch slot 1.
const float* y_rows(const ConvGeometry& g, const float* y) {
    if (g.N == 1) return y;
    const int64_t N = g.N, K = g.K, P = g.pixels();
    float* rows = scratch(1, K * N * P);
    parallel_for(N * K, grain_for(P), [&](int64_t t0, int64_t t1) {
        for (int64_t t = t0; t < t1; ++t) {
            const int64_t n = t / K, k = t % K;
            std::memcpy(rows + k * N * P + n * P, y + t * P, P * sizeof(float));
        }
    });
    return rows;
}

// ---------------------------------------------------------------------------
// The batch runs in chunks of samples. A chunk does im2col, GEMM and the
// scatter back in one thread while its cols are still in cache, and chunks
// spread over the threads. A batch too small to give every thread a chunk is
// one chunk whose steps are parallel inside (nested parallel_for runs inline).

// Cols per chunk: 2 MB. Smaller chunks stay in L2 but make thin GEMMs, which
// cost more than the cache misses they save (measured on the DCGAN layers).
constexpr int64_t kChunkFloats = 1 << 19;

int64_t chunk_samples(const ConvGeometry& g) {
    const int64_t T = num_threads();
    if (g.N <= 1 || g.N < T) return std::max<int64_t>(g.N, 1);
    const int64_t per_sample = std::max<int64_t>(1, g.rows() * g.pixels());
    const int64_t nb = std::clamp<int64_t>(kChunkFloats / per_sample, 1, g.N);
    // With threads, at least parallel_tasks' count of chunks, so that a thread
    // slowed by another process takes fewer of them (see parallel_for).
    int64_t chunks = (g.N + nb - 1) / nb;
    if (T > 1) chunks = std::max(chunks, parallel_tasks(g.N, 1));
    return (g.N + chunks - 1) / chunks;
}

// Calls fn(n0, nb) for each chunk of nb samples starting at n0, in parallel.
template <typename F>
void for_each_chunk(const ConvGeometry& g, F fn) {
    const int64_t nb = chunk_samples(g), chunks = (g.N + nb - 1) / nb;
    parallel_for(chunks, 1, [&](int64_t c0, int64_t c1) {
        for (int64_t c = c0; c < c1; ++c) fn(c * nb, std::min(nb, g.N - c * nb));
    });
}

ConvGeometry sub_batch(const ConvGeometry& g, int64_t nb) {
    ConvGeometry s = g;
    s.N = nb;
    return s;
}

void forward_chunk(const ConvGeometry& g, const float* x, const float* w, const float* bias,
                   float* y) {
    const int64_t P = g.pixels(), Q = g.N * P, R = g.rows();
    float* cols = scratch(0, R * Q);  // (C*kh*kw, N*Ho*Wo)
    im2col(g, x, cols);
    if (g.N > 1) {
        float* rows = scratch(1, g.K * Q);  // (K, N*Ho*Wo)
        gemm(false, false, g.K, Q, R, 1.0f, w, R, cols, Q, 0.0f, rows, Q);
        rows_to_nchw(g.N, g.K, P, rows, bias, y);
        return;
    }
    gemm(false, false, g.K, Q, R, 1.0f, w, R, cols, Q, 0.0f, y, Q);  // (K, Ho*Wo)
    if (bias)
        for (int64_t k = 0; k < g.K; ++k)
            for (int64_t p = 0; p < P; ++p) y[k * P + p] += bias[k];
}

void backward_data_chunk(const ConvGeometry& g, const float* y, const float* w, const float* bias,
                         float* x) {
    const int64_t Q = g.N * g.pixels(), R = g.rows();
    const float* rows = y_rows(g, y);  // (K, N*Ho*Wo)
    float* cols = scratch(0, R * Q);   // (C*kh*kw, N*Ho*Wo) = w^T rows
    gemm(true, false, R, Q, g.K, 1.0f, w, R, rows, Q, 0.0f, cols, Q);
    col2im(g, cols, bias, x);
}

// w (K, C*kh*kw) (+)= y rows (K, N*P) cols^T; beta 0 overwrites, 1 accumulates.
void backward_weight_chunk(const ConvGeometry& g, const float* x, const float* y, float beta,
                           float* w) {
    const int64_t Q = g.N * g.pixels(), R = g.rows();
    const float* rows = y_rows(g, y);
    float* cols = scratch(0, R * Q);
    im2col(g, x, cols);
    gemm(false, true, g.K, R, Q, 1.0f, rows, Q, cols, Q, beta, w, R);
}

// w (size) += each of `count` partial gradients (count, size), in order, split over the
// pool by element: the sum each element gets does not depend on the thread count.
void add_partials(float* w, const float* partials, int64_t count, int64_t size) {
    if (count <= 0) return;
    parallel_for(size, grain_for(count), [&](int64_t i0, int64_t i1) {
        for (int64_t c = 0; c < count; ++c) {
            const float* p = partials + c * size;
            for (int64_t i = i0; i < i1; ++i) w[i] += p[i];
        }
    });
}

std::atomic<ConvImplementation> g_implementation{ConvImplementation::automatic};

// oneDNN's batch chunks: the whole batch on one thread, else parallel_tasks'
// count of chunks, each run single-threaded by one of the pool's threads.
int64_t dnnl_chunk(const ConvGeometry& g) {
    const int64_t chunks = parallel_tasks(g.N, 1);
    return (g.N + chunks - 1) / chunks;
}

bool use_dnnl(const ConvGeometry& g, ConvPass pass, bool bias = false) {
    if (g_implementation.load() != ConvImplementation::automatic || g.N < 1) return false;
    // Into an image of fewer channels than a vector block (the 1-channel image
    // of a generator's last layer or a critic's input gradient), oneDNN's
    // direct kernel was 3-5x slower than col2im (bench_conv: 64->1 transposed
    // 2.7 ms against 0.5).
    if (pass == ConvPass::backward_data && g.C < 16) return false;
    const int64_t nb = dnnl_chunk(g), last = g.N - (g.N - 1) / nb * nb;
    return dnnl_conv_available(sub_batch(g, nb), pass, bias) &&
           (last == nb ||
            (dnnl_conv_available(sub_batch(g, last), pass, bias) &&
             dnnl_same_weight_layout(sub_batch(g, nb), sub_batch(g, last), pass, bias)));
}

// w (K, C, kh, kw) in the layout of the pass's kernel for g's chunks, reordered
// once on this thread for every chunk to read.
const float* dnnl_weights(const ConvGeometry& g, ConvPass pass, bool bias, const float* w) {
    const ConvGeometry chunk = sub_batch(g, dnnl_chunk(g));
    float* kw = scratch(4, dnnl_weight_floats(chunk, pass, bias));
    dnnl_weights_in(chunk, pass, bias, w, kw);
    return kw;
}

// Calls fn(n0, nb) for each of oneDNN's chunks, in parallel.
template <typename F>
void for_each_dnnl_chunk(const ConvGeometry& g, F fn) {
    const int64_t nb = dnnl_chunk(g), chunks = (g.N + nb - 1) / nb;
    parallel_for(chunks, 1, [&](int64_t c0, int64_t c1) {
        for (int64_t c = c0; c < c1; ++c) fn(c * nb, std::min(nb, g.N - c * nb));
    });
}

}  // namespace

void im2col(const ConvGeometry& g, const float* x, float* cols) {
    const PhasePlane L(g);
    const int64_t Q = g.N * g.pixels(), taps = g.kh * g.kw;
    parallel_for(g.N * g.C, grain_for(taps * g.pixels()), [&](int64_t t0, int64_t t1) {
        float* buf = scratch(2, L.size(g));
        for (int64_t t = t0; t < t1; ++t) {
            const int64_t n = t / g.C, c = t % g.C;
            const float* src = x + t * g.H * g.W;  // x[n, c]
            float* dst = cols + c * taps * Q + n * g.pixels();
            if (g.sw == 1)
                im2col_plane<1>(g, L, src, dst, Q, buf);
            else if (g.sw == 2)
                im2col_plane<2>(g, L, src, dst, Q, buf);
            else
                im2col_plane<0>(g, L, src, dst, Q, buf);
        }
    });
}

void col2im(const ConvGeometry& g, const float* cols, const float* bias, float* x) {
    const PhasePlane L(g);
    const int64_t Q = g.N * g.pixels(), taps = g.kh * g.kw;
    parallel_for(g.N * g.C, grain_for(taps * g.pixels()), [&](int64_t t0, int64_t t1) {
        float* buf = scratch(2, L.size(g));
        for (int64_t t = t0; t < t1; ++t) {
            const int64_t n = t / g.C, c = t % g.C;
            float* dst = x + t * g.H * g.W;  // x[n, c]
            const float* src = cols + c * taps * Q + n * g.pixels();
            const float b = bias ? bias[c] : 0.0f;
            if (g.sw == 1)
                col2im_plane<1>(g, L, src, Q, b, dst, buf);
            else if (g.sw == 2)
                col2im_plane<2>(g, L, src, Q, b, dst, buf);
            else
                col2im_plane<0>(g, L, src, Q, b, dst, buf);
        }
    });
}

ConvImplementation set_conv_implementation(ConvImplementation c) {
    return g_implementation.exchange(c);
}

void conv2d_forward(const ConvGeometry& g, const float* x, const float* w, const float* bias,
                    float* y) {
    const int64_t x_step = g.C * g.H * g.W, y_step = g.K * g.pixels();
    if (use_dnnl(g, ConvPass::forward, bias != nullptr)) {
        const float* kw = dnnl_weights(g, ConvPass::forward, bias != nullptr, w);
        for_each_dnnl_chunk(g, [&](int64_t n0, int64_t nb) {
            dnnl_conv2d_forward(sub_batch(g, nb), x + n0 * x_step, kw, bias, y + n0 * y_step);
        });
        return;
    }
    for_each_chunk(g, [&](int64_t n0, int64_t nb) {
        forward_chunk(sub_batch(g, nb), x + n0 * x_step, w, bias, y + n0 * y_step);
    });
}

void conv2d_backward_data(const ConvGeometry& g, const float* y, const float* w, const float* bias,
                          float* x) {
    const int64_t x_step = g.C * g.H * g.W, y_step = g.K * g.pixels();
    if (use_dnnl(g, ConvPass::backward_data)) {
        const int64_t plane = g.H * g.W;
        const float* kw = dnnl_weights(g, ConvPass::backward_data, false, w);
        for_each_dnnl_chunk(g, [&](int64_t n0, int64_t nb) {
            float* xc = x + n0 * x_step;
            dnnl_conv2d_backward_data(sub_batch(g, nb), y + n0 * y_step, kw, xc);
            if (bias)
                for (int64_t t = 0; t < nb * g.C; ++t) {
                    const float b = bias[t % g.C];
                    for (float *p = xc + t * plane, *e = p + plane; p < e; ++p) *p += b;
                }
        });
        return;
    }
    for_each_chunk(g, [&](int64_t n0, int64_t nb) {
        backward_data_chunk(sub_batch(g, nb), y + n0 * y_step, w, bias, x + n0 * x_step);
    });
}

void conv2d_backward_weight(const ConvGeometry& g, const float* x, const float* y, float* w) {
    const int64_t x_step = g.C * g.H * g.W, y_step = g.K * g.pixels(), size = g.K * g.rows();
    if (use_dnnl(g, ConvPass::backward_weight)) {
        // One partial gradient a chunk, in the kernel's layout, added in order
        // into the first and reordered into w once.
        const int64_t nb = dnnl_chunk(g), chunks = (g.N + nb - 1) / nb;
        const ConvGeometry chunk = sub_batch(g, nb);
        const int64_t floats = dnnl_weight_floats(chunk, ConvPass::backward_weight);
        float* partials = scratch(4, chunks * floats);
        for_each_dnnl_chunk(g, [&](int64_t n0, int64_t n) {
            dnnl_conv2d_backward_weight(sub_batch(g, n), x + n0 * x_step, y + n0 * y_step,
                                        partials + n0 / nb * floats);
        });
        add_partials(partials, partials + floats, chunks - 1, floats);
        dnnl_weights_out(chunk, partials, w);
        return;
    }
    const int64_t nb = chunk_samples(g), chunks = (g.N + nb - 1) / nb;
    if (chunks <= 1) {  // one chunk, parallel inside (or an empty batch: zeros)
        backward_weight_chunk(g, x, y, 0.0f, w);
        return;
    }
    // Each task sums its share of the chunks into its own partial gradient
    // (task 0 straight into w); the partials are added at the end.
    const int64_t tasks = parallel_tasks(chunks, 1);
    float* partials = tasks > 1 ? scratch(3, (tasks - 1) * size) : nullptr;
    parallel_for(tasks, 1, [&](int64_t t0, int64_t t1) {
        for (int64_t t = t0; t < t1; ++t) {
            float* acc = t == 0 ? w : partials + (t - 1) * size;
            for (int64_t c = chunks * t / tasks, end = chunks * (t + 1) / tasks; c < end; ++c) {
                const int64_t n0 = c * nb, first = chunks * t / tasks;
                backward_weight_chunk(sub_batch(g, std::min(nb, g.N - n0)), x + n0 * x_step,
                                      y + n0 * y_step, c == first ? 0.0f : 1.0f, acc);
            }
        }
    });
    add_partials(w, partials, tasks - 1, size);
}

void sum_channels(int64_t N, int64_t K, int64_t pixels, const float* y, float* b) {
    using Vec = Eigen::Map<const Eigen::VectorXf>;
    parallel_for(K, grain_for(N * pixels), [&](int64_t k0, int64_t k1) {
        for (int64_t k = k0; k < k1; ++k) {
            double acc = 0.0;  // double across the batch; Eigen's vectorised sum within a plane
            for (int64_t n = 0; n < N; ++n) acc += Vec(y + (n * K + k) * pixels, pixels).sum();
            b[k] = static_cast<float>(acc);
        }
    });
}

}  // namespace ganvas::cpu
