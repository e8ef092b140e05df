// Shape ops: reshape, permute, flatten, concatenate, squeeze.
#pragma once

#include <vector>

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
// The values of one-element tensors (a step's losses) in one read: on a GPU one
// wait for the device instead of one per value. All must live on one device.
std::vector<float> read_scalars(const std::vector<Tensor>& scalars);

}  // namespace ganvas
