#include "ops/norm.h"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
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
// Channels handled together when S == 1, so N rows of them stay in L2 between passes.
constexpr int64_t kColumnBlock = 256;

// An (N, C, ...) tensor seen as (N, C, S), S the product of the trailing dims.
struct NCS {
    int64_t n, c, s;
    int64_t count() const { return n * s; }  // values per channel
};

NCS ncs_of(const Tensor& x) {
    return {x.size(0), x.size(1), x.numel() / std::max<int64_t>(1, x.size(0) * x.size(1))};
}

const float* ptr_or_null(const Tensor& t) {
    return t.defined() ? t.data() : nullptr;
}

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

// -- differentiable per-channel primitives ------------------------------------
// Fused kernels closed under autograd (each one's gradient is built from the
// three), so the create_graph paths of batch norm stay fast and second order.

Tensor channel_sum(const Tensor& t);
Tensor channel_broadcast(const Tensor& v, const Shape& shape);

// x * scale[c] + shift[c] over (N, C, ...); scale, shift (C) or undefined (1, 0).
Tensor channel_affine(const Tensor& x, const Tensor& scale, const Tensor& shift) {
    const NCS d = ncs_of(x);
    Tensor out = Tensor::empty(x.shape());
    // Materialized so the inner loops carry no "is it defined" branches.
    std::vector<float> a(d.c, 1.0f), b(d.c, 0.0f);
    if (scale.defined()) std::copy_n(scale.data(), d.c, a.data());
    if (shift.defined()) std::copy_n(shift.data(), d.c, b.data());
    const float* px = x.data();
    float* po = out.data();
    for_each_row(d, [&](int64_t off, int64_t c0, int64_t c1) {
        if (d.s == 1) {
            for (int64_t c = c0; c < c1; ++c) po[off + c - c0] = px[off + c - c0] * a[c] + b[c];
        } else {
            for (int64_t i = 0; i < d.s; ++i) po[off + i] = px[off + i] * a[c0] + b[c0];
        }
    });
    return record("channel_affine", out, {x, scale, shift},
                  [x, scale](const Tensor& g, const std::vector<bool>& need) {
                      Tensor gx = need[0] ? channel_affine(g, scale, Tensor()) : Tensor();
                      Tensor gs = need[1] ? channel_sum(mul(g, x)) : Tensor();
                      Tensor gb = need[2] ? channel_sum(g) : Tensor();
                      return std::vector<Tensor>{gx, gs, gb};
                  });
}

// (N, C, ...) -> (C): the sum over every dimension but the channel one.
Tensor channel_sum(const Tensor& t) {
    const NCS d = ncs_of(t);
    Tensor out = Tensor::empty({d.c});
    const float* p = t.data();
    float* po = out.data();
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
    return record("channel_sum", out, {t},
                  [shape = t.shape()](const Tensor& g, const std::vector<bool>&) {
                      return std::vector<Tensor>{channel_broadcast(g, shape)};
                  });
}

// (C) -> shape (N, C, ...): v[c] repeated over every other dimension.
Tensor channel_broadcast(const Tensor& v, const Shape& shape) {
    Tensor out = Tensor::empty(shape);
    const NCS d = ncs_of(out);
    const float* pv = v.data();
    float* po = out.data();
    for_each_row(d, [&](int64_t off, int64_t c0, int64_t c1) {
        if (d.s == 1)
            std::copy(pv + c0, pv + c1, po + off);
        else
            std::fill_n(po + off, d.s, pv[c0]);
    });
    return record("channel_broadcast", out, {v}, [](const Tensor& g, const std::vector<bool>&) {
        return std::vector<Tensor>{channel_sum(g)};
    });
}

// -- batch norm, training mode ------------------------------------------------

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

// y = (x - mean) * invstd * w + b with the batch's statistics, written as
// x * scale + shift per channel. Fills mean, invstd (C) for the backward pass.
Tensor bn_train_forward(const Tensor& x, const float* w, const float* b, float* rm, float* rv,
                        float momentum, float eps, Tensor& mean, Tensor& invstd) {
    const NCS d = ncs_of(x);
    Tensor y = Tensor::empty(x.shape());
    mean = Tensor::empty({d.c});
    invstd = Tensor::empty({d.c});
    const float* px = x.data();
    float* py = y.data();
    float* pm = mean.data();
    float* pi = invstd.data();
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
    return y;
}

