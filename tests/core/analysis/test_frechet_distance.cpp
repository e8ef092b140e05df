// Fréchet distance: exact values worked out by hand (diagonal, rotated,
// 2x2 closed form), a non-commuting case against a Denman–Beavers matrix
// square root, and fit_gaussian against known means and covariances.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "analysis/frechet_distance.h"
#include "tensor/rng.h"

using namespace ganvas;

namespace {

Gaussian make_gaussian(const Eigen::VectorXd& mean, const Eigen::MatrixXd& cov) {
    return Gaussian{mean, cov, 1000};
}

// A rotation of R^d as a product of Givens rotations in planes (i, i+1): no
// eigensolver involved, so it cannot share a bug with the code under test.
Eigen::MatrixXd givens_rotation(int d, double angle_step) {
    Eigen::MatrixXd r = Eigen::MatrixXd::Identity(d, d);
    for (int i = 0; i + 1 < d; ++i) {
        const double t = angle_step * (i + 1);
        Eigen::MatrixXd g = Eigen::MatrixXd::Identity(d, d);
        g(i, i) = std::cos(t);
        g(i, i + 1) = -std::sin(t);
        g(i + 1, i) = std::sin(t);
        g(i + 1, i + 1) = std::cos(t);
        r = r * g;
    }
    return r;
}

// Random SPD (d, d): X X^T + floor * I with X filled from rng.
Eigen::MatrixXd random_spd(Rng& rng, int d, double floor) {
    Eigen::MatrixXd x(d, d);
    for (int i = 0; i < d; ++i)
        for (int j = 0; j < d; ++j) x(i, j) = rng.normal();
    return x * x.transpose() + floor * Eigen::MatrixXd::Identity(d, d);
}

Eigen::VectorXd random_vector(Rng& rng, int d) {
    Eigen::VectorXd v(d);
    for (int i = 0; i < d; ++i) v(i) = rng.normal();
    return v;
}

// Denman–Beavers iteration: Y -> sqrt(A), Z -> sqrt(A)^-1 for A with no
// eigenvalues on the closed negative real axis; only inverses and sums.
Eigen::MatrixXd denman_beavers_sqrt(const Eigen::MatrixXd& a) {
    Eigen::MatrixXd y = a, z = Eigen::MatrixXd::Identity(a.rows(), a.cols());
    for (int it = 0; it < 100; ++it) {
        const Eigen::MatrixXd y_next = 0.5 * (y + z.inverse());
        const Eigen::MatrixXd z_next = 0.5 * (z + y.inverse());
        const double change = (y_next - y).norm();
        y = y_next;
        z = z_next;
        if (change < 1e-15 * y.norm()) break;
    }
    return y;
}

}  // namespace

TEST(FrechetDistance, IdenticalGaussiansAreZeroApart) {
    Rng rng(1);
    const Gaussian g = make_gaussian(random_vector(rng, 16), random_spd(rng, 16, 0.1));
    EXPECT_NEAR(frechet_distance(g, g), 0.0, 1e-9);
}

TEST(FrechetDistance, DiagonalByHand) {
    // Tr sqrt(Ca Cb) = sum sqrt(a_i b_i), so the distance is
    // |dmu|^2 + sum (sqrt a_i - sqrt b_i)^2 = (1 + 4 + 0.25) + (1 + 1 + 1) = 8.25.
    Eigen::Vector3d a(1, 4, 9), b(4, 1, 16), mu_a(1, -2, 0.5), mu_b(0, 0, 0);
    const Gaussian ga = make_gaussian(mu_a, a.asDiagonal().toDenseMatrix());
    const Gaussian gb = make_gaussian(mu_b, b.asDiagonal().toDenseMatrix());
    EXPECT_NEAR(trace_sqrt_product(ga.cov, gb.cov), 1 * 2 + 2 * 1 + 3 * 4, 1e-12);
    EXPECT_NEAR(frechet_distance(ga, gb), 8.25, 1e-12);
}

