// Exact Wasserstein-1 distances between two empirical samples.
//
// 1-D: W1 is the area between the two CDFs; for equal sizes that is the mean
// distance between the sorted samples. 2-D: for equal-size samples the optimal
// plan is a permutation (Birkhoff-von Neumann), found exactly by the Hungarian
// method with potentials (Kuhn-Munkres, Jonker-Volgenant's shortest augmenting
// paths) in O(n^3).
#pragma once

#include <vector>

#include "tensor/tensor.h"

namespace ganvas {

// W1 between the empirical distributions of `a` and `b` (any sizes, not empty).
double wasserstein1_1d(std::vector<double> a, std::vector<double> b);

struct Assignment {
    double total_cost = 0;   // sum of cost[i][match[i]], minimal
    std::vector<int> match;  // row i is matched with column match[i]; a permutation
};

// Minimal-cost perfect matching of an n x n cost matrix given row-major.
// Throws std::invalid_argument when cost.size() != n * n or a cost is not finite.
Assignment optimal_assignment(const std::vector<double>& cost, int n);

struct TransportPlan {
    double w1 = 0;           // mean Euclidean distance of the optimal matching
    std::vector<int> match;  // point i of `a` goes to point match[i] of `b`
};

// Exact W1 between equal-size point sets a, b (n, d), Euclidean ground cost.
// Throws std::invalid_argument on different shapes, n > max_points, or n == 0.
TransportPlan wasserstein1_exact(const Tensor& a, const Tensor& b, int max_points = 1024);

}  // namespace ganvas