// The classic fused backward: with xhat = (x - mean) * invstd,
//   gx = w * invstd * (g - sum(g) / n - xhat * sum(g * xhat) / n),
//   gw = sum(g * xhat), gb = sum(g)   (sums per channel over N and S).
// One pass for the sums, one to write gx, each channel's data hot between them.
std::vector<Tensor> bn_train_backward_fused(const Tensor& g, const Tensor& x, const Tensor& weight,
                                            const Tensor& mean, const Tensor& invstd,
                                            const std::vector<bool>& need) {
    const NCS d = ncs_of(x);
    Tensor gx = need[0] ? Tensor::empty(x.shape()) : Tensor();
    Tensor gw = Tensor::empty({d.c}), gb = Tensor::empty({d.c});
    const float* pg = g.data();
    const float* px = x.data();
    const float* w = ptr_or_null(weight);
    const float* pm = mean.data();
    const float* pi = invstd.data();
    float* pgx = need[0] ? gx.data() : nullptr;
    float* pgw = gw.data();
    float* pgb = gb.data();
    const double count = static_cast<double>(d.count());
    // gx = a * g + b * (x - mean) + c per channel, from the channel's two sums.
    struct Coef {
        float a, b, c;
    };
    auto coef = [&](int64_t c, double sg, double sgx) {
        const double inv = pi[c];
        pgw[c] = static_cast<float>(sgx * inv);
        pgb[c] = static_cast<float>(sg);
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
    return {gx, need[1] ? gw : Tensor(), need[2] ? gb : Tensor()};
}

// The same gradients built from differentiable ops, for create_graph. The batch
// statistics are recomputed with a graph, since they depend on x.
std::vector<Tensor> bn_train_backward_composed(const Tensor& g, const Tensor& x,
                                               const Tensor& weight, float eps,
                                               const std::vector<bool>& need) {
    const float inv_count = 1.0f / static_cast<float>(ncs_of(x).count());
    Tensor mu = mul_scalar(channel_sum(x), inv_count);             // (C)
    Tensor xc = channel_affine(x, Tensor(), neg(mu));              // (N, C, ...)
    Tensor var = mul_scalar(channel_sum(mul(xc, xc)), inv_count);  // (C)
    Tensor invstd = pow_scalar(add_scalar(var, eps), -0.5f);       // (C)
    Tensor xhat = channel_affine(xc, invstd, Tensor());            // (N, C, ...)
    Tensor gx, gw, gb;
    if (need[1]) gw = channel_sum(mul(g, xhat));
    if (need[2]) gb = channel_sum(g);
    if (need[0]) {
        Tensor gxhat = weight.defined() ? channel_affine(g, weight, Tensor()) : g;  // (N, C, ...)
        Tensor m1 = mul_scalar(channel_sum(gxhat), inv_count);                      // (C)
        Tensor m2 = mul_scalar(channel_sum(mul(gxhat, xhat)), inv_count);           // (C)
        // invstd * (gxhat - m1 - xhat * m2)
        gx = sub(channel_affine(gxhat, invstd, neg(mul(invstd, m1))),
                 channel_affine(xhat, mul(invstd, m2), Tensor()));
    }
    return {gx, gw, gb};
}

void check_channel_vector(const Tensor& t, int64_t channels, const Tensor& x, const char* what) {
    if (!t.defined()) return;
    if (t.dtype() != DType::f32 || t.shape() != Shape{channels})
        throw std::invalid_argument(std::string("batch_norm: ") + what + " " +
                                    shape_str(t.shape()) + " does not match the " +
                                    std::to_string(channels) + " channels of input " +
                                    shape_str(x.shape()) + " (expects float32 (C))");
}

// -- layer norm ---------------------------------------------------------------

struct Rows {
    int64_t r, d;  // R rows of D values each
};

Tensor ln_forward(const Tensor& x, const Rows& s, const float* w, const float* b, float eps,
                  Tensor& mean, Tensor& rstd) {
    Tensor y = Tensor::empty(x.shape());
    mean = Tensor::empty({s.r});
    rstd = Tensor::empty({s.r});
    const float* px = x.data();
    float* py = y.data();
    float* pm = mean.data();
    float* pr = rstd.data();
    cpu::parallel_for(
        s.r, std::max<int64_t>(1, kWork / std::max<int64_t>(1, s.d)), [&](int64_t r0, int64_t r1) {
            for (int64_t r = r0; r < r1; ++r) {
                const float* xi = px + r * s.d;
                float* yo = py + r * s.d;
                double s1 = 0.0, s2 = 0.0;
                add_moments(xi, s.d, xi[0], s1, s2);
                const double off = s1 / s.d;
                const double var = std::max(0.0, s2 / s.d - off * off);
                const float m = static_cast<float>(xi[0] + off);
                const float is = static_cast<float>(1.0 / std::sqrt(var + eps));
                pm[r] = m;
                pr[r] = is;
                if (w && b)
                    for (int64_t j = 0; j < s.d; ++j) yo[j] = (xi[j] - m) * is * w[j] + b[j];
                else
                    for (int64_t j = 0; j < s.d; ++j)
                        yo[j] = ((xi[j] - m) * is) * (w ? w[j] : 1.0f) + (b ? b[j] : 0.0f);
            }
        });
    return y;
}

// Per row, with xhat = (x - mean) * rstd and gh = g * w:
//   gx = rstd * (gh - mean(gh) - xhat * mean(gh * xhat));
// gw = sum over rows of g * xhat and gb = sum of g, in per-thread partials.
std::vector<Tensor> ln_backward_fused(const Tensor& g, const Tensor& x, const Tensor& weight,
                                      const Tensor& mean, const Tensor& rstd, const Rows& s,
                                      const std::vector<bool>& need) {
    const bool want_wb = need[1] || need[2];
    Tensor gx = need[0] ? Tensor::empty(x.shape()) : Tensor();
    const float* pg = g.data();
    const float* px = x.data();
    const float* w = ptr_or_null(weight);
    const float* pm = mean.data();
    const float* pr = rstd.data();
    float* pgx = need[0] ? gx.data() : nullptr;
    const int64_t grain = std::max<int64_t>(1, kWork / std::max<int64_t>(1, s.d));
    const int64_t blocks = std::max<int64_t>(1, std::min<int64_t>(cpu::num_threads(), s.r / grain));
    // Per-block partial sums of gw and gb: (blocks, D) each, added up after.
    std::vector<double> part_w(want_wb ? blocks * s.d : 0, 0.0),
        part_b(want_wb ? blocks * s.d : 0, 0.0);
    cpu::parallel_for(blocks, 1, [&](int64_t b0, int64_t b1) {
        std::vector<float> gh(s.d);
        for (int64_t blk = b0; blk < b1; ++blk) {
            double* acc_w = want_wb ? part_w.data() + blk * s.d : nullptr;
            double* acc_b = want_wb ? part_b.data() + blk * s.d : nullptr;
            for (int64_t r = s.r * blk / blocks, re = s.r * (blk + 1) / blocks; r < re; ++r) {
                const float* gi = pg + r * s.d;
                const float* xi = px + r * s.d;
                const float m = pm[r], is = pr[r];
                if (want_wb)
                    for (int64_t j = 0; j < s.d; ++j) {
                        acc_w[j] += gi[j] * ((xi[j] - m) * is);
                        acc_b[j] += gi[j];
                    }
                if (!pgx) continue;
                for (int64_t j = 0; j < s.d; ++j) gh[j] = w ? gi[j] * w[j] : gi[j];
                double s1 = 0.0, s2 = 0.0;
                add_grad_sums(gh.data(), xi, s.d, m, s1, s2);
                const float m1 = static_cast<float>(s1 / s.d);
                const float m2 = static_cast<float>(s2 * is / s.d);  // mean(gh * xhat)
                float* out = pgx + r * s.d;
                for (int64_t j = 0; j < s.d; ++j)
                    out[j] = is * (gh[j] - m1 - (xi[j] - m) * is * m2);
            }
        }
    });
    Tensor gw, gb;
    if (want_wb) {
        gw = Tensor::empty({s.d});
        gb = Tensor::empty({s.d});
        for (int64_t j = 0; j < s.d; ++j) {
            double tw = 0.0, tb = 0.0;
            for (int64_t blk = 0; blk < blocks; ++blk) {
                tw += part_w[blk * s.d + j];
                tb += part_b[blk * s.d + j];
            }
            gw.data()[j] = static_cast<float>(tw);
            gb.data()[j] = static_cast<float>(tb);
        }
    }
    return {gx, need[1] ? gw : Tensor(), need[2] ? gb : Tensor()};
}

std::vector<Tensor> ln_backward_composed(const Tensor& g, const Tensor& x, const Tensor& weight,
                                         float eps, const std::vector<bool>& need) {
    const int64_t d = x.size(-1);
    Tensor mu = mean(x, {-1}, true);  // (..., 1)
    Tensor xc = sub(x, mu);           // (..., D)
    Tensor rstd = pow_scalar(add_scalar(mean(mul(xc, xc), {-1}, true), eps), -0.5f);
    Tensor xhat = mul(xc, rstd);
    Tensor gx, gw, gb;
    if (need[1]) gw = sum_to(mul(g, xhat), {d});
    if (need[2]) gb = sum_to(g, {d});
    if (need[0]) {
        Tensor gh = weight.defined() ? mul(g, weight) : g;
        Tensor m1 = mean(gh, {-1}, true);
        Tensor m2 = mean(mul(gh, xhat), {-1}, true);
        gx = mul(rstd, sub(sub(gh, m1), mul(xhat, m2)));
    }
    return {gx, gw, gb};
}

}  // namespace

