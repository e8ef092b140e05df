// Losses: values by hand, stability at extreme logits, gradients and second
// derivatives against finite differences, shape errors.
#include <gtest/gtest.h>

#include <cmath>

#include "support/gradcheck.h"

using namespace ganvas;
using ganvas::testing::gradcheck;
using ganvas::testing::gradgradcheck;
using ganvas::testing::leaf;

namespace {

double bce_ref(double x, double t) {
    return -(t * std::log(1.0 / (1.0 + std::exp(-x))) +
             (1.0 - t) * std::log(1.0 - 1.0 / (1.0 + std::exp(-x))));
}

Tensor targets01(Rng& rng, const Shape& shape) {
    Tensor t = rng.rand(shape);  // soft labels in [0, 1)
    t.requires_grad_(true);
    return t;
}

}  // namespace

TEST(Loss, ValuesByHand) {
    Tensor x = Tensor::from_vector({2, 2}, {0.5f, -1.0f, 2.0f, 0.0f});
    Tensor t = Tensor::from_vector({2, 2}, {1.0f, 0.0f, 0.25f, 1.0f});
    double bce = 0.0, mse = 0.0, l1 = 0.0;
    for (int i = 0; i < 4; ++i) {
        const double xi = x.data()[i], ti = t.data()[i];
        bce += bce_ref(xi, ti) / 4.0;
        mse += (xi - ti) * (xi - ti) / 4.0;
        l1 += std::fabs(xi - ti) / 4.0;
    }
    EXPECT_NEAR(binary_cross_entropy_with_logits(x, t).item(), bce, 1e-6);
    EXPECT_NEAR(mse_loss(x, t).item(), mse, 1e-6);
    EXPECT_NEAR(l1_loss(x, t).item(), l1, 1e-6);
    EXPECT_EQ(mse_loss(x, t).shape(), Shape{});
}

TEST(Loss, BceIsStableForExtremeLogits) {
    Tensor x = Tensor::from_vector({4}, {100.0f, -100.0f, 100.0f, -100.0f});
    Tensor t = Tensor::from_vector({4}, {0.0f, 1.0f, 1.0f, 0.0f});
    x.requires_grad_(true);
    Tensor loss = binary_cross_entropy_with_logits(x, t);
    EXPECT_NEAR(loss.item(), (100.0 + 100.0) / 4.0, 1e-4);  // the two confident wrong answers
    loss.backward();
    std::vector<float> g = x.grad().to_vector();
    EXPECT_NEAR(g[0], 0.25f, 1e-7f);
    EXPECT_NEAR(g[1], -0.25f, 1e-7f);
    EXPECT_NEAR(g[2], 0.0f, 1e-7f);
    EXPECT_NEAR(g[3], 0.0f, 1e-7f);
}

TEST(Loss, GradientsByHand) {
    Tensor x = Tensor::from_vector({3}, {1.0f, 2.0f, -1.0f}).requires_grad_();
    Tensor t = Tensor::from_vector({3}, {1.0f, 0.0f, 1.0f});
    l1_loss(x, t).backward();
    // sign(x - t) / n, with sign(0) = 0 as torch.
    EXPECT_EQ(x.grad().to_vector(), (std::vector<float>{0.0f, 1.0f / 3.0f, -1.0f / 3.0f}));
    x.zero_grad();
    mse_loss(x, t).backward();
    std::vector<float> g = x.grad().to_vector();
    EXPECT_FLOAT_EQ(g[0], 0.0f);
    EXPECT_FLOAT_EQ(g[1], 4.0f / 3.0f);
    EXPECT_FLOAT_EQ(g[2], -4.0f / 3.0f);
}

TEST(Loss, Gradcheck) {
    Rng rng(20);
    Tensor x = leaf(rng, {3, 4}, 2.0f);
    Tensor t = targets01(rng, {3, 4});
    EXPECT_TRUE(
        gradcheck([](auto& in) { return binary_cross_entropy_with_logits(in[0], in[1]); }, {x, t}));
    EXPECT_TRUE(gradcheck([](auto& in) { return mse_loss(in[0], in[1]); }, {x, t}));
    // l1's kink is where x == t; these x and t are more than eps apart everywhere.
    EXPECT_TRUE(gradcheck([](auto& in) { return l1_loss(in[0], in[1]); }, {x, t}));
}

TEST(Loss, Gradgradcheck) {
    Rng rng(21);
    Tensor x = leaf(rng, {2, 5}, 2.0f);
    Tensor t = targets01(rng, {2, 5});
    EXPECT_TRUE(gradgradcheck(
        [](auto& in) { return binary_cross_entropy_with_logits(in[0], in[1]); }, {x, t}));
    EXPECT_TRUE(gradgradcheck([](auto& in) { return mse_loss(in[0], in[1]); }, {x, t}));
    EXPECT_TRUE(gradgradcheck([](auto& in) { return l1_loss(in[0], in[1]); }, {x, t}));
    // Losses of a function: the loss's gradient must carry the graph through.
    EXPECT_TRUE(gradgradcheck([](auto& in) { return mse_loss(tanh(in[0]), in[1]); }, {x, t}));
}

TEST(Loss, LargeBatchMeanIsAccurate) {
    // Split over threads and summed in double: a million equal terms give their value.
    Tensor x = Tensor::full({1000, 1000}, 0.3f);
    Tensor t = Tensor::zeros({1000, 1000});
    EXPECT_NEAR(mse_loss(x, t).item(), 0.09, 1e-7);
    EXPECT_NEAR(l1_loss(x, t).item(), 0.3, 1e-7);
}

TEST(Loss, ShapeMismatchNamesTheShapes) {
    Tensor x = Tensor::zeros({4, 1}), t = Tensor::zeros({4});
    try {
        binary_cross_entropy_with_logits(x, t);
        FAIL() << "expected std::invalid_argument";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("(4, 1)"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("(4,)"), std::string::npos) << e.what();
    }
    EXPECT_THROW(mse_loss(x, t), std::invalid_argument);
    EXPECT_THROW(l1_loss(x, t), std::invalid_argument);
}
