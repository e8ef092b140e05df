// Latent interpolation: the points between two noise vectors that the Samples tab
// sends through the generator, to show how smoothly it maps z to images.
//
// Spherical interpolation follows the great circle between a and b. Gaussian z
// vectors of high dimension all have nearly the same norm, so straight lines cut
// through the low-norm interior the generator never saw in training; slerp stays
// on the shell (White, "Sampling Generative Networks", 2016).
#pragma once

#include <cstdint>

#include "tensor/tensor.h"

namespace ganvas::gui {

enum class Interpolation { linear, spherical };

// `steps` rows (steps, D) going from row `a` to row `b` of z (N, D), both ends
// included, evenly spaced in t. Throws std::invalid_argument for an undefined or
// non-2-D z, rows out of range, or steps < 2.
Tensor interpolate_latents(const Tensor& z, int64_t a, int64_t b, int steps, Interpolation mode);

// One point: (1 - t) a + t b, or the slerp between them. Vectors too close to
// parallel (or zero) for a stable angle fall back to the straight line.
void interpolate(const float* a, const float* b, int64_t d, float t, Interpolation mode,
                 float* out);

}  // namespace ganvas::gui
