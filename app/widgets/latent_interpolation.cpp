#include "widgets/latent_interpolation.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace ganvas::gui {

void interpolate(const float* a, const float* b, int64_t d, float t, Interpolation mode,
                 float* out) {
    double wa = 1.0 - t, wb = t;
    if (mode == Interpolation::spherical) {
        double dot = 0, na = 0, nb = 0;
        for (int64_t i = 0; i < d; ++i) {
            dot += static_cast<double>(a[i]) * b[i];
            na += static_cast<double>(a[i]) * a[i];
            nb += static_cast<double>(b[i]) * b[i];
        }
        const double cos_omega = na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 1.0;
        const double omega = std::acos(std::fmin(1.0, std::fmax(-1.0, cos_omega)));
        const double sin_omega = std::sin(omega);
        // Near 0 the weights are 0/0; near pi the great circle is not unique. Either way
        // the line is the sensible answer.
        if (sin_omega > 1e-6) {
            wa = std::sin((1.0 - t) * omega) / sin_omega;
            wb = std::sin(t * omega) / sin_omega;
        }
    }
    for (int64_t i = 0; i < d; ++i) out[i] = static_cast<float>(wa * a[i] + wb * b[i]);
}

Tensor interpolate_latents(const Tensor& z, int64_t a, int64_t b, int steps, Interpolation mode) {
    if (!z.defined() || z.dtype() != DType::f32 || z.device() != Device::cpu || z.dim() != 2)
        throw std::invalid_argument("interpolate_latents: expected z (N, D) float32 on the CPU");
    const int64_t n = z.size(0), d = z.size(1);
    if (a < 0 || a >= n || b < 0 || b >= n)
        throw std::invalid_argument("interpolate_latents: rows " + std::to_string(a) + " and " +
                                    std::to_string(b) + " must lie in 0.." + std::to_string(n - 1));
    if (steps < 2) throw std::invalid_argument("interpolate_latents: steps must be >= 2");
    Tensor out = Tensor::empty({steps, d});  // (steps, D)
    const float* rows = z.data();            // (N, D)
    for (int s = 0; s < steps; ++s) {
        const float t = static_cast<float>(s) / static_cast<float>(steps - 1);
        interpolate(rows + a * d, rows + b * d, d, t, mode, out.data() + s * d);
    }
    return out;
}

}  // namespace ganvas::gui