TEST(FrechetDistance, CommonRotationByHand) {
    // Ca = R diag(a) R^T and Cb = R diag(b) R^T share eigenvectors: the answer
    // is the diagonal one, whatever the rotation.
    const int d = 6;
    Eigen::VectorXd a(d), b(d), mu_a(d), mu_b(d);
    a << 0.5, 1, 2, 3, 4, 9;
    b << 2, 1, 0.25, 3, 1, 4;
    mu_a << 1, 0, 0, -1, 2, 0;
    mu_b << 0, 0, 1, -1, 0, 0;
    const Eigen::MatrixXd r = givens_rotation(d, 0.37);
    ASSERT_LT((r * r.transpose() - Eigen::MatrixXd::Identity(d, d)).norm(), 1e-12);
    const Gaussian ga = make_gaussian(mu_a, r * a.asDiagonal() * r.transpose());
    const Gaussian gb = make_gaussian(mu_b, r * b.asDiagonal() * r.transpose());
    double expected = (mu_a - mu_b).squaredNorm();
    for (int i = 0; i < d; ++i) expected += std::pow(std::sqrt(a(i)) - std::sqrt(b(i)), 2);
    EXPECT_NEAR(frechet_distance(ga, gb), expected, 1e-10);
}

TEST(FrechetDistance, RankDeficientCovariances) {
    // Fewer samples than dimensions give singular covariances; the rotation
    // turns their zero eigenvalues into tiny negative ones after rounding.
    // diag(1, 0, 4, 0) and diag(0, 5, 1, 0): Tr sqrt(Ca Cb) = sqrt(4 * 1) = 2,
    // distance = 5 + 6 - 2 * 2 = 7.
    const Eigen::MatrixXd r = givens_rotation(4, 0.9);
    Eigen::Vector4d a(1, 0, 4, 0), b(0, 5, 1, 0);
    const Eigen::VectorXd mu = Eigen::VectorXd::Zero(4);
    const Gaussian ga = make_gaussian(mu, r * a.asDiagonal() * r.transpose());
    const Gaussian gb = make_gaussian(mu, r * b.asDiagonal() * r.transpose());
    EXPECT_NEAR(trace_sqrt_product(ga.cov, gb.cov), 2.0, 1e-7);
    EXPECT_NEAR(frechet_distance(ga, gb), 7.0, 2e-7);
}

TEST(FrechetDistance, NonCommutingTwoByTwoClosedForm) {
    // For a 2x2 M with eigenvalues l1, l2 >= 0, (sqrt l1 + sqrt l2)^2 =
    // tr M + 2 sqrt(det M). Ca Cb = [[2, 3], [1, 6]] (Cb Ca is its transpose,
    // so they do not commute): tr 8, det 9, Tr sqrt = sqrt(14).
    Eigen::Matrix2d ca, cb;
    ca << 2, 1, 1, 2;
    cb << 1, 0, 0, 3;
    ASSERT_GT((ca * cb - cb * ca).norm(), 1.0);
    EXPECT_NEAR(trace_sqrt_product(ca, cb), std::sqrt(14.0), 1e-12);
    const Eigen::VectorXd mu = Eigen::Vector2d(0.5, -0.5);
    EXPECT_NEAR(frechet_distance(make_gaussian(mu, ca), make_gaussian(mu, cb)),
                8.0 - 2.0 * std::sqrt(14.0), 1e-12);
}

TEST(FrechetDistance, NonCommutingAgainstDenmanBeavers) {
    Rng rng(7);
    for (int d : {3, 8, 24}) {
        const Eigen::MatrixXd ca = random_spd(rng, d, 0.2), cb = random_spd(rng, d, 0.05);
        ASSERT_GT((ca * cb - cb * ca).norm(), 1e-3 * ca.norm() * cb.norm()) << d;
        const Eigen::MatrixXd prod = ca * cb;                    // (d, d), not symmetric
        const Eigen::MatrixXd root = denman_beavers_sqrt(prod);  // (d, d)
        ASSERT_LT((root * root - prod).norm(), 1e-9 * prod.norm()) << "reference, d = " << d;
        EXPECT_NEAR(trace_sqrt_product(ca, cb), root.trace(), 1e-9 * root.trace()) << d;

        const Eigen::VectorXd mu_a = random_vector(rng, d), mu_b = random_vector(rng, d);
        const double expected =
            (mu_a - mu_b).squaredNorm() + ca.trace() + cb.trace() - 2.0 * root.trace();
        EXPECT_NEAR(frechet_distance(make_gaussian(mu_a, ca), make_gaussian(mu_b, cb)), expected,
                    1e-9 * (ca.trace() + cb.trace()))
            << d;
    }
}

TEST(FrechetDistance, Symmetric) {
    Rng rng(3);
    const int d = 20;
    const Gaussian a = make_gaussian(random_vector(rng, d), random_spd(rng, d, 0.01));
    const Gaussian b = make_gaussian(random_vector(rng, d), random_spd(rng, d, 1.0));
    const double ab = frechet_distance(a, b), ba = frechet_distance(b, a);
    EXPECT_GT(ab, 1.0);
    EXPECT_NEAR(ab, ba, 1e-10 * ab);
}

