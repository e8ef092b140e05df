// Normalization layers as torch.nn.functional.batch_norm / layer_norm.
#pragma once

#include "tensor/tensor.h"

namespace ganvas {

// x (N, C) or (N, C, H, W); weight, bias (C) or undefined. In training mode it
// normalizes by the batch statistics (biased variance) and updates the running
// buffers in place: running = (1 - momentum) * running + momentum * batch_stat,
// with the unbiased variance (n / (n - 1)) for running_var. In eval mode it uses
// the running buffers.
Tensor batch_norm(const Tensor& x, Tensor running_mean, Tensor running_var, const Tensor& weight,
                  const Tensor& bias, bool training, float momentum = 0.1f, float eps = 1e-5f);

// Normalizes over the last dimension (size C); weight, bias (C) or undefined.
Tensor layer_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, float eps = 1e-5f);

}  // namespace ganvas
