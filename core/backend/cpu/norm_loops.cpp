#include "backend/cpu/norm_loops.h"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <vector>

#include "backend/cpu/thread_pool.h"

namespace ganvas::cpu {
namespace {

// Elements one thread should have before a kernel is worth splitting.
constexpr int64_t kWork = 1 << 14;
// Channels handled together when S == 1, so N rows of them stay in L2 between passes.
constexpr int64_t kColumnBlock = 256;

// -- row sums ---------------------------------------------------------------
// Eigen's vectorized sums in float over blocks of a row, added up in double:
// a block is short enough that its float sum is exact to a few ulps, and long
// rows and many rows then accumulate without drift. (Hand-written lane loops
// were 8x slower: GCC does not vectorize them well without -ffast-math.)
constexpr int64_t kBlock = 512;

using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf>;

// s1 += sum(p - k), s2 += sum((p - k)^2). The shift k (any value near the mean,
// e.g. the first element) keeps the one-pass variance s2/n - (s1/n)^2 free of
// cancellation when the mean is large against the spread.
inline void add_moments(const float* p, int64_t n, float k, double& s1, double& s2) {
    for (int64_t b = 0; b < n; b += kBlock) {
        auto d = ConstArrayMap(p + b, std::min(n - b, kBlock)) - k;
        s1 += d.sum();
        s2 += d.square().sum();
    }
}

inline double row_sum(const float* p, int64_t n) {
    double total = 0.0;
    for (int64_t b = 0; b < n; b += kBlock)
        total += ConstArrayMap(p + b, std::min(n - b, kBlock)).sum();
    return total;
}

// s1 += sum(g), s2 += sum(g * (x - m)): the two sums of a normalization's backward.
inline void add_grad_sums(const float* g, const float* x, int64_t n, float m, double& s1,
                          double& s2) {
    for (int64_t b = 0; b < n; b += kBlock) {
        const int64_t len = std::min(n - b, kBlock);
        ConstArrayMap gb(g + b, len);
        s1 += gb.sum();
        s2 += (gb * (ConstArrayMap(x + b, len) - m)).sum();
    }
}

// Runs fn(c0, c1) over channel blocks: whole channels when each has a row of
// S > 1 values, blocks of kColumnBlock channels when S == 1 (then a channel's
// values are a column of an (N, C) matrix and the block is walked row by row).
template <typename F>
void for_channel_blocks(const NCS& d, F fn) {
    if (d.s != 1) {  // S == 0 (an empty spatial extent) takes this path too: empty rows
        cpu::parallel_for(d.c, std::max<int64_t>(1, kWork / std::max<int64_t>(1, d.count())),
                          [&](int64_t c0, int64_t c1) {
                              for (int64_t c = c0; c < c1; ++c) fn(c, c + 1);
                          });
    } else {
        cpu::parallel_for(d.c, std::max<int64_t>(16, kWork / std::max<int64_t>(1, d.n)),
                          [&](int64_t c0, int64_t c1) {
                              for (int64_t b = c0; b < c1; b += kColumnBlock)
                                  fn(b, std::min(c1, b + kColumnBlock));
                          });
    }
}

// Runs fn(offset, c0, c1) over an (N, C, S) tensor split between threads:
// for S > 1 once per row of S values at `offset` (channel c0, c1 == c0 + 1);
// for S == 1 once per stretch of channels [c0, c1) of one sample, so the
// inner loop runs along contiguous memory either way and no modulo is taken
// per element.
template <typename F>
void for_each_row(const NCS& d, F fn) {
    if (d.s == 1) {
        cpu::parallel_for(d.n, std::max<int64_t>(1, kWork / std::max<int64_t>(1, d.c)),
                          [&](int64_t n0, int64_t n1) {
                              for (int64_t n = n0; n < n1; ++n) fn(n * d.c, 0, d.c);
                          });
        return;
    }
    const int64_t grain = std::max<int64_t>(1, kWork / std::max<int64_t>(1, d.s));
    cpu::parallel_for(d.n * d.c, grain, [&](int64_t r0, int64_t r1) {
        int64_t c = r0 % d.c;
        for (int64_t r = r0; r < r1; ++r) {
            fn(r * d.s, c, c + 1);
            if (++c == d.c) c = 0;
        }
    });
}

struct ChannelStats {
    float mean, invstd;
};

// Batch statistics of one channel from its shifted sums; updates the running
// buffers as torch does (unbiased variance for running_var).
ChannelStats finish_channel(double s1, double s2, float k, double count, float* rm, float* rv,
                            float momentum, float eps) {
    const double mu_off = s1 / count;
    const double mean = k + mu_off;
    const double var = std::max(0.0, s2 / count - mu_off * mu_off);  // biased
    if (rm) *rm = (1.0f - momentum) * *rm + momentum * static_cast<float>(mean);
    if (rv)
        *rv = (1.0f - momentum) * *rv + momentum * static_cast<float>(var * count / (count - 1.0));
    return {static_cast<float>(mean), static_cast<float>(1.0 / std::sqrt(var + eps))};
}

}  // namespace

// -- per-channel primitives ---------------------------------------------------

void channel_affine(const NCS& d, const float* px, const float* scale, const float* shift,
                    float* po) {
    // Materialized so the inner loops carry no "is it defined" branches.
    std::vector<float> a(d.c, 1.0f), b(d.c, 0.0f);
    if (scale) std::copy_n(scale, d.c, a.data());
    if (shift) std::copy_n(shift, d.c, b.data());
    for_each_row(d, [&](int64_t off, int64_t c0, int64_t c1) {
        if (d.s == 1) {
            for (int64_t c = c0; c < c1; ++c) po[off + c - c0] = px[off + c - c0] * a[c] + b[c];
        } else {
            for (int64_t i = 0; i < d.s; ++i) po[off + i] = px[off + i] * a[c0] + b[c0];
        }
    });
}

void channel_sum(const NCS& d, const float* p, float* po) {
    for_channel_blocks(d, [&](int64_t c0, int64_t c1) {
        double acc[kColumnBlock] = {};
        for (int64_t n = 0; n < d.n; ++n) {
            if (d.s == 1) {  // a stretch of one row of an (N, C) matrix
                const float* row = p + n * d.c;
                for (int64_t c = c0; c < c1; ++c) acc[c - c0] += row[c];
            } else {
                acc[0] += row_sum(p + (n * d.c + c0) * d.s, d.s);  // c1 == c0 + 1
            }
        }
        for (int64_t c = c0; c < c1; ++c) po[c] = static_cast<float>(acc[c - c0]);
    });
}

void channel_broadcast(const NCS& d, const float* pv, float* po) {
    for_each_row(d, [&](int64_t off, int64_t c0, int64_t c1) {
        if (d.s == 1)
            std::copy(pv + c0, pv + c1, po + off);
        else
            std::fill_n(po + off, d.s, pv[c0]);
    });
}

// -- batch norm, training mode ------------------------------------------------

// y = (x - mean) * invstd * w + b with the batch's statistics, written as
// x * scale + shift per channel.
void batch_norm_forward(const NCS& d, const float* px, const float* w, const float* b, float* rm,
                        float* rv, float momentum, float eps, float* py, float* pm, float* pi) {
    const double count = static_cast<double>(d.count());
    for_channel_blocks(d, [&](int64_t c0, int64_t c1) {
        if (d.s > 1) {  // c1 == c0 + 1: the channel is N contiguous rows of S
            const int64_t c = c0;
            const float k = px[c * d.s];
            double s1 = 0.0, s2 = 0.0;
            for (int64_t n = 0; n < d.n; ++n) add_moments(px + (n * d.c + c) * d.s, d.s, k, s1, s2);
            ChannelStats st = finish_channel(s1, s2, k, count, rm ? rm + c : nullptr,
                                             rv ? rv + c : nullptr, momentum, eps);
            pm[c] = st.mean;
            pi[c] = st.invstd;
            const float scale = (w ? w[c] : 1.0f) * st.invstd;
            const float shift = (b ? b[c] : 0.0f) - st.mean * scale;
            for (int64_t n = 0; n < d.n; ++n) {
                const float* xi = px + (n * d.c + c) * d.s;
                float* yo = py + (n * d.c + c) * d.s;
                for (int64_t i = 0; i < d.s; ++i) yo[i] = xi[i] * scale + shift;
            }
            return;
        }
        // S == 1: the block is a (N, c1 - c0) slab of an (N, C) matrix; walk it by rows.
        const int64_t width = c1 - c0;
        double s1[kColumnBlock] = {}, s2[kColumnBlock] = {};
        float k[kColumnBlock], scale[kColumnBlock], shift[kColumnBlock];
        for (int64_t j = 0; j < width; ++j) k[j] = px[c0 + j];
        for (int64_t n = 0; n < d.n; ++n) {
            const float* xr = px + n * d.c + c0;
            for (int64_t j = 0; j < width; ++j) {
                const double v = static_cast<double>(xr[j]) - k[j];
                s1[j] += v;
                s2[j] += v * v;
            }
        }
        for (int64_t j = 0; j < width; ++j) {
            const int64_t c = c0 + j;
            ChannelStats st = finish_channel(s1[j], s2[j], k[j], count, rm ? rm + c : nullptr,
                                             rv ? rv + c : nullptr, momentum, eps);
            pm[c] = st.mean;
            pi[c] = st.invstd;
            scale[j] = (w ? w[c] : 1.0f) * st.invstd;
            shift[j] = (b ? b[c] : 0.0f) - st.mean * scale[j];
        }
        for (int64_t n = 0; n < d.n; ++n) {
            const float* xr = px + n * d.c + c0;
            float* yr = py + n * d.c + c0;
            for (int64_t j = 0; j < width; ++j) yr[j] = xr[j] * scale[j] + shift[j];
        }
    });
}

// The classic fused backward: with xhat = (x - mean) * invstd,
//   gx = w * invstd * (g - sum(g) / n - xhat * sum(g * xhat) / n),
//   gw = sum(g * xhat), gb = sum(g)   (sums per channel over N and S).
// One pass for the sums, one to write gx, each channel's data hot between them.
void batch_norm_backward(const NCS& d, const float* pg, const float* px, const float* w,
                         const float* pm, const float* pi, float* pgx, float* pgw, float* pgb) {
    const double count = static_cast<double>(d.count());
    // gx = a * g + b * (x - mean) + c per channel, from the channel's two sums.
    struct Coef {
        float a, b, c;
    };
    auto coef = [&](int64_t c, double sg, double sgx) {
        const double inv = pi[c];
        if (pgw) pgw[c] = static_cast<float>(sgx * inv);
        if (pgb) pgb[c] = static_cast<float>(sg);
        const double a = (w ? w[c] : 1.0) * inv;
        return Coef{static_cast<float>(a), static_cast<float>(-a * inv * inv * sgx / count),
                    static_cast<float>(-a * sg / count)};
    };
    for_channel_blocks(d, [&](int64_t c0, int64_t c1) {
        if (d.s > 1) {
            const int64_t c = c0;
            double sg = 0.0, sgx = 0.0;
            for (int64_t n = 0; n < d.n; ++n) {
                const int64_t off = (n * d.c + c) * d.s;
                add_grad_sums(pg + off, px + off, d.s, pm[c], sg, sgx);
            }
            const Coef k = coef(c, sg, sgx);
            if (!pgx) return;
            const float m = pm[c];
            for (int64_t n = 0; n < d.n; ++n) {
                const int64_t off = (n * d.c + c) * d.s;
                for (int64_t i = 0; i < d.s; ++i)
                    pgx[off + i] = k.a * pg[off + i] + k.b * (px[off + i] - m) + k.c;
            }
            return;
        }
        const int64_t width = c1 - c0;
        double sg[kColumnBlock] = {}, sgx[kColumnBlock] = {};
        for (int64_t n = 0; n < d.n; ++n) {
            const float* gr = pg + n * d.c + c0;
            const float* xr = px + n * d.c + c0;
            const float* mr = pm + c0;
            for (int64_t j = 0; j < width; ++j) {
                sg[j] += gr[j];
                sgx[j] += static_cast<double>(gr[j]) * (xr[j] - mr[j]);
            }
        }
        float ka[kColumnBlock], kb[kColumnBlock], kc[kColumnBlock];
        for (int64_t j = 0; j < width; ++j) {
            const Coef k = coef(c0 + j, sg[j], sgx[j]);
            ka[j] = k.a;
            kb[j] = k.b;
            kc[j] = k.c;
        }
        if (!pgx) return;
        for (int64_t n = 0; n < d.n; ++n) {
            const float* gr = pg + n * d.c + c0;
            const float* xr = px + n * d.c + c0;
            const float* mr = pm + c0;
            float* out = pgx + n * d.c + c0;
            for (int64_t j = 0; j < width; ++j)
                out[j] = ka[j] * gr[j] + kb[j] * (xr[j] - mr[j]) + kc[j];
        }
    });
}

// -- layer norm ---------------------------------------------------------------

void layer_norm_forward(int64_t rows, int64_t cols, const float* px, const float* w, const float* b,
                        float eps, float* py, float* pm, float* pr) {
    cpu::parallel_for(rows, std::max<int64_t>(1, kWork / std::max<int64_t>(1, cols)),
                      [&](int64_t r0, int64_t r1) {
                          for (int64_t r = r0; r < r1; ++r) {
                              const float* xi = px + r * cols;
                              float* yo = py + r * cols;
                              double s1 = 0.0, s2 = 0.0;
                              add_moments(xi, cols, xi[0], s1, s2);
                              const double off = s1 / cols;
                              const double var = std::max(0.0, s2 / cols - off * off);
                              const float m = static_cast<float>(xi[0] + off);
                              const float is = static_cast<float>(1.0 / std::sqrt(var + eps));
                              pm[r] = m;
                              pr[r] = is;
                              if (w && b)
                                  for (int64_t j = 0; j < cols; ++j)
                                      yo[j] = (xi[j] - m) * is * w[j] + b[j];
                              else
                                  for (int64_t j = 0; j < cols; ++j)
                                      yo[j] = ((xi[j] - m) * is) * (w ? w[j] : 1.0f) +
                                              (b ? b[j] : 0.0f);
                          }
                      });
}

// Per row, with xhat = (x - mean) * rstd and gh = g * w:
//   gx = rstd * (gh - mean(gh) - xhat * mean(gh * xhat));
// gw = sum over rows of g * xhat and gb = sum of g, in per-thread partials.
void layer_norm_backward(int64_t rows, int64_t cols, const float* pg, const float* px,
                         const float* w, const float* pm, const float* pr, float* pgx, float* gw,
                         float* gb) {
    const bool want_wb = gw || gb;
    const int64_t grain = std::max<int64_t>(1, kWork / std::max<int64_t>(1, cols));
    const int64_t blocks = cpu::parallel_tasks(rows, grain);
    // Per-block partial sums of gw and gb: (blocks, D) each, added up after.
    std::vector<double> part_w(want_wb ? blocks * cols : 0, 0.0),
        part_b(want_wb ? blocks * cols : 0, 0.0);
    cpu::parallel_for(blocks, 1, [&](int64_t b0, int64_t b1) {
        // Aligned like tensor storage: Eigen's sums add the values before the first
        // aligned address apart, so a row wherever malloc put it would round with the heap.
        std::vector<float, Eigen::aligned_allocator<float>> gh(cols);
        // The block's sums in this thread's own arrays, copied out once: two threads
        // adding into neighbouring blocks of part_w row after row share cache lines.
        std::vector<double> own_w(want_wb ? cols : 0), own_b(want_wb ? cols : 0);
        double* __restrict acc_w = own_w.data();
        double* __restrict acc_b = own_b.data();
        for (int64_t blk = b0; blk < b1; ++blk) {
            std::fill(own_w.begin(), own_w.end(), 0.0);
            std::fill(own_b.begin(), own_b.end(), 0.0);
            for (int64_t r = rows * blk / blocks, re = rows * (blk + 1) / blocks; r < re; ++r) {
                const float* gi = pg + r * cols;
                const float* xi = px + r * cols;
                const float m = pm[r], is = pr[r];
                if (want_wb)
                    for (int64_t j = 0; j < cols; ++j) {
                        acc_w[j] += gi[j] * ((xi[j] - m) * is);
                        acc_b[j] += gi[j];
                    }
                if (!pgx) continue;
                for (int64_t j = 0; j < cols; ++j) gh[j] = w ? gi[j] * w[j] : gi[j];
                double s1 = 0.0, s2 = 0.0;
                add_grad_sums(gh.data(), xi, cols, m, s1, s2);
                const float m1 = static_cast<float>(s1 / cols);
                const float m2 = static_cast<float>(s2 * is / cols);  // mean(gh * xhat)
                float* out = pgx + r * cols;
                for (int64_t j = 0; j < cols; ++j)
                    out[j] = is * (gh[j] - m1 - (xi[j] - m) * is * m2);
            }
            if (want_wb) {
                std::copy(own_w.begin(), own_w.end(), part_w.begin() + blk * cols);
                std::copy(own_b.begin(), own_b.end(), part_b.begin() + blk * cols);
            }
        }
    });
    if (!want_wb) return;
    for (int64_t j = 0; j < cols; ++j) {
        double tw = 0.0, tb = 0.0;
        for (int64_t blk = 0; blk < blocks; ++blk) {
            tw += part_w[blk * cols + j];
            tb += part_b[blk * cols + j];
        }
        if (gw) gw[j] = static_cast<float>(tw);
        if (gb) gb[j] = static_cast<float>(tb);
    }
}

}  // namespace ganvas::cpu
