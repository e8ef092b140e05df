#include "analysis/frechet_distance.h"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "analysis/feature_checks.h"

namespace ganvas {
namespace {

// Symmetric square root V diag(sqrt(l)) V^T of a symmetric PSD matrix (D, D).
// Eigenvalues that rounding pushed slightly below zero are clamped: a
// covariance is PSD, so they are zero in exact arithmetic.
Eigen::MatrixXd sqrt_psd(const Eigen::MatrixXd& c) {
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(c);
    if (eig.info() != Eigen::Success)
        throw std::runtime_error("frechet_distance: eigendecomposition did not converge");
    const Eigen::VectorXd roots = eig.eigenvalues().cwiseMax(0.0).cwiseSqrt();  // (D,)
    return eig.eigenvectors() * roots.asDiagonal() * eig.eigenvectors().transpose();
}

// SelfAdjointEigenSolver reads one triangle only; averaging with the
// transpose makes a slightly asymmetric input (rounding, a loaded file) count
// both triangles instead of silently dropping one.
Eigen::MatrixXd symmetrized(const Eigen::MatrixXd& c) {
    return 0.5 * (c + c.transpose());
}

void check_gaussian(const Gaussian& g, const char* which) {
    const auto d = g.mean.size();
    if (g.cov.rows() != d || g.cov.cols() != d)
        throw std::invalid_argument(std::string("frechet_distance: gaussian ") + which +
                                    " has mean (" + std::to_string(d) + ",) but covariance (" +
                                    std::to_string(g.cov.rows()) + ", " +
                                    std::to_string(g.cov.cols()) + ")");
    if (!g.mean.allFinite() || !g.cov.allFinite())
        throw std::invalid_argument(std::string("frechet_distance: gaussian ") + which +
                                    " has non-finite mean or covariance");
}

}  // namespace

Gaussian fit_gaussian(const Tensor& features) {
    analysis_detail::check_matrix(features, "fit_gaussian", "features", 2);
    const int64_t n = features.size(0), d = features.size(1);
    using RowMatF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    Eigen::Map<const RowMatF> x_f(features.data(), n, d);  // (N, D)
    // Two passes in double: subtracting the mean before the outer products
    // avoids the cancellation of E[x x^T] - mu mu^T when |mu| >> spread.
    const Eigen::MatrixXd x = x_f.cast<double>();  // (N, D)
    Gaussian g;
    g.n = n;
    g.mean = x.colwise().mean().transpose();                           // (D,)
    const Eigen::MatrixXd centred = x.rowwise() - g.mean.transpose();  // (N, D)
    g.cov = Eigen::MatrixXd::Zero(d, d);
    g.cov.selfadjointView<Eigen::Lower>().rankUpdate(centred.transpose(), 1.0 / double(n - 1));
    const Eigen::MatrixXd full = g.cov.selfadjointView<Eigen::Lower>();  // (D, D)
    g.cov = full;
    return g;
}

// Ca Cb is not symmetric, so pytorch-fid takes scipy.linalg.sqrtm of it (a
// Schur method in complex arithmetic), discards the imaginary parts rounding
// leaves and retries with eps * I added to the covariances when the result is
// not finite. We need only the trace, and the eigenvalues of XY equal those of
// YX, so with X = sqrt(Ca) and Y = sqrt(Ca) Cb the product Ca Cb has the same
// eigenvalues as the symmetric PSD M = sqrt(Ca) Cb sqrt(Ca): real and >= 0.
// The trace of the principal square root is the sum of the square roots of
// the eigenvalues, so Tr sqrt(Ca Cb) = sum_i sqrt(lambda_i(M)). Only
// symmetric eigenproblems are solved: real, stable, no imaginary parts.
double trace_sqrt_product(const Eigen::MatrixXd& ca, const Eigen::MatrixXd& cb) {
    if (ca.rows() != ca.cols() || cb.rows() != cb.cols() || ca.rows() != cb.rows())
        throw std::invalid_argument("trace_sqrt_product: needs two (D, D) matrices");
    const Eigen::MatrixXd root_a = sqrt_psd(symmetrized(ca));                  // (D, D)
    const Eigen::MatrixXd m = symmetrized(root_a * symmetrized(cb) * root_a);  // (D, D)
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(m, Eigen::EigenvaluesOnly);
    if (eig.info() != Eigen::Success)
        throw std::runtime_error("trace_sqrt_product: eigendecomposition did not converge");
    return eig.eigenvalues().cwiseMax(0.0).cwiseSqrt().sum();
}

double frechet_distance(const Gaussian& a, const Gaussian& b) {
    check_gaussian(a, "a");
    check_gaussian(b, "b");
    if (a.mean.size() != b.mean.size())
        throw std::invalid_argument("frechet_distance: gaussians of different dimensions (" +
                                    std::to_string(a.mean.size()) + ",) and (" +
                                    std::to_string(b.mean.size()) + ",)");
    const double mean_term = (a.mean - b.mean).squaredNorm();
    const double d =
        mean_term + a.cov.trace() + b.cov.trace() - 2.0 * trace_sqrt_product(a.cov, b.cov);
    // The distance is >= 0; for (near-)identical inputs rounding can leave a
    // tiny negative number, which would read as nonsense in a report.
    return std::max(0.0, d);
}

}  // namespace ganvas
