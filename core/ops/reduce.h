// Reductions: sums and means over all or some dimensions.
#pragma once

#include "tensor/tensor.h"

namespace ganvas {

Tensor sum(const Tensor& a);   // all elements -> shape ()
Tensor mean(const Tensor& a);  // all elements -> shape ()
Tensor sum(const Tensor& a, std::vector<int64_t> dims, bool keepdim = false);
Tensor mean(const Tensor& a, std::vector<int64_t> dims, bool keepdim = false);

// Sums a broadcast result back down to `shape` (the backward of broadcasting).
Tensor sum_to(const Tensor& a, const Shape& shape);
// Repeats `a` up to `shape` by broadcasting (the backward of sum_to).
Tensor broadcast_to(const Tensor& a, const Shape& shape);

}  // namespace ganvas
