// Shape ops: reshape, permute, flatten, concatenate, squeeze.
#pragma once

#include "tensor/tensor.h"

namespace ganvas {

Tensor reshape(const Tensor& a, const Shape& shape);  // one -1 allowed
Tensor flatten(const Tensor& a, int64_t start_dim = 1, int64_t end_dim = -1);
Tensor permute(const Tensor& a, const std::vector<int64_t>& order);
Tensor transpose(const Tensor& a, int64_t d0, int64_t d1);
Tensor cat(const std::vector<Tensor>& parts, int64_t dim);
Tensor squeeze(const Tensor& a, int64_t dim);
Tensor unsqueeze(const Tensor& a, int64_t dim);
// Rows [start, start + length) of dimension `dim`, copied.
Tensor narrow(const Tensor& a, int64_t dim, int64_t start, int64_t length);

}  // namespace ganvas
