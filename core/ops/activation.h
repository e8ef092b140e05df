// Activations, each with a backward written in ops (so double backward works).
#pragma once

#include "tensor/tensor.h"

namespace ganvas {

Tensor relu(const Tensor& x);
Tensor leaky_relu(const Tensor& x, float negative_slope = 0.01f);
Tensor tanh(const Tensor& x);
Tensor sigmoid(const Tensor& x);
// x * Phi(x) = 0.5 x (1 + erf(x / sqrt(2))): the exact form of torch.nn.GELU().
Tensor gelu(const Tensor& x);

}  // namespace ganvas