Tensor batch_norm(const Tensor& x, Tensor running_mean, Tensor running_var, const Tensor& weight,
                  const Tensor& bias, bool training, float momentum, float eps) {
    if (!x.defined() || x.dtype() != DType::f32)
        throw std::invalid_argument("batch_norm: expects a defined float32 input");
    if (x.dim() < 2)
        throw std::invalid_argument("batch_norm: expects input (N, C) or (N, C, H, W), got " +
                                    shape_str(x.shape()));
    const int64_t channels = x.size(1);
    check_channel_vector(weight, channels, x, "weight");
    check_channel_vector(bias, channels, x, "bias");
    check_channel_vector(running_mean, channels, x, "running_mean");
    check_channel_vector(running_var, channels, x, "running_var");

    if (!training) {
        if (!running_mean.defined() || !running_var.defined())
            throw std::invalid_argument("batch_norm: eval mode needs running_mean and running_var");
        // Running statistics are buffers: no gradient flows into them.
        Tensor inv = pow_scalar(add_scalar(running_var.detach(), eps), -0.5f);  // (C)
        Tensor scale = weight.defined() ? mul(weight, inv) : inv;               // (C)
        Tensor shift = neg(mul(running_mean.detach(), scale));                  // (C)
        if (bias.defined()) shift = add(shift, bias);
        return channel_affine(x, scale, shift);
    }

    const NCS d = ncs_of(x);
    if (d.count() <= 1)
        throw std::invalid_argument(
            "batch_norm: expected more than 1 value per channel when training, got input " +
            shape_str(x.shape()));
    Tensor mean, invstd;  // (C), (C)
    Tensor y = bn_train_forward(x, ptr_or_null(weight), ptr_or_null(bias),
                                running_mean.defined() ? running_mean.data() : nullptr,
                                running_var.defined() ? running_var.data() : nullptr, momentum, eps,
                                mean, invstd);
    return record("batch_norm", y, {x, weight, bias},
                  [x, weight, mean, invstd, eps](const Tensor& g, const std::vector<bool>& need) {
                      if (!grad_mode_enabled())
                          return bn_train_backward_fused(g, x, weight, mean, invstd, need);
                      return bn_train_backward_composed(g, x, weight, eps, need);
                  });
}

