// Softmax, log-softmax, cross-entropy and argmax: values against a double-precision
// reference along every dim, stability at extreme logits, first and second
// derivatives against finite differences, and fused backward == composed backward.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>

#include "autograd/autograd.h"
#include "support/gradcheck.h"

using namespace ganvas;
using ganvas::testing::gradcheck;
using ganvas::testing::gradgradcheck;
using ganvas::testing::leaf;

namespace {

// softmax (or log_softmax) of x along d, in double, the plain way.
std::vector<double> reference(const Tensor& x, int64_t d, bool log) {
    const Shape& s = x.shape();
    int64_t outer = 1, n = s[d], inner = 1;
    for (int64_t i = 0; i < d; ++i) outer *= s[i];
    for (int64_t i = d + 1; i < x.dim(); ++i) inner *= s[i];
    std::vector<double> out(x.numel());
    const float* p = x.data();
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t i = 0; i < inner; ++i) {
            const int64_t base = o * n * inner + i;
            double m = -INFINITY, z = 0.0;
            for (int64_t r = 0; r < n; ++r) m = std::max(m, double(p[base + r * inner]));
            for (int64_t r = 0; r < n; ++r) z += std::exp(p[base + r * inner] - m);
            for (int64_t r = 0; r < n; ++r) {
                const double t = p[base + r * inner] - m;
                out[base + r * inner] = log ? t - std::log(z) : std::exp(t) / z;
            }
        }
    return out;
}

void expect_matches_reference(const Tensor& x, int64_t d) {
    for (bool log : {false, true}) {
        Tensor y = log ? log_softmax(x, d) : softmax(x, d);
        ASSERT_EQ(y.shape(), x.shape());
        std::vector<double> want = reference(x, d < 0 ? d + x.dim() : d, log);
        for (int64_t i = 0; i < x.numel(); ++i)
            ASSERT_NEAR(y.data()[i], want[i], 1e-6 + 1e-5 * std::fabs(want[i]))
                << (log ? "log_softmax" : "softmax") << " dim " << d << " element " << i;
    }
}

// Gradients of sum(f(x) * w) from the fused (plain) and composed (create_graph) rules,
// equal up to float rounding (relative to each value).
void expect_fused_matches_composed(const std::function<Tensor(const Tensor&)>& f, const Tensor& x,
                                   float tol = 1e-6f) {
    Rng rng(99);
    Tensor w;
    {
        NoGradGuard no_grad;
        w = rng.randn(f(x).shape());
    }
    Tensor fused = grad({sum(mul(f(x), w))}, {x}, {}, false)[0];
    Tensor composed = grad({sum(mul(f(x), w))}, {x}, {}, true)[0];
    EXPECT_TRUE(composed.requires_grad());
    for (int64_t i = 0; i < x.numel(); ++i) {
        const float c = composed.data()[i];
        ASSERT_NEAR(fused.data()[i], c, tol * (1.0f + std::fabs(c))) << "element " << i;
    }
}

Tensor targets(const std::vector<int64_t>& t) {
    return Tensor::from_vector_i64({static_cast<int64_t>(t.size())}, t);
}

}  // namespace

TEST(Softmax, MatchesReferenceAlongEveryDim) {
    Rng rng(1);
    Tensor x = leaf(rng, {3, 4, 5}, 3.0f);
    for (int64_t d : {0, 1, 2, -1, -2, -3}) expect_matches_reference(x, d);
    // Big enough that rows and lane blocks are split over threads; inner 300 > one lane block.
    Tensor big = leaf(rng, {6, 40, 300}, 2.0f);
    for (int64_t d : {0, 1, 2}) expect_matches_reference(big, d);
    expect_matches_reference(leaf(rng, {2, 3000}), 1);  // rows longer than one sum block
}

TEST(Softmax, RowsSumToOneAndLogIsLogOfSoftmax) {
    Rng rng(2);
    Tensor x = leaf(rng, {4, 7});
    Tensor s = sum(softmax(x, 1), {1});
    for (float v : s.to_vector()) EXPECT_NEAR(v, 1.0f, 1e-6f);
    std::vector<float> a = log_softmax(x).to_vector(), b = log(softmax(x)).to_vector();
    for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-6f);
}

