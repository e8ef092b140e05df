// The taps of one axis of an interpolation, computed on the host as PyTorch's CPU
// kernels compute them for float tensors: output position o reads input
// idx[o * k + t] with weight w[o * k + t], t < k. The CPU kernels loop over them;
// the GPU kernels upload them, so both backends read the same inputs with the
// same weights.
#pragma once

#include <cstdint>
#include <vector>

#include "backend/spatial_kernels.h"

namespace ganvas {

struct AxisTaps {
    int64_t in = 0, out = 0, k = 1;
    std::vector<int64_t> idx;
    std::vector<float> w;
};

// The rows' taps (`rows`) or the columns' of `g` in `mode`.
AxisTaps axis_taps(InterpolationMode mode, const InterpolateGeometry& g, bool rows);

}  // namespace ganvas
