// Precision and recall of a generative model by k-nearest-neighbour manifolds
// (Kynkäänniemi et al. 2019, "Improved Precision and Recall Metric for
// Assessing Generative Models"), and nearest-neighbour search for the
// memorization check. Both work on feature matrices, Euclidean distance.
#pragma once

#include <cstdint>
#include <vector>

#include "tensor/tensor.h"

namespace ganvas {

struct PrecisionRecall {
    double precision = 0.0;  // share of fake samples on the real manifold
    double recall = 0.0;     // share of real samples on the fake manifold
};

// The real manifold is the union of balls around each real sample whose
// radius is the distance to its k-th nearest other real sample; precision is
// the share of fake samples inside at least one ball (distance <= radius).
// Recall swaps the roles. real (N, D), fake (M, D) float32, N and M > k, k >= 1.
PrecisionRecall knn_precision_recall(const Tensor& real, const Tensor& fake, int k = 3);

// For each query row, the index of the pool row nearest to it (the lowest
// index among exact ties). queries (M, D), pool (N, D) float32, N >= 1.
std::vector<int64_t> nearest_neighbours(const Tensor& queries, const Tensor& pool);

}  // namespace ganvas
