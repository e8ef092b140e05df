#include "analysis/js_divergence.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace ganvas {
namespace {

double total(std::span<const float> density, const char* which) {
    double sum = 0;
    for (size_t i = 0; i < density.size(); ++i) {
        if (!std::isfinite(density[i]) || density[i] < 0)
            throw std::invalid_argument(std::string("js_divergence: ") + which + "[" +
                                        std::to_string(i) + "] is " + std::to_string(density[i]) +
                                        "; a density is finite and non-negative");
        sum += density[i];
    }
    if (sum <= 0)
        throw std::invalid_argument(std::string("js_divergence: ") + which +
                                    " is zero everywhere; it has no mass to compare");
    return sum;
}

}  // namespace

double js_divergence(std::span<const float> p, std::span<const float> q) {
    if (p.size() != q.size())
        throw std::invalid_argument("js_divergence: the densities have " +
                                    std::to_string(p.size()) + " and " + std::to_string(q.size()) +
                                    " grid points, not the same");
    if (p.empty()) throw std::invalid_argument("js_divergence: the grid is empty");
    const double p_sum = total(p, "p"), q_sum = total(q, "q");
    // Where one density is 0 its KL term is 0 (x log x -> 0); where the other is,
    // m = a / 2 and the term is a log 2: disjoint supports add up to ln 2.
    double js = 0;
    for (size_t i = 0; i < p.size(); ++i) {
        const double a = p[i] / p_sum, b = q[i] / q_sum, m = (a + b) / 2;
        if (a > 0) js += 0.5 * a * std::log(a / m);
        if (b > 0) js += 0.5 * b * std::log(b / m);
    }
    return std::max(0.0, js);  // rounding can leave -1e-17 for equal densities
}

}  // namespace ganvas
