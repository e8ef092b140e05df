// Comparing tensors with PyTorch's golden files: the largest difference, and the
// every-n-th subsample the golden scripts store instead of a big tensor.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "tensor/tensor.h"

namespace ganvas::testing {

// max |a - b| over the elements; a size mismatch is a test failure too.
inline float max_abs_diff(const Tensor& a, const Tensor& b) {
    EXPECT_EQ(a.numel(), b.numel());
    float m = 0.0f;
    for (int64_t i = 0; i < std::min(a.numel(), b.numel()); ++i)
        m = std::max(m, std::fabs(a.data()[i] - b.data()[i]));
    return m;
}

// Every `stride`-th value of a flattened tensor, as the golden scripts store big tensors.
inline Tensor strided(const Tensor& t, int64_t stride) {
    std::vector<float> v;
    for (int64_t i = 0; i < t.numel(); i += stride) v.push_back(t.data()[i]);
    return Tensor::from_vector({static_cast<int64_t>(v.size())}, v);
}

}  // namespace ganvas::testing
