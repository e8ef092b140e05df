// Activations, each with a backward written in ops (so double backward works).
#pragma once

#include "tensor/tensor.h"

namespace ganvas {

Tensor relu(const Tensor& x);
Tensor leaky_relu(const Tensor& x, float negative_slope = 0.01f);
Tensor tanh(const Tensor& x);
Tensor sigmoid(const Tensor& x);

}  // namespace ganvas
