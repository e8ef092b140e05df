// Losses, mean-reduced as PyTorch's defaults.
#pragma once

#include "tensor/tensor.h"

namespace ganvas {

// mean(max(x, 0) - x * t + log(1 + exp(-|x|))), stable for any logit.
Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& target);
Tensor mse_loss(const Tensor& input, const Tensor& target);
Tensor l1_loss(const Tensor& input, const Tensor& target);

}  // namespace ganvas
