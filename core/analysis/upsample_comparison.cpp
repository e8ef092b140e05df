#include "analysis/upsample_comparison.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "analysis/image_quality.h"
#include "analysis/spectrum.h"
#include "autograd/autograd.h"
#include "ops/shape_ops.h"

namespace ganvas {
namespace {

// (1, C, H, W) -> (1, C, min(H, side), min(W, side)), the centre kept.
Tensor crop_center(const Tensor& x, int64_t side) {
    Tensor y = x;
    for (int64_t d : {2, 3})
        if (y.size(d) > side) y = narrow(y, d, (y.size(d) - side) / 2, side);
    return y;
}

Tensor drop_batch(const Tensor& x) {
    return reshape(x, {x.size(1), x.size(2), x.size(3)});
}

}  // namespace

const std::vector<InterpMode>& comparison_modes() {
    static const std::vector<InterpMode> modes = {InterpMode::nearest, InterpMode::nearest_exact,
                                                  InterpMode::bilinear, InterpMode::bicubic,
                                                  InterpMode::area};
    return modes;
}

Tensor log_spectrum(const Tensor& image) {
    const int64_t c = image.size(0), h = image.size(1), w = image.size(2);
    Tensor gray = Tensor::zeros({h, w});
    for (int64_t ch = 0; ch < c; ++ch)
        for (int64_t i = 0; i < h * w; ++i)
            gray.data()[i] += image.data()[ch * h * w + i] / static_cast<float>(c);
    Tensor m = fft2_magnitude(gray);
    float top = 0;
    for (int64_t i = 0; i < m.numel(); ++i) {
        m.data()[i] = std::log1p(m.data()[i]);
        top = std::max(top, m.data()[i]);
    }
    if (top > 0)
        for (int64_t i = 0; i < m.numel(); ++i) m.data()[i] /= top;
    return m;
}

UpsampleComparison compare_upsamplers(const Tensor& image, double scale, bool round_trip,
                                      bool align_corners, int64_t max_side) {
    NoGradGuard no_grad;
    Tensor x =
        image.dim() == 3 ? reshape(image, {1, image.size(0), image.size(1), image.size(2)}) : image;
    if (x.dim() != 4 || x.size(0) != 1 || x.dtype() != DType::f32)
        throw std::invalid_argument(
            "compare_upsamplers: needs one float32 image (1, C, H, W), got " +
            shape_str(image.shape()));
    if (!(scale >= 1.0) || scale > 16.0)
        throw std::invalid_argument("compare_upsamplers: scale must be from 1 to 16");
    const int64_t side = round_trip ? max_side : static_cast<int64_t>(max_side / scale);
    x = crop_center(x, std::max<int64_t>(side, 1));  // (1, C, H, W)

    UpsampleComparison out;
    out.scale = scale;
    out.round_trip = round_trip;
    out.original = drop_batch(x).clone();
    out.original_spectrum = log_spectrum(out.original);
    Tensor small = x;  // (1, C, h, w)
    if (round_trip) {
        InterpolateOptions down;
        down.mode = InterpMode::area;
        down.size = {std::max<int64_t>(1, static_cast<int64_t>(x.size(2) / scale)),
                     std::max<int64_t>(1, static_cast<int64_t>(x.size(3) / scale))};
        small = interpolate(x, down);
    }
    out.input = drop_batch(small).clone();
    for (InterpMode mode : comparison_modes()) {
        InterpolateOptions o;
        o.mode = mode;
        o.align_corners =
            align_corners && (mode == InterpMode::bilinear || mode == InterpMode::bicubic);
        if (round_trip)
            o.size = {x.size(2), x.size(3)};
        else
            o.scale = {scale, scale};
        const Tensor y = interpolate(small, o);  // (1, C, Ho, Wo)
        UpsampledView v;
        v.mode = mode;
        v.image = drop_batch(y).clone();
        v.spectrum = log_spectrum(v.image);
        if (round_trip) {
            v.psnr = psnr(y, x, 2.0);  // pixels span [-1, 1]
            v.ssim = x.size(2) >= 11 && x.size(3) >= 11 ? ssim(y, x, 2.0)
                                                        : std::numeric_limits<double>::quiet_NaN();
        }
        out.views.push_back(std::move(v));
    }
    return out;
}

}  // namespace ganvas
