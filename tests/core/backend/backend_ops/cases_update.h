// Op cases of the update family. Most update entries are in-place writes
// without a gradient (optimizer steps, clipping, codebook statistics) and are
// checked kernel by kernel in test_gl_update_kernels.cpp; the one that sits
// inside a differentiable op is the power iteration of spectral
// normalization, whose normalized weight W / sigma is checked here forward,
// backward and double backward. Shapes are odd, the matrix tall, wide or a
// conv kernel's, with one or several iterations.
#pragma once

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "core/backend/backend_ops/cases.h"
#include "nn/spectral_norm.h"

namespace ganvas::backend_ops {

// Values spread over [-1, 1], the same on every device (not drawn: the case's inputs
// are only the weight, and the vectors are state the power iteration overwrites).
inline Tensor spread(int64_t n, int seed, Device device) {
    std::vector<float> v(n);
    for (int64_t i = 0; i < n; ++i)
        v[i] = static_cast<float>(std::sin(0.7 * static_cast<double>(i) + 1.3 * seed));
    return Tensor::from_vector({n}, v, device);
}

// spectral_normalized_weight of a weight whose first dimension is `rows`, with u and v
// made here on its device and `iterations` power-iteration steps.
inline OpCase spectral_norm_case(std::string name, Shape weight, int iterations) {
    const int64_t rows = weight[0];
    int64_t numel = 1;
    for (int64_t d : weight) numel *= d;
    const int64_t cols = numel / rows;
    return {std::move(name),
            {std::move(weight)},
            [rows, cols, iterations](const Inputs& in) {
                SpectralNormVectors vectors{spread(rows, 1, in[0].device()),
                                            spread(cols, 2, in[0].device())};
                return spectral_normalized_weight(in[0], vectors, true, iterations);
            },
            {Family::update, Family::elementwise, Family::reduce, Family::layout},
            {Family::elementwise, Family::reduce, Family::layout}};
}

inline std::vector<OpCase> update_cases() {
    return {
        spectral_norm_case("spectral_norm_7x33", {7, 33}, 1),
        spectral_norm_case("spectral_norm_65x5_three_steps", {65, 5}, 3),
        spectral_norm_case("spectral_norm_conv_8x3x3x3", {8, 3, 3, 3}, 2),
        spectral_norm_case("spectral_norm_300x257", {300, 257}, 1),
    };
}

}  // namespace ganvas::backend_ops
