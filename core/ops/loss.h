// Losses, mean-reduced as PyTorch's defaults.
#pragma once

#include "tensor/tensor.h"

namespace ganvas {

// mean(max(x, 0) - x * t + log(1 + exp(-|x|))), stable for any logit.
Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& target);
Tensor mse_loss(const Tensor& input, const Tensor& target);
Tensor l1_loss(const Tensor& input, const Tensor& target);

// Hinge GAN losses of VQGAN (taming-transformers' hinge_d_loss), logits of any shape:
// discriminator 0.5 * (mean(relu(1 - real)) + mean(relu(1 + fake))), generator -mean(fake).
Tensor hinge_d_loss(const Tensor& real_logits, const Tensor& fake_logits);
Tensor hinge_g_loss(const Tensor& fake_logits);

}  // namespace ganvas
