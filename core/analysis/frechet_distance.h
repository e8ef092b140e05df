// Fréchet distance between two Gaussians fitted to feature matrices: FID when
// the features come from Inception, FFD (Fréchet Fashion-MNIST Distance) when
// they come from our Fashion-MNIST classifier's penultimate layer.
#pragma once

#include <Eigen/Core>
#include <cstdint>

#include "tensor/tensor.h"

namespace ganvas {

// Mean and covariance of N feature vectors, in double.
struct Gaussian {
    Eigen::VectorXd mean;  // (D,)
    Eigen::MatrixXd cov;   // (D, D), symmetric PSD, unbiased (divided by N - 1)
    int64_t n = 0;         // number of samples it was fitted to
};

// Fits mean and unbiased covariance (numpy.cov / pytorch-fid convention) to
// `features` (N, D) float32, N >= 2, accumulating in double.
Gaussian fit_gaussian(const Tensor& features);

// ||mu_a - mu_b||^2 + Tr(Ca) + Tr(Cb) - 2 Tr(sqrt(Ca Cb)), >= 0.
// Throws std::invalid_argument on different dimensions or non-finite stats.
double frechet_distance(const Gaussian& a, const Gaussian& b);

// Tr(sqrt(Ca Cb)) for symmetric PSD Ca, Cb (D, D): the coupling term above.
double trace_sqrt_product(const Eigen::MatrixXd& ca, const Eigen::MatrixXd& cb);

}  // namespace ganvas
