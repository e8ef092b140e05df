// Activations: values, the derivative at the kink, first and second derivatives
// against finite differences, and fused backward == composed backward.
#include <gtest/gtest.h>

#include <cmath>

#include "autograd/autograd.h"
#include "support/gradcheck.h"

using namespace ganvas;
using ganvas::testing::gradcheck;
using ganvas::testing::gradgradcheck;
using ganvas::testing::leaf;

namespace {

// A leaf whose entries stay at least `gap` away from 0, so central differences
// of relu-like functions never straddle the kink.
Tensor away_from_zero(Rng& rng, const Shape& shape, float gap = 0.2f) {
    Tensor t = rng.randn(shape);
    float* p = t.data();
    for (int64_t i = 0; i < t.numel(); ++i) p[i] = p[i] >= 0.0f ? p[i] + gap : p[i] - gap;
    t.requires_grad_(true);
    return t;
}

// Gradients of sum(f(x) * w) from the fused (plain) and composed (create_graph) rules.
void expect_fused_matches_composed(const std::function<Tensor(const Tensor&)>& f, const Tensor& x) {
    Rng rng(99);
    Tensor w = rng.randn(x.shape());
    Tensor fused = grad({sum(mul(f(x), w))}, {x}, {}, false)[0];
    Tensor composed = grad({sum(mul(f(x), w))}, {x}, {}, true)[0];
    EXPECT_TRUE(composed.requires_grad());
    for (int64_t i = 0; i < x.numel(); ++i) EXPECT_NEAR(fused.data()[i], composed.data()[i], 1e-6f);
}

}  // namespace

TEST(Activation, Values) {
    Tensor x = Tensor::from_vector({5}, {-2.0f, -0.5f, 0.0f, 0.5f, 3.0f});
    EXPECT_EQ(relu(x).to_vector(), (std::vector<float>{0, 0, 0, 0.5f, 3}));
    std::vector<float> lr = leaky_relu(x, 0.2f).to_vector();
    std::vector<float> expect_lr{-0.4f, -0.1f, 0.0f, 0.5f, 3.0f};
    for (int i = 0; i < 5; ++i) EXPECT_FLOAT_EQ(lr[i], expect_lr[i]);
    std::vector<float> th = tanh(x).to_vector(), sg = sigmoid(x).to_vector();
    for (int i = 0; i < 5; ++i) {
        const float v = x.data()[i];
        EXPECT_NEAR(th[i], std::tanh(v), 1e-7f);
        EXPECT_NEAR(sg[i], 1.0 / (1.0 + std::exp(-static_cast<double>(v))), 1e-7f);
    }
    EXPECT_EQ(relu(Tensor::zeros({2, 0, 3})).shape(), (Shape{2, 0, 3}));
    const float inf = INFINITY;
    Tensor ext = Tensor::from_vector({3}, {-inf, inf, NAN});
    std::vector<float> r = relu(ext).to_vector(), l = leaky_relu(ext, 0.1f).to_vector();
    EXPECT_EQ(r[0], 0.0f);
    EXPECT_EQ(r[1], inf);
    EXPECT_TRUE(std::isnan(r[2]));
    EXPECT_EQ(l[0], -inf);
    EXPECT_EQ(l[1], inf);
    EXPECT_TRUE(std::isnan(l[2]));
}

TEST(Activation, SigmoidIsStableAtExtremes) {
    Tensor x = Tensor::from_vector({4}, {-200.0f, -80.0f, 90.0f, 200.0f});
    std::vector<float> s = sigmoid(x).to_vector();
    EXPECT_EQ(s[0], 0.0f);
    EXPECT_NEAR(s[1] / std::exp(-80.0), 1.0, 1e-5);  // e / (1 + e) keeps the tiny value
    EXPECT_EQ(s[2], 1.0f);
    EXPECT_EQ(s[3], 1.0f);
    std::vector<float> t = tanh(x).to_vector();
    EXPECT_EQ(t[0], -1.0f);
    EXPECT_EQ(t[3], 1.0f);
}

