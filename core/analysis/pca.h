// Principal component analysis for 2-D pictures of high-dimensional vectors.
#pragma once

#include <utility>

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

// Two sets of vectors in one picture: a (K, D) and b (M, D) on the first two
// principal axes of all K + M rows together -> (K, 2), (M, 2). A VQGAN's codebook
// beside its encoder outputs shows which codes the encoder reaches.
std::pair<Tensor, Tensor> project_together(const Tensor& a, const Tensor& b);

}  // namespace ganvas
