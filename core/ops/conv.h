// 2-D convolution and its adjoints, NCHW, as torch.nn.functional.
//
// The three ops are each other's gradients, so any order of derivative of a
// network of convolutions stays inside these three kernels:
//   conv2d(x, w)            grad_x = conv_transpose2d(g, w)   grad_w = conv2d_weight(x, g)
//   conv_transpose2d(x, w)  grad_x = conv2d(g, w)             grad_w = conv2d_weight(g, x)
//   conv2d_weight(x, g)     grad_x = conv_transpose2d(g, gw)  grad_g = conv2d(x, gw)
#pragma once

#include <array>

#include "tensor/tensor.h"

namespace ganvas {

struct Conv2dParams {
    std::array<int64_t, 2> stride{1, 1};
    std::array<int64_t, 2> padding{0, 0};
    std::array<int64_t, 2> dilation{1, 1};
    std::array<int64_t, 2> output_padding{0, 0};  // conv_transpose2d only
};

// x (N, Cin, H, W), weight (Cout, Cin, kh, kw), bias (Cout) or undefined -> (N, Cout, Ho, Wo)
Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const Conv2dParams& p);
// x (N, Cin, H, W), weight (Cin, Cout, kh, kw), bias (Cout) or undefined -> (N, Cout, Ho, Wo),
// Ho = (H - 1) * stride - 2 * padding + dilation * (kh - 1) + output_padding + 1
Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias,
                        const Conv2dParams& p);
// The weight gradient of conv2d: x (N, Cin, H, W), grad_out (N, Cout, Ho, Wo) -> (Cout, Cin, kh,
// kw)
Tensor conv2d_weight(const Tensor& x, const Tensor& grad_out, const Shape& weight_shape,
                     const Conv2dParams& p);

}  // namespace ganvas
