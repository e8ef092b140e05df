// Masked (causal) multi-head self-attention as torch_reference.py's Block.
//
// Where the backend has a fused kernel (the CPU's), one kernel reads each
// head's q, k and v straight out of the packed qkv, and one gives the whole
// gradient: no head is copied out and back, and no slice's gradient is padded
// with zeros. Elsewhere it is composed of existing ops (narrow, reshape,
// permute, batched matmul, softmax). Either way the double backward (a
// gradient of the gradient) is composed of ops, so it exists.
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

// The same attention composed of small ops whatever the backend: the path of
// backends without the fused kernel, and the reference the fused one is tested
// against.
Tensor causal_self_attention_unfused(const Tensor& qkv, int64_t heads,
                                     Tensor* probabilities = nullptr);

}  // namespace ganvas
