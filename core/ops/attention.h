// Masked (causal) multi-head self-attention as torch_reference.py's Block.
//
// Composed of existing ops (narrow, reshape, permute, batched matmul, softmax),
// so its backward and double backward come from theirs.
#pragma once

#include "tensor/tensor.h"

namespace ganvas {

// (T, T) float32: 0 on and below the diagonal, -inf above it. Added to the
// attention scores before softmax it is masked_fill(~tril, -inf): softmax
// gives those positions probability 0 and, through its backward, gradient 0.
Tensor causal_mask(int64_t T);

// qkv (B, T, 3C): the output of the qkv Linear, q | k | v along the last dim.
// Returns (B, T, C): softmax(q k^T / sqrt(C / heads) + causal_mask) v per head,
// heads concatenated. If `probabilities` is given it receives the attention
// weights (B, heads, T, T), detached, for display.
Tensor causal_self_attention(const Tensor& qkv, int64_t heads, Tensor* probabilities = nullptr);

}  // namespace ganvas