TEST(Softmax, StableAtExtremesAndMasks) {
    const float inf = INFINITY;
    Tensor x = Tensor::from_vector({2, 4}, {1000.0f, -1000.0f, 999.0f, 0.0f,  //
                                            -inf, 2.0f, -inf, 2.0f});
    std::vector<float> y = softmax(x).to_vector(), ly = log_softmax(x).to_vector();
    EXPECT_NEAR(y[0], 1.0 / (1.0 + std::exp(-1.0)), 1e-6);
    EXPECT_EQ(y[1], 0.0f);
    EXPECT_NEAR(ly[1], -2000.0f - std::log1p(std::exp(-1.0)), 1e-2);  // finite, not -inf
    EXPECT_NEAR(ly[2], -1.0 - std::log1p(std::exp(-1.0)), 1e-5);
    // -inf is a mask: exactly 0 probability, as torch (Eigen's exp alone gives 2.9e-39).
    EXPECT_EQ(y[4], 0.0f);
    EXPECT_EQ(y[6], 0.0f);
    EXPECT_FLOAT_EQ(y[5], 0.5f);
    EXPECT_EQ(ly[4], -inf);
    for (int i : {0, 1, 2, 3, 5, 7}) EXPECT_TRUE(std::isfinite(ly[i])) << i;
    // The same along a non-last dim (the strided kernel).
    Tensor xt = transpose(x, 0, 1);  // (4, 2)
    std::vector<float> yt = softmax(xt, 0).to_vector();
    EXPECT_EQ(yt[0 * 2 + 1], 0.0f);
    EXPECT_EQ(yt[2 * 2 + 1], 0.0f);
    EXPECT_FLOAT_EQ(yt[1 * 2 + 1], 0.5f);
    // A NaN poisons its own row only, as torch.
    Tensor n = Tensor::from_vector({2, 2}, {NAN, 1.0f, 0.0f, 0.0f});
    std::vector<float> yn = softmax(n).to_vector();
    EXPECT_TRUE(std::isnan(yn[0]) && std::isnan(yn[1]));
    EXPECT_FLOAT_EQ(yn[2], 0.5f);
}

TEST(Softmax, EdgeShapes) {
    EXPECT_FLOAT_EQ(softmax(Tensor::scalar(3.0f)).item(), 1.0f);
    EXPECT_FLOAT_EQ(log_softmax(Tensor::scalar(3.0f), 0).item(), 0.0f);
    EXPECT_EQ(softmax(Tensor::zeros({2, 0, 3}), 1).shape(), (Shape{2, 0, 3}));
    EXPECT_EQ(log_softmax(Tensor::zeros({0, 4})).shape(), (Shape{0, 4}));
    EXPECT_THROW(softmax(Tensor::zeros({2, 3}), 2), std::invalid_argument);
    EXPECT_THROW(log_softmax(Tensor::zeros({2, 3}), -3), std::invalid_argument);
    EXPECT_THROW(softmax(Tensor::from_vector_i64({2}, {1, 2})), std::invalid_argument);
}

TEST(Softmax, Gradcheck) {
    Rng rng(3);
    Tensor x = leaf(rng, {2, 3, 4});
    for (int64_t d : {0, 1, -1}) {
        EXPECT_TRUE(gradcheck([d](auto& in) { return softmax(in[0], d); }, {x})) << d;
        EXPECT_TRUE(gradcheck([d](auto& in) { return log_softmax(in[0], d); }, {x})) << d;
    }
}

TEST(Softmax, Gradgradcheck) {
    Rng rng(4);
    Tensor x = leaf(rng, {2, 3, 4});
    for (int64_t d : {0, 1, -1}) {
        EXPECT_TRUE(gradgradcheck([d](auto& in) { return softmax(in[0], d); }, {x})) << d;
        EXPECT_TRUE(gradgradcheck([d](auto& in) { return log_softmax(in[0], d); }, {x})) << d;
    }
    // Second derivatives that pass through the gradient w.r.t. the incoming gradient.
    Tensor y = leaf(rng, {2, 3, 4});
    EXPECT_TRUE(gradgradcheck(
        [](auto& in) { return softmax(mul(log_softmax(in[0], 1), in[1]), 2); }, {x, y}));
}

