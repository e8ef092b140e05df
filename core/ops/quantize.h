// The two pieces of vector quantization that are not plain layers.
#pragma once

#include "tensor/tensor.h"

namespace ganvas {

// Straight-through estimator: the value of `target`, the gradient of `x`.
// Computed as x + (target - x).detach(), as VQ-VAE and torch_reference.py write it,
// so the forward value rounds exactly as theirs does.
Tensor straight_through(const Tensor& x, const Tensor& target);

// Squared distances between rows: z (M, D), codebook (K, D) -> (M, K), by the reference's
// formula |z|^2 - 2 z c^T + |c|^2 (one matrix product instead of M*K differences).
Tensor code_distances(const Tensor& z, const Tensor& codebook);

}  // namespace ganvas
