// Principal component analysis for 2-D pictures of high-dimensional vectors.
#pragma once

#include "tensor/tensor.h"

namespace ganvas {

struct Pca {
    Tensor mean;        // (D,)
    Tensor components;  // (k, D) unit rows, largest variance first
    Tensor variance;    // (k,) variance along each component
};

// The top-k principal axes of the rows of x (M, D); k <= D. Signs are fixed so each
// component's largest coordinate is positive (repeatable pictures).
Pca fit_pca(const Tensor& x, int64_t k);
// Rows (M, D) -> coordinates (M, k) along the components.
Tensor pca_project(const Pca& pca, const Tensor& x);

}  // namespace ganvas
