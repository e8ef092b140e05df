// Inception-style score and class histogram on probability matrices whose
// answers follow from the definition: one-hot and even gives C, identical gives 1.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "analysis/class_score.h"

using namespace ganvas;

namespace {

// n rows, row i one-hot at class label(i), over c classes.
template <class Label>
Tensor one_hot(int64_t n, int64_t c, Label label) {
    Tensor t = Tensor::zeros({n, c});  // (n, c)
    for (int64_t i = 0; i < n; ++i) t.data()[i * c + label(i)] = 1.0f;
    return t;
}

}  // namespace

TEST(InceptionScore, ConfidentAndEvenIsTheClassCount) {
    // p(y|x) one-hot, p(y) uniform: KL = log C for every sample, score C.
    for (int64_t c : {2, 10}) {
        const Tensor probs = one_hot(50 * c, c, [c](int64_t i) { return i % c; });
        EXPECT_NEAR(inception_score(probs), double(c), 1e-9) << c;
    }
}

TEST(InceptionScore, IdenticalPredictionsScoreOne) {
    // Every row equals the marginal, so every KL is 0.
    const std::vector<float> row = {0.1f, 0.2f, 0.3f, 0.4f};
    std::vector<float> values;
    for (int i = 0; i < 25; ++i) values.insert(values.end(), row.begin(), row.end());
    EXPECT_NEAR(inception_score(Tensor::from_vector({25, 4}, values)), 1.0, 1e-9);
    EXPECT_NEAR(inception_score(one_hot(30, 10, [](int64_t) { return 3; })), 1.0, 1e-12);
}

TEST(InceptionScore, TwoClassExampleByHand) {
    // Rows (1, 0) and (0.5, 0.5): p(y) = (0.75, 0.25). KL of the first is
    // log(1 / 0.75); of the second 0.5 log(0.5 / 0.75) + 0.5 log(0.5 / 0.25).
    const Tensor probs = Tensor::from_vector({2, 2}, {1, 0, 0.5f, 0.5f});
    const double kl1 = std::log(1.0 / 0.75);
    const double kl2 = 0.5 * std::log(0.5 / 0.75) + 0.5 * std::log(2.0);
    EXPECT_NEAR(inception_score(probs), std::exp(0.5 * (kl1 + kl2)), 1e-12);
}

TEST(InceptionScore, RejectsWhatAreNotProbabilities) {
    EXPECT_THROW(inception_score(Tensor::from_vector({1, 3}, {2.0f, -1.0f, 0.5f})),
                 std::invalid_argument);  // logits
    EXPECT_THROW(inception_score(Tensor::from_vector({1, 2}, {0.7f, 0.7f})),
                 std::invalid_argument);  // does not sum to 1
    EXPECT_THROW(inception_score(Tensor::zeros({0, 10})), std::invalid_argument);
    EXPECT_THROW(inception_score(Tensor::from_vector({2}, {0.5f, 0.5f})), std::invalid_argument);
    EXPECT_THROW(
        inception_score(Tensor::from_vector({1, 2}, {std::numeric_limits<float>::quiet_NaN(), 1})),
        std::invalid_argument);
}

TEST(ClassHistogram, CountsArgmaxes) {
    const Tensor probs =
        Tensor::from_vector({5, 3}, {0.7f, 0.2f, 0.1f, 0.1f, 0.1f, 0.8f, 0.2f, 0.5f, 0.3f, 0.0f,
                                     0.4f, 0.6f, 0.4f, 0.4f, 0.2f});  // tie: class 0
    EXPECT_EQ(class_histogram(probs), (std::vector<int64_t>{2, 1, 2}));
    EXPECT_EQ(class_histogram(one_hot(40, 10, [](int64_t i) { return i % 4; })),
              (std::vector<int64_t>{10, 10, 10, 10, 0, 0, 0, 0, 0, 0}));
    EXPECT_EQ(class_histogram(Tensor::zeros({0, 3})), (std::vector<int64_t>{0, 0, 0}));
}
