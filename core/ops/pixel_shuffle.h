// PixelShuffle and PixelUnshuffle (Shi et al. 2016), as torch.nn.functional.
//
// Both are fixed permutations of the elements (one spatial kernel each way), and
// each is the other's gradient.
#pragma once

#include "tensor/tensor.h"

namespace ganvas {

// x (N, C * r^2, H, W) -> (N, C, H * r, W * r); out[n, c, h*r + i, w*r + j] =
// x[n, c*r^2 + i*r + j, h, w]. Throws std::invalid_argument naming the shape when
// the channels are not divisible by r^2.
Tensor pixel_shuffle(const Tensor& x, int64_t r);

// The inverse: x (N, C, H * r, W * r) -> (N, C * r^2, H, W).
Tensor pixel_unshuffle(const Tensor& x, int64_t r);

}  // namespace ganvas
