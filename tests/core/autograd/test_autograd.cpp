// Autograd engine and the basic ops: gradients against finite differences,
// second derivatives, accumulation and pruning.
#include <gtest/gtest.h>

#include "autograd/autograd.h"
#include "support/golden.h"
#include "support/gradcheck.h"

using namespace ganvas;
using ganvas::testing::gradcheck;
using ganvas::testing::gradgradcheck;
using ganvas::testing::leaf;

TEST(Autograd, ScalarChainRule) {
    Tensor x = Tensor::scalar(3.0f).requires_grad_();
    Tensor y = mul(mul(x, x), x);  // x^3
    y.backward();
    EXPECT_FLOAT_EQ(x.grad().item(), 27.0f);
}

TEST(Autograd, GradientsAccumulateAcrossBackwardCalls) {
    Tensor x = Tensor::from_vector({2}, {1.0f, 2.0f}).requires_grad_();
    sum(mul_scalar(x, 3.0f)).backward();
    sum(mul_scalar(x, 3.0f)).backward();
    EXPECT_EQ(x.grad().to_vector(), (std::vector<float>{6.0f, 6.0f}));
    x.zero_grad();
    EXPECT_FALSE(x.grad().defined());
}

TEST(Autograd, GradDoesNotTouchDotGradAndPrunes) {
    Rng rng(0);
    Tensor a = leaf(rng, {3}), b = leaf(rng, {3});
    Tensor y = sum(mul(a, b));
    auto g = grad({y}, {a});
    EXPECT_FALSE(a.grad().defined());
    EXPECT_FALSE(b.grad().defined());
    for (int i = 0; i < 3; ++i) EXPECT_FLOAT_EQ(g[0].data()[i], b.data()[i]);
}

TEST(Autograd, NoGradGuardRecordsNothing) {
    Tensor x = Tensor::scalar(1.0f).requires_grad_();
    NoGradGuard no_grad;
    Tensor y = mul_scalar(x, 2.0f);
    EXPECT_FALSE(y.requires_grad());
}

TEST(Autograd, SecondDerivativeOfCube) {
    Tensor x = Tensor::scalar(2.0f).requires_grad_();
    Tensor y = mul(mul(x, x), x);
    Tensor dy = grad({y}, {x}, {}, true)[0];  // 3x^2 = 12
    EXPECT_FLOAT_EQ(dy.item(), 12.0f);
    Tensor d2y = grad({dy}, {x})[0];  // 6x = 12
    EXPECT_FLOAT_EQ(d2y.item(), 12.0f);
}

TEST(Autograd, BackwardRejectsImplicitGradientForNonScalar) {
    Tensor x = Tensor::from_vector({2}, {1.0f, 2.0f}).requires_grad_();
    EXPECT_THROW(mul_scalar(x, 2.0f).backward(), std::invalid_argument);
}

TEST(Elementwise, BroadcastingShapes) {
    EXPECT_EQ(broadcast_shapes({4, 1, 3}, {5, 1}), (Shape{4, 5, 3}));
    EXPECT_THROW(broadcast_shapes({2, 3}, {4}), std::invalid_argument);
    Tensor a = Tensor::from_vector({2, 1}, {1, 2});
    Tensor b = Tensor::from_vector({3}, {10, 20, 30});
    EXPECT_EQ(add(a, b).to_vector(), (std::vector<float>{11, 21, 31, 12, 22, 32}));
}

TEST(Elementwise, GradcheckBinaryWithBroadcast) {
    Rng rng(1);
    Tensor a = leaf(rng, {2, 3, 4}), b = leaf(rng, {3, 1});
    Tensor c = leaf(rng, {2, 3, 4});
    {
        NoGradGuard ng;  // keep the divisor away from zero
        c.copy_(add_scalar(abs(c), 1.0f));
    }
    EXPECT_TRUE(gradcheck([](auto& in) { return add(in[0], in[1]); }, {a, b}));
    EXPECT_TRUE(gradcheck([](auto& in) { return sub(in[0], in[1]); }, {a, b}));
    EXPECT_TRUE(gradcheck([](auto& in) { return mul(in[0], in[1]); }, {a, b}));
    EXPECT_TRUE(gradcheck([](auto& in) { return div(in[0], in[1]); }, {b, c}));
    EXPECT_TRUE(gradgradcheck([](auto& in) { return div(in[0], in[1]); }, {b, c}));
}

