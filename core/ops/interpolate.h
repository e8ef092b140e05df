// Resizing NCHW images as torch.nn.functional.interpolate (PyTorch 1.13, CPU).
//
// Every mode except area is separable: output (i, j) = sum_a sum_b wh[i][a] ww[j][b]
// x[hi[i][a], wj[j][b]], with a fixed table of taps per axis (1 for nearest, 2 for
// bilinear, 4 for bicubic). Forward and backward are the table applied and its
// adjoint, each the other's gradient, so derivatives of any order stay exact.
// Area is adaptive average pooling, as in torch.
//
// PyTorch's coordinate rules, kept bit for bit (float arithmetic):
// - Output size: given, or floor(in * scale_factor) computed in double.
// - The step between source coordinates: with align_corners (in - 1) / (out - 1), 0 when
//   out == 1; otherwise 1 / scale_factor when a scale factor was given (not in / out!),
//   else in / out.
// - Bilinear with out == in copies the input whatever the scale factor.
// - Nearest takes floor(i * step); for one-channel input only (torch sends it to its
//   channels-last kernel) out == in copies and out == 2 in takes i / 2, whatever the
//   scale factor. Nearest-exact takes floor((i + 0.5) * step).
// - Gradients are the exact adjoint of the forward. Torch 1.13's backward kernels keep
//   the copy / halving shortcuts for every input, and bicubic's copies when out == in,
//   so in those corner cases torch's gradient is not the gradient of its own forward;
//   ours is (tests/golden/upsample/torch_backward_not_adjoint.txt lists them).
// - Bicubic uses A = -0.75 with edge indices clamped; values overshoot the input's
//   range and are not clamped.
#pragma once

#include <array>
#include <string>

#include "tensor/tensor.h"

namespace ganvas {

enum class InterpMode { nearest, nearest_exact, bilinear, bicubic, area };

// "nearest", "nearest-exact", "bilinear", "bicubic", "area"; throws std::invalid_argument
// listing the choices for anything else.
InterpMode interp_mode_from_name(const std::string& name);
const char* interp_mode_name(InterpMode mode);

struct InterpolateOptions {
    InterpMode mode = InterpMode::nearest;
    bool align_corners = false;  // bilinear and bicubic only, as torch
    // Either an output size (both > 0) or a scale factor per axis (both > 0).
    std::array<int64_t, 2> size{0, 0};
    std::array<double, 2> scale{0.0, 0.0};
};

// The output (H, W) for an input of in_h x in_w; throws std::invalid_argument when
// neither or both of size and scale are given, or when the result would be empty.
std::array<int64_t, 2> interpolate_output_size(int64_t in_h, int64_t in_w,
                                               const InterpolateOptions& opt);

// x (N, C, H, W) float32 -> (N, C, Ho, Wo)
Tensor interpolate(const Tensor& x, const InterpolateOptions& opt);

// Shorthands for the common cases.
Tensor upsample_nearest(const Tensor& x, double scale);
Tensor upsample_bilinear(const Tensor& x, double scale, bool align_corners = false);

}  // namespace ganvas