TEST(Softmax, FusedBackwardMatchesComposed) {
    Rng rng(5);
    Tensor x = leaf(rng, {8, 40, 300}, 2.0f);  // split over threads; strided blocks of lanes
    for (int64_t d : {0, 1, 2}) {
        expect_fused_matches_composed([d](const Tensor& t) { return softmax(t, d); }, x);
        expect_fused_matches_composed([d](const Tensor& t) { return log_softmax(t, d); }, x);
    }
}

TEST(CrossEntropy, ValuesAgainstLogSoftmax) {
    Rng rng(6);
    Tensor x = leaf(rng, {5, 4}, 2.0f);
    Tensor t = targets({3, 0, 1, 1, 2});
    Tensor lsm = log_softmax(x, 1);
    double want = 0.0;
    for (int64_t n = 0; n < 5; ++n) want -= lsm.data()[n * 4 + t.data_i64()[n]];
    EXPECT_NEAR(cross_entropy(x, t).item(), want / 5, 1e-6);
    EXPECT_EQ(cross_entropy(x, t).shape(), Shape{});
}

TEST(CrossEntropy, LargeLogitsStayFinite) {
    Tensor x = Tensor::from_vector({2, 3}, {80.0f, -80.0f, 0.0f, -1000.0f, 1000.0f, 0.0f});
    x.requires_grad_(true);
    Tensor loss = cross_entropy(x, targets({1, 0}));
    EXPECT_NEAR(loss.item(), (160.0 + 2000.0) / 2, 1e-3);
    loss.backward();
    std::vector<float> g = x.grad().to_vector();
    // (softmax - onehot) / N: the targets' probabilities are 0, the winners' 1.
    std::vector<float> want{0.5f, -0.5f, 0.0f, -0.5f, 0.5f, 0.0f};
    for (int i = 0; i < 6; ++i) EXPECT_NEAR(g[i], want[i], 1e-6f) << i;
}

TEST(CrossEntropy, BadTargetsNameTheIndex) {
    Tensor x = Tensor::zeros({3, 4});
    try {
        cross_entropy(x, targets({0, 4, 1}));
        FAIL() << "no throw";
    } catch (const std::invalid_argument& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("target 4 at index 1"), std::string::npos) << msg;
        EXPECT_NE(msg.find("(3, 4)"), std::string::npos) << msg;
    }
    EXPECT_THROW(cross_entropy(x, targets({0, -1, 1})), std::invalid_argument);
    EXPECT_THROW(cross_entropy(x, targets({0, 1})), std::invalid_argument);     // N differs
    EXPECT_THROW(cross_entropy(x, Tensor::zeros({3})), std::invalid_argument);  // float target
    EXPECT_THROW(cross_entropy(Tensor::zeros({3, 4, 1}), targets({0, 1, 2})),
                 std::invalid_argument);
}

TEST(CrossEntropy, GradcheckAndGradgradcheck) {
    Rng rng(7);
    Tensor x = leaf(rng, {4, 5});
    Tensor t = targets({4, 0, 2, 2});
    EXPECT_TRUE(gradcheck([t](auto& in) { return cross_entropy(in[0], t); }, {x}));
    EXPECT_TRUE(gradgradcheck([t](auto& in) { return cross_entropy(in[0], t); }, {x}));
    // Through the gradient w.r.t. the loss's incoming gradient: a scaled loss.
    Tensor a = leaf(rng, {1, 5});
    EXPECT_TRUE(gradgradcheck(
        [t](auto& in) { return mul(cross_entropy(mul(in[0], in[1]), t), sum(in[1])); }, {x, a}));
}

TEST(CrossEntropy, FusedBackwardMatchesComposed) {
    Rng rng(8);
    Tensor x = leaf(rng, {300, 70}, 3.0f);
    std::vector<int64_t> t(300);
    for (int64_t i = 0; i < 300; ++i) t[i] = rng.randint(70);
    Tensor tt = targets(t);
    expect_fused_matches_composed([tt](const Tensor& l) { return cross_entropy(l, tt); }, x);
}

