// Fused causal self-attention on float32 buffers: each (sequence, head) pair
// is a few small matrix products read straight out of the packed qkv (the
// heads are never copied out), with the causal softmax in between.
#pragma once

#include "backend/linear_kernels.h"

namespace ganvas::cpu {

// y (B, T, H*D), p (B, H, T, T) from qkv (B, T, 3*H*D); see LinearKernels.
void causal_attention_forward(const AttentionShape& s, const float* qkv, float* y, float* p);
// dqkv (B, T, 3*H*D) from qkv, p and dy (B, T, H*D).
void causal_attention_backward(const AttentionShape& s, const float* qkv, const float* p,
                               const float* dy, float* dqkv);

}  // namespace ganvas::cpu
