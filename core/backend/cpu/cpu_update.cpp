// The CPU backend's update kernels: optimizer steps and the other in-place
// writes of training, each value independent of the others except where noted.
#include <algorithm>
#include <cmath>
#include <vector>

#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/thread_pool.h"
#include "backend/update_kernels.h"

namespace ganvas::cpu {
namespace {

constexpr int64_t kGrain = 1 << 14;

void normalize(float* x, int64_t n, float eps) {
    float sq = 0;
    for (int64_t i = 0; i < n; ++i) sq += x[i] * x[i];
    const float norm = std::max(std::sqrt(sq), eps);
    for (int64_t i = 0; i < n; ++i) x[i] /= norm;
}

class CpuUpdateKernels final : public UpdateKernels {
public:
    void adam_step(const AdamStep& s, int64_t n, Storage& ws, const Storage& gs, Storage& ms,
                   Storage& vs) const override {
        float* w = f32(ws);
        const float* g = f32(gs);
        float* m = f32(ms);
        float* v = f32(vs);
        parallel_for(n, kGrain, [&](int64_t b, int64_t e) {
            for (int64_t j = b; j < e; ++j) {
                float gj = g[j];
                if (s.weight_decay != 0.0f) {
                    if (s.decoupled)
                        w[j] *= s.decay;  // param.mul_(1 - lr * wd)
                    else
                        gj += s.weight_decay * w[j];
                }
                // exp_avg.mul_(b1).add_(g, alpha=1-b1)
                m[j] = m[j] * s.beta1 + gj * s.one_minus_beta1;
                // exp_avg_sq.mul_(b2).addcmul_(g, g, 1-b2)
                v[j] = v[j] * s.beta2 + s.one_minus_beta2 * (gj * gj);
                const float denom = std::sqrt(v[j]) / s.bc2_sqrt + s.eps;
                w[j] += -s.step_size * (m[j] / denom);  // param.addcdiv_(m, denom, -step_size)
            }
        });
    }

    void sgd_step(const SgdStep& s, int64_t n, Storage& ws, const Storage& gs,
                  Storage* buffer) const override {
        float* w = f32(ws);
        const float* g = f32(gs);
        float* b = buffer ? f32(*buffer) : nullptr;
        const float wd = s.weight_decay, mom = s.momentum;
        if (b && s.first_momentum_step) {
            parallel_for(n, kGrain, [&](int64_t begin, int64_t end) {
                for (int64_t j = begin; j < end; ++j) {
                    const float d = wd != 0.0f ? g[j] + wd * w[j] : g[j];
                    b[j] = d;
                    w[j] += -s.lr * (s.nesterov ? d + mom * b[j] : b[j]);
                }
            });
            return;
        }
        parallel_for(n, kGrain, [&](int64_t begin, int64_t end) {
            for (int64_t j = begin; j < end; ++j) {
                float d = wd != 0.0f ? g[j] + wd * w[j] : g[j];
                if (b) {
                    b[j] = mom * b[j] + d;
                    d = s.nesterov ? d + mom * b[j] : b[j];
                }
                w[j] += -s.lr * d;
            }
        });
    }

    void rmsprop_step(const RmspropStep& s, int64_t n, Storage& ws, const Storage& gs,
                      Storage& vs) const override {
        float* w = f32(ws);
        const float* g = f32(gs);
        float* v = f32(vs);
        parallel_for(n, kGrain, [&](int64_t b, int64_t e) {
            for (int64_t j = b; j < e; ++j) {
                // square_avg.mul_(a).addcmul_(g, g, 1-a)
                v[j] = v[j] * s.alpha + s.one_minus_alpha * (g[j] * g[j]);
                // param.addcdiv_(g, sqrt(v)+eps, -lr)
                w[j] += -s.lr * (g[j] / (std::sqrt(v[j]) + s.eps));
            }
        });
    }