TEST(FrechetDistance, RejectsMismatchedGaussians) {
    const Gaussian a = make_gaussian(Eigen::VectorXd::Zero(3), Eigen::MatrixXd::Identity(3, 3));
    const Gaussian b = make_gaussian(Eigen::VectorXd::Zero(4), Eigen::MatrixXd::Identity(4, 4));
    EXPECT_THROW(frechet_distance(a, b), std::invalid_argument);
    Gaussian bad = a;
    bad.cov = Eigen::MatrixXd::Identity(2, 2);
    EXPECT_THROW(frechet_distance(bad, a), std::invalid_argument);
    bad = a;
    bad.mean(1) = std::numeric_limits<double>::quiet_NaN();
    EXPECT_THROW(frechet_distance(a, bad), std::invalid_argument);
}

TEST(FitGaussian, SmallExampleByHand) {
    // Rows (1, 2), (3, 4), (5, 0): mean (3, 2); deviations (-2, 0), (0, 2),
    // (2, -2); sums of products xx 8, yy 8, xy -4, over N - 1 = 2.
    const Gaussian g = fit_gaussian(Tensor::from_vector({3, 2}, {1, 2, 3, 4, 5, 0}));
    EXPECT_EQ(g.n, 3);
    EXPECT_NEAR(g.mean(0), 3.0, 1e-12);
    EXPECT_NEAR(g.mean(1), 2.0, 1e-12);
    EXPECT_NEAR(g.cov(0, 0), 4.0, 1e-12);
    EXPECT_NEAR(g.cov(1, 1), 4.0, 1e-12);
    EXPECT_NEAR(g.cov(0, 1), -2.0, 1e-12);
    EXPECT_EQ(g.cov(0, 1), g.cov(1, 0));
}

TEST(FitGaussian, ApproachesTheSamplingGaussian) {
    // x = mu + L z with z ~ N(0, I): mean mu, covariance L L^T.
    const int d = 4;
    const int64_t n = 40000;
    Eigen::MatrixXd l(d, d);
    l << 1.0, 0, 0, 0, 0.5, 2.0, 0, 0, -0.3, 0.2, 0.5, 0, 0.1, -1.0, 0.4, 1.5;
    const Eigen::Vector4d mu(3.0, -1.0, 0.0, 10.0);
    const Eigen::MatrixXd cov = l * l.transpose();
    Rng rng(42);
    Tensor x = Tensor::empty({n, d});  // (N, D)
    for (int64_t i = 0; i < n; ++i) {
        Eigen::Vector4d z;
        for (int j = 0; j < d; ++j) z(j) = rng.normal();
        const Eigen::Vector4d s = mu + l * z;
        for (int j = 0; j < d; ++j) x.data()[i * d + j] = float(s(j));
    }
    const Gaussian g = fit_gaussian(x);
    // Standard errors: sqrt(C_jj / N) <= 0.012 for the mean and about
    // sqrt((C_ii C_jj + C_ij^2) / N) <= 0.04 for the covariance; 4 sigma.
    for (int j = 0; j < d; ++j) EXPECT_NEAR(g.mean(j), mu(j), 0.05) << j;
    for (int i = 0; i < d; ++i)
        for (int j = 0; j < d; ++j) EXPECT_NEAR(g.cov(i, j), cov(i, j), 0.16) << i << "," << j;
    // And the distance to the true Gaussian is small next to its size.
    EXPECT_LT(frechet_distance(g, make_gaussian(mu, cov)), 0.01 * cov.trace());
}

TEST(FitGaussian, RejectsBadFeatures) {
    EXPECT_THROW(fit_gaussian(Tensor::from_vector({1, 3}, {1, 2, 3})), std::invalid_argument);
    EXPECT_THROW(fit_gaussian(Tensor::from_vector({6}, {1, 2, 3, 4, 5, 6})), std::invalid_argument);
    EXPECT_THROW(fit_gaussian(Tensor::zeros({4, 2}, DType::i64)), std::invalid_argument);
    Tensor nan = Tensor::zeros({4, 2});
    nan.data()[5] = std::numeric_limits<float>::quiet_NaN();
    try {
        fit_gaussian(nan);
        FAIL() << "NaN accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("row 2, column 1"), std::string::npos) << e.what();
    }
}
