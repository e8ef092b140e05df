#include "analysis/wasserstein.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace ganvas {

double wasserstein1_1d(std::vector<double> a, std::vector<double> b) {
    if (a.empty() || b.empty()) throw std::invalid_argument("W1 needs two non-empty samples");
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    if (a.size() == b.size()) {  // the monotone matching is optimal on the line
        double total = 0;
        for (size_t i = 0; i < a.size(); ++i) total += std::fabs(a[i] - b[i]);
        return total / static_cast<double>(a.size());
    }
    // Different sizes: integrate |F_a - F_b| between consecutive breakpoints.
    const double na = static_cast<double>(a.size()), nb = static_cast<double>(b.size());
    size_t i = 0, j = 0;
    double x = std::min(a[0], b[0]), total = 0;
    while (i < a.size() || j < b.size()) {
        const double next = j == b.size() || (i < a.size() && a[i] <= b[j]) ? a[i] : b[j];
        total += std::fabs(i / na - j / nb) * (next - x);
        x = next;
        while (i < a.size() && a[i] == x) ++i;
        while (j < b.size() && b[j] == x) ++j;
    }
    return total;
}

// The Hungarian method with row/column potentials u, v: rows are added one at a
// time, each by a Dijkstra-like search for the shortest augmenting path in
// reduced costs (cost - u - v >= 0). Each row costs O(n^2), the whole O(n^3).
Assignment optimal_assignment(const std::vector<double>& cost, int n) {
    if (n < 0 || cost.size() != static_cast<size_t>(n) * static_cast<size_t>(n))
        throw std::invalid_argument("assignment: cost matrix has " + std::to_string(cost.size()) +
                                    " entries, not " + std::to_string(n) + " x " +
                                    std::to_string(n));
    for (double c : cost)
        if (!std::isfinite(c)) throw std::invalid_argument("assignment: a cost is not finite");
    const double inf = std::numeric_limits<double>::infinity();
    // 1-based columns; column 0 is a virtual start whose row is the one being added.
    std::vector<double> u(n + 1, 0), v(n + 1, 0), min_to(n + 1);
    std::vector<int> row_of(n + 1, 0), way(n + 1, 0);
    std::vector<char> used(n + 1);
    for (int row = 1; row <= n; ++row) {
        row_of[0] = row;
        int j0 = 0;
        std::fill(min_to.begin(), min_to.end(), inf);
        std::fill(used.begin(), used.end(), 0);
        do {
            used[j0] = 1;
            const int i0 = row_of[j0];
            const double* c = cost.data() + static_cast<size_t>(i0 - 1) * n;
            double delta = inf;
            int j1 = 0;
            for (int j = 1; j <= n; ++j) {
                if (used[j]) continue;
                const double reduced = c[j - 1] - u[i0] - v[j];
                if (reduced < min_to[j]) min_to[j] = reduced, way[j] = j0;
                if (min_to[j] < delta) delta = min_to[j], j1 = j;
            }
            for (int j = 0; j <= n; ++j) {
                if (used[j]) {
                    u[row_of[j]] += delta;
                    v[j] -= delta;
                } else {
                    min_to[j] -= delta;
                }
            }
            j0 = j1;
        } while (row_of[j0] != 0);
        do {  // flip the augmenting path back to the start
            const int j1 = way[j0];
            row_of[j0] = row_of[j1];
            j0 = j1;
        } while (j0 != 0);
    }
    Assignment out;
    out.match.assign(n, -1);
    for (int j = 1; j <= n; ++j) out.match[row_of[j] - 1] = j - 1;
    for (int i = 0; i < n; ++i) out.total_cost += cost[static_cast<size_t>(i) * n + out.match[i]];
    return out;
}

TransportPlan wasserstein1_exact(const Tensor& a, const Tensor& b, int max_points) {
    if (a.dim() != 2 || a.shape() != b.shape())
        throw std::invalid_argument("exact W1 needs two point sets of one shape (n, d), got " +
                                    shape_str(a.shape()) + " and " + shape_str(b.shape()));
    const int64_t n = a.size(0), d = a.size(1);
    if (n < 1 || n > max_points)
        throw std::invalid_argument("exact W1 takes 1 to " + std::to_string(max_points) +
                                    " points, not " + std::to_string(n));
    std::vector<double> cost(static_cast<size_t>(n * n));  // (n, n) Euclidean distances
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < n; ++j) {
            double s = 0;
            for (int64_t k = 0; k < d; ++k) {
                const double diff = double(a.data()[i * d + k]) - double(b.data()[j * d + k]);
                s += diff * diff;
            }
            cost[i * n + j] = std::sqrt(s);
        }
    Assignment best = optimal_assignment(cost, static_cast<int>(n));
    return {best.total_cost / static_cast<double>(n), best.match};
}

}  // namespace ganvas