TEST(Argmax, FirstMaximumAlongAnyDim) {
    Tensor x = Tensor::from_vector({2, 3}, {1.0f, 5.0f, 5.0f,  //
                                            7.0f, -1.0f, 7.0f});
    Tensor a1 = argmax(x, 1);
    EXPECT_EQ(a1.dtype(), DType::i64);
    EXPECT_EQ(a1.shape(), Shape{2});
    EXPECT_EQ(a1.data_i64()[0], 1);  // ties go to the first
    EXPECT_EQ(a1.data_i64()[1], 0);
    Tensor a0 = argmax(x, 0);
    EXPECT_EQ(a0.shape(), Shape{3});
    EXPECT_EQ((std::vector<int64_t>(a0.data_i64(), a0.data_i64() + 3)),
              (std::vector<int64_t>{1, 0, 1}));
    Tensor n = Tensor::from_vector({1, 4}, {1.0f, NAN, 9.0f, NAN});
    EXPECT_EQ(argmax(n, -1).data_i64()[0], 1);  // NaN is the largest; the first one wins
    EXPECT_EQ(argmax(Tensor::scalar(2.0f), 0).shape(), Shape{});
    EXPECT_THROW(argmax(Tensor::zeros({2, 0}), 1), std::invalid_argument);
    EXPECT_THROW(argmax(x, 2), std::invalid_argument);
}

TEST(Argmax, LongRowsFindTheFirstMaximumOrTheFirstNaNWherever) {
    // Rows long enough for the vectorized pass (16 lanes, then a tail): the
    // answer in the first lane block, in a later one, in the tail, tied, -inf
    // everywhere, and NaNs before and after the maximum.
    for (int64_t n : {32, 47, 256, 259}) {
        auto row_with = [n](std::vector<std::pair<int64_t, float>> set) {
            std::vector<float> v(static_cast<size_t>(n));
            for (int64_t i = 0; i < n; ++i) v[i] = -1.0f - 0.001f * static_cast<float>(i % 7);
            for (auto [at, value] : set) v[at] = value;
            return argmax(Tensor::from_vector({1, n}, v), 1).data_i64()[0];
        };
        for (int64_t at : {int64_t{0}, int64_t{5}, int64_t{17}, n - 1, n - 2})
            EXPECT_EQ(row_with({{at, 3.0f}}), at) << "n " << n;
        EXPECT_EQ(row_with({{20, 3.0f}, {3, 3.0f}, {n - 1, 3.0f}}), 3) << "ties: the first";
        EXPECT_EQ(row_with({{n - 1, NAN}, {2, 9.0f}}), n - 1) << "a NaN in the tail wins";
        EXPECT_EQ(row_with({{30, NAN}, {20, NAN}, {1, 9.0f}}), 20) << "the first NaN";
        EXPECT_EQ(row_with({{2, NAN}, {20, 9.0f}}), 2) << "a NaN in the first block";
        EXPECT_EQ(row_with({{4, 3.0f}, {n - 3, 3.0f}}), 4) << "ties across lanes";
        std::vector<float> ninf(static_cast<size_t>(n), -INFINITY);
        EXPECT_EQ(argmax(Tensor::from_vector({1, n}, ninf), 1).data_i64()[0], 0);
        std::vector<float> zeros(static_cast<size_t>(n), 0.0f);
        zeros[0] = -0.0f;  // -0 equals +0: the first zero, as a strict > keeps it
        EXPECT_EQ(argmax(Tensor::from_vector({1, n}, zeros), 1).data_i64()[0], 0);
    }
}

TEST(Argmax, MatchesBruteForceOnLargeInputs) {
    Rng rng(9);
    Tensor x = rng.randn({50, 30, 40});  // split over threads along every dim
    const Shape& s = x.shape();
    for (int64_t d : {0, 1, 2}) {
        Tensor a = argmax(x, d);
        int64_t inner = 1;
        for (int64_t i = d + 1; i < 3; ++i) inner *= s[i];
        for (int64_t p = 0; p < a.numel(); ++p) {
            const float* v = x.data() + (p / inner) * s[d] * inner + p % inner;
            int64_t best = 0;
            for (int64_t r = 1; r < s[d]; ++r)
                if (v[r * inner] > v[best * inner]) best = r;
            ASSERT_EQ(a.data_i64()[p], best) << "dim " << d << " position " << p;
        }
    }
}
