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
