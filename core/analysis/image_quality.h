// Full-reference image quality: how close a reconstruction is to the original.
#pragma once

#include "tensor/tensor.h"

namespace ganvas {

// 10 log10(data_range^2 / MSE) over all elements of two same-shape tensors, in dB;
// +infinity when they are equal. Throws std::invalid_argument on a shape mismatch.
double psnr(const Tensor& a, const Tensor& b, double data_range);

// Mean SSIM (Wang et al. 2004) of images (N, C, H, W): an 11x11 Gaussian window with
// sigma 1.5 at every valid position of each plane, K1 = 0.01, K2 = 0.03, population
// (co)variances — pytorch-msssim's ssim, and skimage's structural_similarity with
// gaussian_weights=True, use_sample_covariance=False. H and W must be at least 11.
double ssim(const Tensor& a, const Tensor& b, double data_range);

}  // namespace ganvas