    void clamp_(int64_t n, Storage& xs, float lo, float hi) const override {
        float* x = f32(xs);
        parallel_for(n, kGrain, [&](int64_t b, int64_t e) {
            for (int64_t j = b; j < e; ++j) x[j] = std::min(std::max(x[j], lo), hi);
        });
    }

    void lerp_(int64_t n, Storage& as, const Storage& bs, float decay) const override {
        float* a = f32(as);
        const float* b = f32(bs);
        const float rest = 1.0f - decay;
        parallel_for(n, kGrain, [&](int64_t begin, int64_t end) {
            for (int64_t j = begin; j < end; ++j) a[j] = decay * a[j] + rest * b[j];
        });
    }

    void add_i64_(int64_t n, Storage& xs, int64_t value) const override {
        int64_t* x = i64(xs);
        for (int64_t j = 0; j < n; ++j) x[j] += value;
    }

    void copy_rows(int64_t pairs, int64_t row_size, const Storage& src, const Storage& index,
                   Storage& dst) const override {
        const float* from = f32(src);
        const int64_t* pair = i64(index);
        float* to = f32(dst);
        for (int64_t p = 0; p < pairs; ++p)
            std::copy(from + pair[2 * p + 1] * row_size, from + (pair[2 * p + 1] + 1) * row_size,
                      to + pair[2 * p] * row_size);
    }

    void bin_rows(int64_t rows, int64_t row_size, int64_t bins, const Storage& xs,
                  const Storage& index, Storage& counts, Storage& sums) const override {
        const float* x = f32(xs);
        const int64_t* bin = i64(index);
        std::vector<double> count(bins, 0.0), sum(bins * row_size, 0.0);
        for (int64_t r = 0; r < rows; ++r) {
            count[bin[r]] += 1.0;
            for (int64_t d = 0; d < row_size; ++d)
                sum[bin[r] * row_size + d] += x[r * row_size + d];
        }
        float* c = f32(counts);
        float* s = f32(sums);
        for (int64_t k = 0; k < bins; ++k) c[k] = static_cast<float>(count[k]);
        for (int64_t i = 0; i < bins * row_size; ++i) s[i] = static_cast<float>(sum[i]);
    }

    void codebook_from_ema(int64_t bins, int64_t row_size, float eps, const Storage& cluster_size,
                           const Storage& embed_sum, Storage& codebook) const override {
        const float* cs = f32(cluster_size);
        const float* es = f32(embed_sum);
        float* w = f32(codebook);
        double n = 0.0;
        for (int64_t k = 0; k < bins; ++k) n += cs[k];
        // Laplace smoothing keeps a rarely chosen code's count away from zero.
        for (int64_t k = 0; k < bins; ++k) {
            const double smoothed = (cs[k] + eps) / (n + bins * eps) * n;
            for (int64_t d = 0; d < row_size; ++d)
                w[k * row_size + d] = static_cast<float>(es[k * row_size + d] / smoothed);
        }
    }

    void power_iteration(int64_t h, int64_t w, int iterations, float eps, const Storage& ws,
                         Storage& us, Storage& vs) const override {
        const float* W = f32(ws);  // (h, w)
        float* u = f32(us);
        float* v = f32(vs);
        for (int it = 0; it < iterations; ++it) {
            for (int64_t j = 0; j < w; ++j) {  // v = normalize(W^T u)
                float s = 0;
                for (int64_t i = 0; i < h; ++i) s += W[i * w + j] * u[i];
                v[j] = s;
            }
            normalize(v, w, eps);
            for (int64_t i = 0; i < h; ++i) {  // u = normalize(W v)
                float s = 0;
                for (int64_t j = 0; j < w; ++j) s += W[i * w + j] * v[j];
                u[i] = s;
            }
            normalize(u, h, eps);
        }
    }
};

}  // namespace

const UpdateKernels& cpu_update_kernels() {
    static const CpuUpdateKernels kernels;
    return kernels;
}

}  // namespace ganvas::cpu
