// The fully connected layer's kernels, y = x w^T + b as torch.nn.Linear, with
// the bias folded into the products' passes over memory instead of passes of
// their own: the forward writes each block of y as the bias and lets the
// product add onto it; the backward sums the bias gradient's columns of g
// beside the weight gradient's product of the same columns, while they are
// still in cache. Row-major buffers; weight (out, in) as PyTorch stores it.
#pragma once

#include <cstdint>

namespace ganvas::cpu {

// y (rows, out) = x (rows, in) w^T + bias (out); bias may be null.
void linear_forward(int64_t rows, int64_t in, int64_t out, const float* x, const float* w,
                    const float* bias, float* y);

// gw (out, in) = g^T x for g (rows, out) and x (rows, in), and gb (out) = g
// summed over its rows (in double); gb may be null. With one thread, or split
// by outputs or inputs, gb is sum()'s exactly: each column in row order.
void linear_backward_params(int64_t rows, int64_t in, int64_t out, const float* x, const float* g,
                            float* gw, float* gb);

}  // namespace ganvas::cpu