TEST(Elementwise, GradcheckUnary) {
    Rng rng(2);
    Tensor x = leaf(rng, {3, 4});
    Tensor pos = leaf(rng, {3, 4});
    {
        NoGradGuard ng;
        pos.copy_(add_scalar(abs(pos), 0.5f));
    }
    EXPECT_TRUE(gradcheck([](auto& in) { return exp(in[0]); }, {x}));
    EXPECT_TRUE(gradcheck([](auto& in) { return log(in[0]); }, {pos}));
    EXPECT_TRUE(gradcheck([](auto& in) { return sqrt(in[0]); }, {pos}));
    EXPECT_TRUE(gradcheck([](auto& in) { return pow_scalar(in[0], 3.0f); }, {x}));
    EXPECT_TRUE(gradcheck([](auto& in) { return abs(in[0]); }, {pos}));
    EXPECT_TRUE(gradcheck([](auto& in) { return clamp(in[0], -0.5f, 0.5f); }, {pos}));
    EXPECT_TRUE(gradgradcheck([](auto& in) { return sqrt(in[0]); }, {pos}));
    EXPECT_TRUE(gradgradcheck([](auto& in) { return exp(in[0]); }, {x}));
}

TEST(Reduce, SumsAndMeans) {
    Tensor a = Tensor::from_vector({2, 3}, {1, 2, 3, 4, 5, 6});
    EXPECT_FLOAT_EQ(sum(a).item(), 21.0f);
    EXPECT_EQ(sum(a, {0}).to_vector(), (std::vector<float>{5, 7, 9}));
    EXPECT_EQ(sum(a, {1}, true).shape(), (Shape{2, 1}));
    EXPECT_EQ(mean(a, {-1}).to_vector(), (std::vector<float>{2, 5}));
    Tensor b = Tensor::from_vector({2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
    EXPECT_EQ(sum(b, {0, 2}).to_vector(), (std::vector<float>{1 + 2 + 5 + 6, 3 + 4 + 7 + 8}));
    EXPECT_EQ(sum_to(b, {2, 1}).to_vector(), (std::vector<float>{1 + 2 + 5 + 6, 3 + 4 + 7 + 8}));
}

TEST(Reduce, Gradcheck) {
    Rng rng(3);
    Tensor x = leaf(rng, {2, 3, 4});
    EXPECT_TRUE(gradcheck([](auto& in) { return sum(in[0], {0, 2}); }, {x}));
    EXPECT_TRUE(gradcheck([](auto& in) { return mean(in[0], {1}, true); }, {x}));
    EXPECT_TRUE(gradcheck(
        [](auto& in) {
            return broadcast_to(sum(in[0], {1}, true), {2, 3, 4});
        },
        {x}));
}

TEST(ShapeOps, PermuteCatNarrow) {
    Tensor a = Tensor::from_vector({2, 3}, {1, 2, 3, 4, 5, 6});
    EXPECT_EQ(transpose(a, 0, 1).to_vector(), (std::vector<float>{1, 4, 2, 5, 3, 6}));
    EXPECT_EQ(cat({a, a}, 1).shape(), (Shape{2, 6}));
    EXPECT_EQ(narrow(a, 1, 1, 2).to_vector(), (std::vector<float>{2, 3, 5, 6}));
    EXPECT_EQ(flatten(Tensor::zeros({2, 3, 4, 5})).shape(), (Shape{2, 60}));
    EXPECT_THROW(reshape(a, {4, 2}), std::invalid_argument);
}

TEST(ShapeOps, Gradcheck) {
    Rng rng(4);
    Tensor x = leaf(rng, {2, 3, 4}), y = leaf(rng, {2, 1, 4});
    EXPECT_TRUE(gradcheck([](auto& in) { return permute(in[0], {2, 0, 1}); }, {x}));
    EXPECT_TRUE(gradcheck([](auto& in) { return cat({in[0], in[1]}, 1); }, {x, y}));
    EXPECT_TRUE(gradcheck([](auto& in) { return narrow(in[0], 2, 1, 2); }, {x}));
    EXPECT_TRUE(gradcheck([](auto& in) { return reshape(in[0], {4, -1}); }, {x}));
}

TEST(Matmul, ValuesAndGradients) {
    Tensor a = Tensor::from_vector({2, 2}, {1, 2, 3, 4});
    Tensor b = Tensor::from_vector({2, 1}, {5, 6});
    EXPECT_EQ(matmul(a, b).to_vector(), (std::vector<float>{17, 39}));
    Rng rng(5);
    Tensor x = leaf(rng, {3, 4}), w = leaf(rng, {5, 4}), bias = leaf(rng, {5});
    Tensor p = leaf(rng, {2, 3, 4}), q = leaf(rng, {2, 4, 2});
    EXPECT_TRUE(gradcheck([](auto& in) { return linear(in[0], in[1], in[2]); }, {x, w, bias}));
    EXPECT_TRUE(gradcheck([](auto& in) { return matmul(in[0], in[1]); }, {p, q}));
    EXPECT_TRUE(gradgradcheck(
        [](auto& in) { return mul(linear(in[0], in[1]), linear(in[0], in[1])); }, {x, w}));
    EXPECT_TRUE(gradgradcheck(  // the bias's differentiable gradient is a sum
        [](auto& in) { return mul(linear(in[0], in[1], in[2]), linear(in[0], in[1], in[2])); },
        {x, w, bias}));
}

TEST(Matmul, LinearOverNoRowsGivesZeroGradients) {
    Rng rng(10);
    Tensor x = leaf(rng, {0, 5}), w = leaf(rng, {3, 5}), b = leaf(rng, {3});
    Tensor y = linear(x, w, b);
    EXPECT_EQ(y.shape(), (Shape{0, 3}));
    const std::vector<Tensor> g = grad({y}, {x, w, b}, {Tensor::zeros({0, 3})});
    EXPECT_EQ(g[0].shape(), (Shape{0, 5}));
    for (float v : g[1].to_vector()) EXPECT_EQ(v, 0.0f);
    for (float v : g[2].to_vector()) EXPECT_EQ(v, 0.0f);
}

TEST(Matmul, LinearEqualsItsComposition) {
    // The fused layer against matmul + add, values and every gradient, a 3-D input included.
    Rng rng(9);
    for (const Shape& xs : {Shape{300, 70}, Shape{2, 5, 7}}) {
        const int64_t in = xs.back(), out = in == 70 ? 90 : 3;
        Tensor x = leaf(rng, xs), w = leaf(rng, {out, in}), b = leaf(rng, {out});
        Tensor fused = linear(x, w, b);
        Tensor x2 = reshape(x, {-1, in});
        Tensor composed = reshape(add(matmul(x2, transpose(w, 0, 1)), b), fused.shape());
        Tensor g = rng.randn(fused.shape());
        const std::vector<Tensor> want = grad({composed}, {x, w, b}, {g});
        const std::vector<Tensor> got = grad({fused}, {x, w, b}, {g});
        EXPECT_TRUE(ganvas::testing::all_close(fused, composed, 1e-5, 1e-5, "y"));
        const char* names[] = {"dx", "dw", "db"};
        for (size_t i = 0; i < got.size(); ++i)
            EXPECT_TRUE(ganvas::testing::all_close(got[i], want[i], 1e-4, 1e-5, names[i]));
    }
}

TEST(Matmul, LargeProductMatchesNaive) {
    Rng rng(6);
    Tensor a = rng.randn({130, 70}), b = rng.randn({70, 90});
    Tensor c = matmul(a, b);
    for (int i = 0; i < 130; i += 13)
        for (int j = 0; j < 90; j += 7) {
            double acc = 0;
            for (int k = 0; k < 70; ++k) acc += a.data()[i * 70 + k] * b.data()[k * 90 + j];
            EXPECT_NEAR(c.data()[i * 90 + j], acc, 1e-3);
        }
    EXPECT_THROW(matmul(a, a), std::invalid_argument);
}