TEST(Activation, DerivativeAtZeroUsesNegativeSlope) {
    // PyTorch's convention: the mask is x > 0, so at exactly 0 the slope is the negative side's.
    Tensor x = Tensor::from_vector({3}, {-1.0f, 0.0f, 1.0f}).requires_grad_();
    sum(relu(x)).backward();
    EXPECT_EQ(x.grad().to_vector(), (std::vector<float>{0.0f, 0.0f, 1.0f}));
    x.zero_grad();
    sum(leaky_relu(x, 0.2f)).backward();
    EXPECT_EQ(x.grad().to_vector(), (std::vector<float>{0.2f, 0.2f, 1.0f}));
}

TEST(Activation, Gradcheck) {
    Rng rng(10);
    Tensor x = away_from_zero(rng, {3, 5});
    Tensor y = leaf(rng, {2, 3, 4}, 2.0f);
    EXPECT_TRUE(gradcheck([](auto& in) { return relu(in[0]); }, {x}));
    EXPECT_TRUE(gradcheck([](auto& in) { return leaky_relu(in[0], 0.2f); }, {x}));
    EXPECT_TRUE(gradcheck([](auto& in) { return leaky_relu(in[0]); }, {x}));
    EXPECT_TRUE(gradcheck([](auto& in) { return tanh(in[0]); }, {y}));
    EXPECT_TRUE(gradcheck([](auto& in) { return sigmoid(in[0]); }, {y}));
}

TEST(Activation, Gradgradcheck) {
    Rng rng(11);
    Tensor x = away_from_zero(rng, {3, 4});
    Tensor y = leaf(rng, {3, 4});
    EXPECT_TRUE(gradgradcheck([](auto& in) { return tanh(in[0]); }, {y}));
    EXPECT_TRUE(gradgradcheck([](auto& in) { return sigmoid(in[0]); }, {y}));
    EXPECT_TRUE(gradgradcheck([](auto& in) { return relu(in[0]); }, {x}));
    EXPECT_TRUE(gradgradcheck([](auto& in) { return leaky_relu(in[0], 0.2f); }, {x}));
    // Second derivatives that pass through leaky_relu_backward's gradient w.r.t. its
    // incoming gradient: the inner activation's gradient depends on y.
    Tensor y2 = away_from_zero(rng, {3, 4}, 0.3f);
    EXPECT_TRUE(gradgradcheck(
        [](auto& in) { return leaky_relu(mul(leaky_relu(in[0], 0.2f), in[1]), 0.1f); }, {x, y2}));
    EXPECT_TRUE(gradgradcheck([](auto& in) { return mul(tanh(in[0]), sigmoid(in[1])); }, {y, y2}));
}

TEST(Activation, LeakyReluSecondDerivativeByHand) {
    // f(x, a) = sum(leaky_relu(a * x)); df/dx = a * mask(a x); d/da of that = mask(a x).
    Tensor x = Tensor::from_vector({3}, {-1.0f, 2.0f, 0.5f}).requires_grad_();
    Tensor a = Tensor::scalar(1.5f).requires_grad_();
    Tensor gx = grad({sum(leaky_relu(mul(x, a), 0.1f))}, {x}, {}, true)[0];
    EXPECT_EQ(gx.to_vector(), (std::vector<float>{0.15f, 1.5f, 1.5f}));
    Tensor ga = grad({sum(gx)}, {a})[0];
    EXPECT_FLOAT_EQ(ga.item(), 0.1f + 1.0f + 1.0f);
}

TEST(Activation, FusedBackwardMatchesComposed) {
    Rng rng(12);
    Tensor x = leaf(rng, {4, 300}, 3.0f);  // big enough to be split over threads
    expect_fused_matches_composed([](const Tensor& t) { return tanh(t); }, x);
    expect_fused_matches_composed([](const Tensor& t) { return sigmoid(t); }, x);
    expect_fused_matches_composed([](const Tensor& t) { return leaky_relu(t, 0.2f); }, x);
}

TEST(Activation, RejectsInt64) {
    Tensor i = Tensor::from_vector_i64({2}, {1, 2});
    EXPECT_THROW(relu(i), std::invalid_argument);
    EXPECT_THROW(tanh(i), std::invalid_argument);
}
