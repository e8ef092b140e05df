// Squared Euclidean distances between two sets of feature vectors, a block of
// query rows at a time, so that 10000 x 10000 pairs never sit in memory at once.
// Shared by the k-NN precision/recall metric and nearest-neighbour search.
#pragma once

#include <cstdint>
#include <functional>

namespace ganvas::analysis_detail {

// For every query row i in [0, M), calls visit(i, row) where row (N,) holds
// the float squared distances |q_i - p_j|^2 to each pool row j, computed as
// |q|^2 + |p|^2 - 2 q.p (after moving the pool's mean to the origin) with one
// GEMM per block, clamped at 0. `row` is scratch the visitor may reorder
// (e.g. std::nth_element). Rows are visited in parallel, each exactly once,
// so visit must only write state of row i.
// queries: (M, D) row-major, pool: (N, D) row-major.
void for_each_distance_row(const float* queries, int64_t m, const float* pool, int64_t n, int64_t d,
                           const std::function<void(int64_t, float*)>& visit);

}  // namespace ganvas::analysis_detail
