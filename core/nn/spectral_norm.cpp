#include "nn/spectral_norm.h"

#include <cmath>
#include <stdexcept>

#include "autograd/autograd.h"
#include "backend/update_kernels.h"
#include "nn/layer_trace.h"
#include "nn/layers.h"
#include "ops/dispatch.h"
#include "ops/ops.h"

namespace ganvas {
namespace {

void normalize_(float* x, int64_t n, float eps) {
    float sq = 0;
    for (int64_t i = 0; i < n; ++i) sq += x[i] * x[i];
    const float norm = std::max(std::sqrt(sq), eps);
    for (int64_t i = 0; i < n; ++i) x[i] /= norm;
}

int64_t rows_of(const Tensor& weight) {
    if (weight.dim() < 1 || weight.numel() == 0)
        throw std::invalid_argument("spectral norm needs a non-empty weight, got " +
                                    shape_str(weight.shape()));
    return weight.size(0);
}

}  // namespace

SpectralNormVectors init_spectral_norm_vectors(const Tensor& weight, Rng& rng, float eps) {
    const int64_t h = rows_of(weight), w = weight.numel() / h;
    SpectralNormVectors out{rng.randn({h}), rng.randn({w})};
    normalize_(out.u.data(), h, eps);
    normalize_(out.v.data(), w, eps);
    return out;
}

namespace {

// sigma receives the estimate, detached, on the weight's device.
Tensor normalized_weight(const Tensor& weight, SpectralNormVectors& vec, bool power_iteration,
                         int iterations, float eps, Tensor& sigma_out) {
    const int64_t h = rows_of(weight), w = weight.numel() / h;
    if (vec.u.numel() != h || vec.v.numel() != w)
        throw std::invalid_argument("spectral norm vectors do not fit weight " +
                                    shape_str(weight.shape()));
    if (power_iteration) {
        Backend& be = dispatch("spectral_norm_power_iteration", {weight, vec.u, vec.v});
        be.update().power_iteration(h, w, iterations, eps, weight.storage(), vec.u.storage(),
                                    vec.v.storage());
    }
    // sigma = u . (W v) = sum(W * u v^T): differentiable in W, u and v held fixed.
    Tensor outer;  // (h, w)
    {
        NoGradGuard no_grad;
        outer = mul(reshape(vec.u, {h, 1}), reshape(vec.v, {1, w}));
    }
    Tensor sigma = sum(mul(reshape(weight, {h, w}), outer), {0, 1});  // ()
    sigma_out = sigma.detach();
    return div(weight, sigma);
}

}  // namespace

Tensor spectral_normalized_weight(const Tensor& weight, SpectralNormVectors& vec,
                                  bool power_iteration, int iterations, float eps,
                                  float* sigma_out) {
    Tensor sigma;
    Tensor out = normalized_weight(weight, vec, power_iteration, iterations, eps, sigma);
    if (sigma_out) *sigma_out = sigma.item();
    return out;
}

SpectralNormLinear::SpectralNormLinear(int64_t in, int64_t out, Rng& rng) {
    Linear plain(in, out, true, rng);  // torch's Linear init, then spectral_norm's u, v
    bias = register_parameter("bias", plain.bias.detach().clone());
    weight_orig = register_parameter("weight_orig", plain.weight.detach().clone());
    vectors = init_spectral_norm_vectors(weight_orig, rng);
    vectors.u = register_buffer("weight_u", vectors.u);
    vectors.v = register_buffer("weight_v", vectors.v);
}

Tensor SpectralNormLinear::forward(const Tensor& x) {
    Tensor w = normalized_weight(weight_orig, vectors, training(), 1, 1e-12f, sigma_);
    Tensor y = linear(x, w, bias);
    LayerTrace::record(this, y);
    return y;
}

float SpectralNormLinear::sigma() const {
    return sigma_.defined() ? sigma_.item() : 0.0f;
}

}  // namespace ganvas
