#include "analysis/class_agreement.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "analysis/frechet_distance.h"
#include "ops/ops.h"

namespace ganvas {
namespace {

constexpr int64_t kClasses = 10;  // classifier28's outputs
const double kNan = std::numeric_limits<double>::quiet_NaN();

void check_labels(const Tensor& labels, int64_t n, const char* what) {
    if (labels.dtype() != DType::i64 || labels.dim() != 1 || labels.size(0) != n)
        throw std::invalid_argument(std::string(what) + " must be " + std::to_string(n) +
                                    " int64 labels, got " + shape_str(labels.shape()));
    for (int64_t i = 0; i < n; ++i)
        if (labels.data_i64()[i] < 0 || labels.data_i64()[i] >= kClasses)
            throw std::invalid_argument(std::string(what) + " holds class " +
                                        std::to_string(labels.data_i64()[i]) +
                                        "; classifier28 knows classes 0 to 9");
}

// The rows of `features` (N, D) whose label is `c`.
Tensor rows_of_class(const Tensor& features, const Tensor& labels, int64_t c) {
    std::vector<int64_t> rows;
    for (int64_t i = 0; i < labels.numel(); ++i)
        if (labels.data_i64()[i] == c) rows.push_back(i);
    const int64_t d = features.size(1);
    Tensor out = Tensor::empty({static_cast<int64_t>(rows.size()), d});  // (n_c, D)
    for (size_t r = 0; r < rows.size(); ++r)
        std::copy(features.data() + rows[r] * d, features.data() + (rows[r] + 1) * d,
                  out.data() + r * d);
    return out;
}

}  // namespace

ClassAgreement class_agreement(Classifier28& classifier, const Tensor& fake,
                               const Tensor& requested, const Tensor& real,
                               const Tensor& real_labels) {
    check_labels(requested, fake.size(0), "the requested classes");
    check_labels(real_labels, real.size(0), "the real images' labels");
    Classifier28::Outputs out = classifier.evaluate(fake);
    Tensor predicted = argmax(out.probabilities, 1);            // (N,)
    Tensor real_features = classifier.evaluate(real).features;  // (M, 128)

    ClassAgreement r;
    r.count.assign(kClasses, 0);
    std::vector<int64_t> agreed(kClasses, 0);
    int64_t agreed_all = 0;
    for (int64_t i = 0; i < requested.numel(); ++i) {
        const int64_t c = requested.data_i64()[i];
        const bool same = predicted.data_i64()[i] == c;
        ++r.count[c];
        agreed[c] += same;
        agreed_all += same;
    }
    r.overall = requested.numel() ? static_cast<double>(agreed_all) / requested.numel() : kNan;
    for (int64_t c = 0; c < kClasses; ++c) {
        r.agreement.push_back(r.count[c] ? static_cast<double>(agreed[c]) / r.count[c] : kNan);
        Tensor mine = rows_of_class(out.features, requested, c);
        Tensor theirs = rows_of_class(real_features, real_labels, c);
        r.ffd.push_back(mine.size(0) >= 2 && theirs.size(0) >= 2
                            ? frechet_distance(fit_gaussian(theirs), fit_gaussian(mine))
                            : kNan);
    }
    return r;
}

}  // namespace ganvas
