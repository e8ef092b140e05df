#include "analysis/pca.h"

#include <Eigen/Dense>

#include <cmath>
#include <stdexcept>
#include <string>

#include "ops/shape_ops.h"

namespace ganvas {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

Pca fit_pca(const Tensor& x, int64_t k) {
    if (x.dtype() != DType::f32 || x.dim() != 2 || x.size(0) < 1 || k < 1 || k > x.size(1))
        throw std::invalid_argument(
            "fit_pca: needs float32 rows (M, D) with M >= 1 and k <= D, got " +
            shape_str(x.shape()) + " and k = " + std::to_string(k));
    const int64_t m = x.size(0), d = x.size(1);
    Eigen::Map<const RowMatrix> X(x.data(), m, d);
    Eigen::MatrixXd centred = X.cast<double>();
    Eigen::RowVectorXd mu = centred.colwise().mean();
    centred.rowwise() -= mu;
    Eigen::MatrixXd cov =
        centred.transpose() * centred / static_cast<double>(std::max<int64_t>(m - 1, 1));
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);  // ascending eigenvalues
    Pca p;
    p.mean = Tensor::empty({d});
    p.components = Tensor::empty({k, d});
    p.variance = Tensor::empty({k});
    for (int64_t j = 0; j < d; ++j) p.mean.data()[j] = static_cast<float>(mu(j));
    for (int64_t c = 0; c < k; ++c) {
        Eigen::VectorXd v = eig.eigenvectors().col(d - 1 - c);
        Eigen::Index big;
        v.cwiseAbs().maxCoeff(&big);
        if (v(big) < 0) v = -v;
        for (int64_t j = 0; j < d; ++j) p.components.data()[c * d + j] = static_cast<float>(v(j));
        p.variance.data()[c] = static_cast<float>(std::max(0.0, eig.eigenvalues()(d - 1 - c)));
    }
    return p;
}

Tensor pca_project(const Pca& pca, const Tensor& x) {
    const int64_t d = pca.mean.numel(), k = pca.components.size(0);
    if (x.dtype() != DType::f32 || x.dim() != 2 || x.size(1) != d)
        throw std::invalid_argument("pca_project: rows must be (M, " + std::to_string(d) +
                                    "), got " + shape_str(x.shape()));
    const int64_t m = x.size(0);
    Tensor out = Tensor::empty({m, k});
    Eigen::Map<const RowMatrix> X(x.data(), m, d), C(pca.components.data(), k, d);
    Eigen::Map<const Eigen::RowVectorXf> mu(pca.mean.data(), d);
    Eigen::Map<RowMatrix> Y(out.data(), m, k);
    Y = (X.rowwise() - mu) * C.transpose();
    return out;
}

std::pair<Tensor, Tensor> project_together(const Tensor& a, const Tensor& b) {
    Pca pca = fit_pca(cat({a, b}, 0), 2);  // (K + M, D) -> 2 axes
    return {pca_project(pca, a), pca_project(pca, b)};
}

}  // namespace ganvas
