// Learned upsampling layers that avoid the checkerboard of transposed convolutions:
// resize-convolution (Odena et al., Distill 2016) and sub-pixel convolution
// (Shi et al. 2016) with ICNR initialisation (Aitken et al. 2017).
#pragma once

#include "nn/layers.h"
#include "ops/interpolate.h"

namespace ganvas {

// Upsample by an integer factor (nearest or bilinear), then a k x k convolution with
// "same" padding: every output pixel sees the same number of inputs, so no checkerboard.
class ResizeConv2d : public Module {
public:
    // kernel must be odd (so "same" padding is symmetric); mode nearest or bilinear.
    ResizeConv2d(int64_t in, int64_t out, int64_t scale, int64_t kernel, InterpMode mode, bool bias,
                 Rng& rng);
    Tensor forward(const Tensor& x) const;  // (N, in, H, W) -> (N, out, H * scale, W * scale)
    std::string type_name() const override { return "ResizeConv2d"; }

    Conv2d conv;  // "conv.weight" (out, in, k, k), "conv.bias" (out)
    int64_t scale;
    InterpMode mode;
};

// A "same" convolution to out * r^2 channels, then PixelShuffle(r).
class SubPixelConv2d : public Module {
public:
    SubPixelConv2d(int64_t in, int64_t out, int64_t r, int64_t kernel, bool bias, Rng& rng);
    Tensor forward(const Tensor& x) const;  // (N, in, H, W) -> (N, out, H * r, W * r)
    std::string type_name() const override { return "SubPixelConv2d"; }

    Conv2d conv;  // "conv.weight" (out * r^2, in, k, k)
    int64_t r;
};

// ICNR: a convolution weight (C * r^2, Cin, kh, kw) meant for PixelShuffle(r) gets one
// kernel per output channel c, drawn as PyTorch's default init for (C, Cin, kh, kw),
// copied to all r^2 sub-pixel channels c * r^2 + s. Then conv + PixelShuffle equals the
// nearest-upsampled convolution with that kernel: no checkerboard at step 0. A bias
// (C * r^2), if given, is made equal across each channel's r^2 copies the same way.
void icnr_(Tensor& weight, Tensor* bias, int64_t r, Rng& rng);

}  // namespace ganvas
