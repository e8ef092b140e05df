// Every interpolation mode on one image, for the Upsampling panel: the results, their
// spectra, and in round-trip mode (downsample, then upsample back) PSNR and SSIM
// against the original.
#pragma once

#include <string>
#include <vector>

#include "ops/interpolate.h"
#include "tensor/tensor.h"

namespace ganvas {

struct UpsampledView {
    InterpMode mode = InterpMode::nearest;
    Tensor image;     // (C, H, W) in the input's range, bicubic overshoot included
    Tensor spectrum;  // (H, W): log(1 + |fft2(channel mean)|) / its maximum, centred, in [0, 1]
    double psnr = 0, ssim = 0;  // round trip only; SSIM is NaN for images under 11x11
};

struct UpsampleComparison {
    Tensor original;  // (C, H, W): the image as given, cropped to the size limit
    Tensor input;     // (C, h, w): what was upsampled (the original, or its area downsample)
    Tensor original_spectrum;
    double scale = 1;
    bool round_trip = false;
    std::vector<UpsampledView> views;  // one per mode in comparison_modes()
};

// nearest, nearest-exact, bilinear, bicubic, area.
const std::vector<InterpMode>& comparison_modes();

// log(1 + |fft2|) of an image's channel mean, scaled to [0, 1]: image (C, H, W) -> (H, W).
Tensor log_spectrum(const Tensor& image);

// image (1, C, H, W) or (C, H, W) in [-1, 1], scale > 1. Plain: each mode upsamples by
// `scale` (PyTorch's rule, floor(side * scale)). Round trip: area-downsample to
// floor(side / scale), then each mode resizes back to the original size. The image is
// centre-cropped first so that no result is larger than max_side a side.
UpsampleComparison compare_upsamplers(const Tensor& image, double scale, bool round_trip,
                                      bool align_corners, int64_t max_side = 512);

}  // namespace ganvas
