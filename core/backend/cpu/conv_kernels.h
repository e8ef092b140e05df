// 2-D convolution kernels on NCHW float32 buffers: oneDNN's direct kernels
// (dnnl_conv.h) where it has one for the geometry, else GEMM-based as below.
//
// One geometry describes a convolution from conv2d's side: the image x
// (N, C, H, W) correlated with a kernel w (K, C, kh, kw) gives y (N, K, Ho, Wo).
// The three kernels are that map, its adjoint in x (the transposed
// convolution) and its adjoint in w (the weight gradient). Each runs one GEMM
// over the whole batch against an im2col matrix cols (C*kh*kw, N*Ho*Wo), whose
// column n*Ho*Wo + oh*Wo + ow holds the receptive field of output pixel
// (n, oh, ow). Ho and Wo need not be conv2d's natural output size: positions
// that fall outside the image read as zero and receive nothing, so a
// transposed convolution with output_padding is the same geometry.
#pragma once

#include <cstdint>

#include "backend/conv_geometry.h"

namespace ganvas::cpu {

using ganvas::ConvGeometry;

// y (N, K, Ho, Wo) = conv(x (N, C, H, W), w (K, C, kh, kw)) + bias (K); bias may be null.
void conv2d_forward(const ConvGeometry& g, const float* x, const float* w, const float* bias,
                    float* y);

// x (N, C, H, W) = conv^T(y (N, K, Ho, Wo), w (K, C, kh, kw)) + bias (C); bias may be null.
// This is conv_transpose2d's forward pass and conv2d's input gradient.
void conv2d_backward_data(const ConvGeometry& g, const float* y, const float* w, const float* bias,
                          float* x);

// w (K, C, kh, kw) = the gradient of <y, conv(x, w)> in w, for x (N, C, H, W), y (N, K, Ho, Wo).
void conv2d_backward_weight(const ConvGeometry& g, const float* x, const float* y, float* w);

// b (K) = sum of y (N, K, Ho, Wo) over N, Ho and Wo: the bias gradient's fast path.
void sum_channels(int64_t N, int64_t K, int64_t pixels, const float* y, float* b);

// How the three convolution kernels run: oneDNN's direct kernels where it has
// them for the geometry (the default), or always im2col + GEMM. For tests
// and benchmarks that compare the two; returns the previous setting.
enum class ConvImplementation { automatic, im2col };
ConvImplementation set_conv_implementation(ConvImplementation c);

// The building blocks, exposed for tests and benchmarks.
// cols (C*kh*kw, N*Ho*Wo) from x (N, C, H, W).
void im2col(const ConvGeometry& g, const float* x, float* cols);
// x (N, C, H, W) = bias[c] (or 0) + the sum of every cols entry into the pixel it came from.
void col2im(const ConvGeometry& g, const float* cols, const float* bias, float* x);

}  // namespace ganvas::cpu
