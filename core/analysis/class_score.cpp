#include "analysis/class_score.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "analysis/feature_checks.h"

namespace ganvas {
namespace {

// Probabilities must be a distribution per row: passing logits by mistake
// would otherwise give a number that looks like a score.
void check_probabilities(const Tensor& probs, const char* fn) {
    analysis_detail::check_matrix(probs, fn, "probabilities", 1);
    const int64_t n = probs.size(0), c = probs.size(1);
    const float* p = probs.data();
    for (int64_t i = 0; i < n; ++i) {
        double sum = 0.0;
        for (int64_t j = 0; j < c; ++j) {
            if (p[i * c + j] < 0.0f)
                throw std::invalid_argument(std::string(fn) + ": probabilities " +
                                            shape_str(probs.shape()) + " row " + std::to_string(i) +
                                            " has a negative entry");
            sum += p[i * c + j];
        }
        if (std::abs(sum - 1.0) > 1e-3)
            throw std::invalid_argument(std::string(fn) + ": probabilities " +
                                        shape_str(probs.shape()) + " row " + std::to_string(i) +
                                        " sums to " + std::to_string(sum) +
                                        ", not 1 (softmax outputs expected, not logits)");
    }
}

// p log(p / q) with the limit 0 at p = 0 (q = 0 implies p = 0 for a marginal).
double kl_term(double p, double q) {
    return p > 0.0 ? p * std::log(p / q) : 0.0;
}

}  // namespace

double inception_score(const Tensor& probs) {
    check_probabilities(probs, "inception_score");
    const int64_t n = probs.size(0), c = probs.size(1);
    const float* p = probs.data();                 // (N, C)
    std::vector<double> marginal(size_t(c), 0.0);  // p(y), (C,)
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < c; ++j) marginal[size_t(j)] += p[i * c + j];
    for (double& m : marginal) m /= double(n);
    double mean_kl = 0.0;
    for (int64_t i = 0; i < n; ++i) {
        double kl = 0.0;
        for (int64_t j = 0; j < c; ++j) kl += kl_term(p[i * c + j], marginal[size_t(j)]);
        mean_kl += kl / double(n);
    }
    return std::exp(mean_kl);
}

std::vector<int64_t> class_histogram(const Tensor& probs) {
    analysis_detail::check_matrix(probs, "class_histogram", "probabilities", 0);
    const int64_t n = probs.size(0), c = probs.size(1);
    const float* p = probs.data();              // (N, C)
    std::vector<int64_t> counts(size_t(c), 0);  // (C,)
    for (int64_t i = 0; i < n; ++i) {
        const float* row = p + i * c;
        ++counts[size_t(std::max_element(row, row + c) - row)];  // first maximum on ties
    }
    return counts;
}

}  // namespace ganvas
