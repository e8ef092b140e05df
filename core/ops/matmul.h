// Matrix products and the fully connected layer.
#pragma once

#include "tensor/tensor.h"

namespace ganvas {

// (M, K) x (K, N) -> (M, N). With 3-D operands, a batched product over dim 0.
Tensor matmul(const Tensor& a, const Tensor& b);
// y = x W^T + b as torch.nn.functional.linear: x (..., in), weight (out, in), bias (out) or
// undefined.
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor());

}  // namespace ganvas
