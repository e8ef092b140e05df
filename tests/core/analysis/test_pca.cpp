// fit_pca / pca_project: the axes of known point clouds.
#include <gtest/gtest.h>

#include <cmath>

#include "analysis/pca.h"
#include "tensor/rng.h"

using namespace ganvas;

TEST(Pca, FindsTheDirectionOfMostVarianceFirst) {
    // Points spread 10x more along (1, 1, 0)/sqrt(2) than along (0, 0, 1), around (5, -2, 3).
    Rng rng(1);
    const int64_t m = 400;
    Tensor x = Tensor::empty({m, 3});
    for (int64_t i = 0; i < m; ++i) {
        const float a = 10 * rng.normal(), b = rng.normal();
        x.data()[i * 3 + 0] = 5 + a / std::sqrt(2.0f);
        x.data()[i * 3 + 1] = -2 + a / std::sqrt(2.0f);
        x.data()[i * 3 + 2] = 3 + b;
    }
    Pca p = fit_pca(x, 2);
    EXPECT_NEAR(p.components.data()[0], 1 / std::sqrt(2.0f), 1e-2f);
    EXPECT_NEAR(p.components.data()[1], 1 / std::sqrt(2.0f), 1e-2f);
    EXPECT_NEAR(std::fabs(p.components.data()[5]), 1.0f, 1e-2f);
    EXPECT_NEAR(p.variance.data()[0], 100.0f, 15.0f);
    EXPECT_NEAR(p.variance.data()[1], 1.0f, 0.2f);
    EXPECT_NEAR(p.mean.data()[0], 5.0f, 1.5f);
    Tensor y = pca_project(p, x);
    EXPECT_EQ(y.shape(), (Shape{m, 2}));
    double mean0 = 0;
    for (int64_t i = 0; i < m; ++i) mean0 += y.data()[i * 2];
    EXPECT_NEAR(mean0 / m, 0.0, 1e-3);  // centred
}

TEST(Pca, RefusesImpossibleRequests) {
    EXPECT_THROW(fit_pca(Tensor::zeros({4, 2}), 3), std::invalid_argument);
    EXPECT_THROW(fit_pca(Tensor::zeros({0, 2}), 1), std::invalid_argument);
    Pca p = fit_pca(Tensor::zeros({4, 2}), 1);  // no variance at all: still an answer
    EXPECT_THROW(pca_project(p, Tensor::zeros({3, 5})), std::invalid_argument);
}

// A codebook beside its encoder outputs: both on the axes of all rows together, so a
// vector that is in both sets lands on the same point in both pictures, and the
// axes follow the spread of the second set as well as the first.
TEST(Pca, ProjectTogetherPutsBothSetsOnTheSameAxes) {
    Rng rng(2);
    Tensor codebook = rng.randn({6, 4});  // (K, D)
    Tensor outputs = Tensor::empty({50, 4});
    for (int64_t i = 0; i < 50; ++i)  // spread far along the last axis only
        for (int64_t d = 0; d < 4; ++d) outputs.data()[i * 4 + d] = d == 3 ? 20 * rng.normal() : 0;
    for (int64_t d = 0; d < 4; ++d) outputs.data()[d] = codebook.data()[d];  // code 0, again
    auto [codes_2d, outputs_2d] = project_together(codebook, outputs);
    ASSERT_EQ(codes_2d.shape(), (Shape{6, 2}));
    ASSERT_EQ(outputs_2d.shape(), (Shape{50, 2}));
    EXPECT_NEAR(codes_2d.data()[0], outputs_2d.data()[0], 1e-4f);
    EXPECT_NEAR(codes_2d.data()[1], outputs_2d.data()[1], 1e-4f);
    // The first axis is the outputs' direction, which the codebook alone would not give.
    const Pca alone = fit_pca(codebook, 2);
    EXPECT_LT(std::fabs(alone.components.data()[3]), 0.99f);
    double spread = 0;
    for (int64_t i = 0; i < 50; ++i) spread += std::fabs(outputs_2d.data()[i * 2]);
    EXPECT_GT(spread / 50, 5.0);
}
