#include "analysis/precision_recall.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

#include "analysis/feature_checks.h"
#include "analysis/pairwise_distance.h"

namespace ganvas {
namespace {

using analysis_detail::for_each_distance_row;

// Squared k-NN radius of each row of x (N, D): the k-th smallest squared
// distance to the other rows. The row itself is excluded by index rather than
// by being "the zero distance", so an exact duplicate still counts as a
// neighbour, as it is a different sample.
std::vector<float> knn_radii_squared(const Tensor& x, int k) {
    const int64_t n = x.size(0), d = x.size(1);
    std::vector<float> radii(static_cast<size_t>(n));  // (N,)
    for_each_distance_row(x.data(), n, x.data(), n, d, [&](int64_t i, float* row) {
        row[i] = std::numeric_limits<float>::infinity();
        std::nth_element(row, row + (k - 1), row + n);
        radii[size_t(i)] = row[k - 1];
    });
    return radii;
}

// Share of query rows (M, D) that lie in at least one ball around the pool
// rows (N, D) with the given squared radii (N,).
double share_inside(const Tensor& queries, const Tensor& pool,
                    const std::vector<float>& radii_squared) {
    const int64_t m = queries.size(0), n = pool.size(0), d = queries.size(1);
    std::vector<char> inside(size_t(m), 0);  // (M,)
    for_each_distance_row(queries.data(), m, pool.data(), n, d, [&](int64_t i, float* row) {
        for (int64_t j = 0; j < n; ++j) {
            if (row[j] <= radii_squared[size_t(j)]) {
                inside[size_t(i)] = 1;
                return;
            }
        }
    });
    return double(std::count(inside.begin(), inside.end(), 1)) / double(m);
}

}  // namespace

PrecisionRecall knn_precision_recall(const Tensor& real, const Tensor& fake, int k) {
    const char* fn = "knn_precision_recall";
    if (k < 1)
        throw std::invalid_argument(std::string(fn) + ": k must be >= 1, got " + std::to_string(k));
    // k-th nearest *other* sample: a set needs k + 1 rows for a radius to exist.
    analysis_detail::check_matrix(real, fn, "real features", int64_t(k) + 1);
    analysis_detail::check_matrix(fake, fn, "fake features", int64_t(k) + 1);
    analysis_detail::check_same_width(real, fake, fn, "real features", "fake features");
    // Radii and membership both compare squared float distances from the same
    // routine, so a sample sitting exactly on a ball's surface counts as inside.
    const std::vector<float> real_radii = knn_radii_squared(real, k);  // (N,)
    const std::vector<float> fake_radii = knn_radii_squared(fake, k);  // (M,)
    PrecisionRecall pr;
    pr.precision = share_inside(fake, real, real_radii);
    pr.recall = share_inside(real, fake, fake_radii);
    return pr;
}

std::vector<int64_t> nearest_neighbours(const Tensor& queries, const Tensor& pool) {
    const char* fn = "nearest_neighbours";
    analysis_detail::check_matrix(queries, fn, "queries", 0);
    analysis_detail::check_matrix(pool, fn, "pool", 1);
    analysis_detail::check_same_width(queries, pool, fn, "queries", "pool");
    const int64_t m = queries.size(0), n = pool.size(0), d = queries.size(1);
    std::vector<int64_t> nearest(size_t(m), -1);  // (M,)
    for_each_distance_row(queries.data(), m, pool.data(), n, d, [&](int64_t i, float* row) {
        // std::min_element returns the first of equal minima: the lowest index.
        nearest[size_t(i)] = std::min_element(row, row + n) - row;
    });
    return nearest;
}

}  // namespace ganvas
