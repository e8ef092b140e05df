// 2-D pooling over NCHW tensors, as torch.nn.functional with ceil_mode=False.
//
// Each pooling is linear in its input once the windows (and, for max pooling,
// the winning positions) are fixed, so each has a backward op whose own
// gradient is the forward again:
//   avg_pool2d / adaptive_avg_pool2d   grad = the matching avg backward, whose grad is the pool
//   max_pool2d                         grad = max_pool2d_backward(g, indices), a scatter whose
//                                      grad is the gather of the forward with the same indices
// so gradients of any order stay inside these kernels.
#pragma once

#include "tensor/tensor.h"

namespace ganvas {

// x (N, C, H, W) -> (N, C, Ho, Wo), Ho = (H + 2 * padding - kernel) / stride + 1.
// Padding counts as -inf; padding must be at most kernel / 2 (as torch). The gradient
// goes to the first maximum of each window (row-major), as PyTorch's CPU kernel.
Tensor max_pool2d(const Tensor& x, int64_t kernel, int64_t stride, int64_t padding = 0);

// max_pool2d that also hands back where each maximum was: `indices` (N, C, Ho, Wo) int64,
// a flat position h * W + w in its input plane, as torch's return_indices=True.
Tensor max_pool2d_with_indices(const Tensor& x, int64_t kernel, int64_t stride, int64_t padding,
                               Tensor& indices);

// The partial inverse of max pooling: x (N, C, h, w) and its indices -> (N, C, out_h, out_w),
// zeros except output[indices] = x (a later duplicate overwrites, as torch's CPU kernel).
// Its gradient gathers at the indices. An index outside the output throws.
Tensor max_unpool2d(const Tensor& x, const Tensor& indices, int64_t out_h, int64_t out_w);

// x (N, C, H, W) -> (N, C, Ho, Wo), the window's sum / kernel^2: padding counts as
// zeros in the mean (count_include_pad=True, torch's default).
Tensor avg_pool2d(const Tensor& x, int64_t kernel, int64_t stride, int64_t padding = 0);

// x (N, C, H, W) -> (N, C, out_h, out_w); output row i averages input rows
// [floor(i * H / out_h), ceil((i + 1) * H / out_h)), columns likewise.
Tensor adaptive_avg_pool2d(const Tensor& x, int64_t out_h, int64_t out_w);

}  // namespace ganvas
