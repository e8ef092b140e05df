// Code distances, the straight-through estimator and the hinge GAN losses: against
// PyTorch 1.13 (tests/golden/golden_vq_ops.py) and finite differences.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "autograd/autograd.h"
#include "io/npy.h"
#include "support/golden.h"
#include "support/gradcheck.h"

using namespace ganvas;
using ganvas::testing::gradcheck;
using ganvas::testing::leaf;

namespace {

Tensor golden(const std::string& name) {
    return ganvas::testing::golden("vq_ops/" + name + ".npy");
}

void expect_close(const Tensor& got, const std::string& name, float atol = 1e-5f) {
    ganvas::testing::expect_close(got, golden(name), atol, 1e-5, name);
}

}  // namespace

TEST(VqOpsGolden, CodeDistances) {
    Tensor z = golden("dist_z").requires_grad_(true), c = golden("dist_c").requires_grad_(true);
    Tensor d = code_distances(z, c);
    expect_close(d, "dist_y");
    auto g = grad({sum(mul(d, golden("dist_gy")))}, {z, c});
    expect_close(g[0], "dist_gz");
    expect_close(g[1], "dist_gc");
}

TEST(VqOpsGolden, StraightThroughHasTheTargetsValueAndTheInputsGradient) {
    Tensor z = golden("st_z").requires_grad_(true), q = golden("st_q").requires_grad_(true);
    Tensor y = straight_through(z, q);
    expect_close(y, "st_y", 0.0f);  // bit for bit: the same two roundings as torch
    auto g = grad({sum(mul(y, golden("st_gy")))}, {z, q});
    expect_close(g[0], "st_gz", 0.0f);
    for (float v : g[1].to_vector()) EXPECT_EQ(v, 0.0f);  // the target gets none
}

TEST(VqOpsGolden, HingeLosses) {
    Tensor real = golden("hinge_real").requires_grad_(true);
    Tensor fake = golden("hinge_fake").requires_grad_(true);
    Tensor d = hinge_d_loss(real, fake), g = hinge_g_loss(fake);
    expect_close(d, "hinge_d");
    expect_close(g, "hinge_g");
    auto gd = grad({d}, {real, fake});
    expect_close(gd[0], "hinge_d_greal");
    expect_close(gd[1], "hinge_d_gfake");
    expect_close(grad({g}, {fake})[0], "hinge_g_gfake");
}

TEST(VqOps, GradientsMatchFiniteDifferences) {
    Rng rng(3);
    Tensor z = leaf(rng, {5, 3}), c = leaf(rng, {4, 3});
    EXPECT_TRUE(gradcheck([](const auto& in) { return code_distances(in[0], in[1]); }, {z, c}));
    // Away from the hinge's kink, where finite differences are meaningful.
    Tensor real = Tensor::from_vector({2, 3}, {0.2f, 2.5f, -0.7f, 1.4f, 0.4f, -2.0f});
    Tensor fake = Tensor::from_vector({2, 3}, {-0.4f, -1.6f, 0.3f, 0.8f, -2.2f, 0.1f});
    real.requires_grad_(true);
    fake.requires_grad_(true);
    EXPECT_TRUE(gradcheck([](const auto& in) { return hinge_d_loss(in[0], in[1]); }, {real, fake}));
    EXPECT_TRUE(gradcheck([](const auto& in) { return hinge_g_loss(in[0]); }, {fake}));
    // No finite-difference check of straight_through: its value does not move with x,
    // its gradient is the identity by design (the golden test checks both).
}

TEST(VqOps, MismatchedShapesAreRefused) {
    EXPECT_THROW(code_distances(Tensor::zeros({3, 4}), Tensor::zeros({5, 3})),
                 std::invalid_argument);
    EXPECT_THROW(straight_through(Tensor::zeros({3}), Tensor::zeros({4})), std::invalid_argument);
}