Tensor layer_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, float eps) {
    if (!x.defined() || x.dtype() != DType::f32)
        throw std::invalid_argument("layer_norm: expects a defined float32 input");
    if (x.dim() < 1 || x.size(-1) == 0)
        throw std::invalid_argument("layer_norm: expects input (..., C) with C > 0, got " +
                                    shape_str(x.shape()));
    const Rows s{x.numel() / x.size(-1), x.size(-1)};
    for (const Tensor* t : {&weight, &bias})
        if (t->defined() && (t->dtype() != DType::f32 || t->shape() != Shape{s.d}))
            throw std::invalid_argument(
                "layer_norm: " + std::string(t == &weight ? "weight " : "bias ") +
                shape_str(t->shape()) + " does not match the last dimension of input " +
                shape_str(x.shape()));
    Tensor mean, rstd;  // (R), (R)
    Tensor y = ln_forward(x, s, ptr_or_null(weight), ptr_or_null(bias), eps, mean, rstd);
    return record("layer_norm", y, {x, weight, bias},
                  [x, weight, mean, rstd, eps, s](const Tensor& g, const std::vector<bool>& need) {
                      if (!grad_mode_enabled())
                          return ln_backward_fused(g, x, weight, mean, rstd, s, need);
                      return ln_backward_composed(g, x, weight, eps, need);
                  });
}

}  // namespace ganvas
