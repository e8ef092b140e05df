// The geometry of a 2-D convolution, shared by every backend's kernels.
//
// One geometry describes a convolution from conv2d's side: the image x
// (N, C, H, W) correlated with a kernel w (K, C, kh, kw) gives y (N, K, Ho, Wo).
// Ho and Wo need not be conv2d's natural output size: positions that fall
// outside the image read as zero and receive nothing, so a transposed
// convolution with output_padding is the same geometry.
#pragma once

#include <cstdint>

namespace ganvas {

struct ConvGeometry {
    int64_t N = 0, C = 0, H = 0, W = 0;  // image x (N, C, H, W)
    int64_t K = 0;                       // output channels: y (N, K, Ho, Wo)
    int64_t kh = 1, kw = 1;              // kernel w (K, C, kh, kw)
    int64_t Ho = 0, Wo = 0;
    int64_t sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1;  // stride, padding, dilation

    int64_t rows() const { return C * kh * kw; }  // of im2col's matrix: one per (c, i, j)
    int64_t pixels() const { return Ho * Wo; }    // output pixels per image
};

}  // namespace ganvas
