#include "nn/upsampling.h"

#include <stdexcept>
#include <string>

#include "nn/layer_trace.h"
#include "ops/pixel_shuffle.h"

namespace ganvas {
namespace {

int64_t same_padding(int64_t kernel, const char* who) {
    if (kernel < 1 || kernel % 2 == 0)
        throw std::invalid_argument(std::string(who) +
                                    ": kernel must be odd for same padding, got " +
                                    std::to_string(kernel));
    return kernel / 2;
}

}  // namespace

ResizeConv2d::ResizeConv2d(int64_t in, int64_t out, int64_t scale_, int64_t kernel,
                           InterpMode mode_, bool bias, Rng& rng)
    : conv(in, out, kernel, 1, same_padding(kernel, "ResizeConv2d"), bias, rng),
      scale(scale_),
      mode(mode_) {
    if (scale < 1) throw std::invalid_argument("ResizeConv2d: scale must be at least 1");
    if (mode != InterpMode::nearest && mode != InterpMode::bilinear)
        throw std::invalid_argument("ResizeConv2d: mode must be nearest or bilinear");
    register_module("conv", conv);
}

Tensor ResizeConv2d::forward(const Tensor& x) const {
    InterpolateOptions o;
    o.mode = mode;
    o.scale = {static_cast<double>(scale), static_cast<double>(scale)};
    Tensor y = conv.forward(interpolate(x, o));  // (N, out, H * s, W * s)
    LayerTrace::record(this, y);
    return y;
}

SubPixelConv2d::SubPixelConv2d(int64_t in, int64_t out, int64_t r_, int64_t kernel, bool bias,
                               Rng& rng)
    : conv(in, out * r_ * r_, kernel, 1, same_padding(kernel, "SubPixelConv2d"), bias, rng), r(r_) {
    register_module("conv", conv);
}

Tensor SubPixelConv2d::forward(const Tensor& x) const {
    Tensor y = pixel_shuffle(conv.forward(x), r);  // (N, out, H * r, W * r)
    LayerTrace::record(this, y);
    return y;
}

void icnr_(Tensor& weight, Tensor* bias, int64_t r, Rng& rng) {
    const int64_t rr = r * r;
    if (weight.dim() != 4 || r < 1 || weight.size(0) % rr != 0)
        throw std::invalid_argument("icnr: weight " + shape_str(weight.shape()) +
                                    " needs out-channels divisible by r^2 = " + std::to_string(rr));
    const int64_t c = weight.size(0) / rr;
    const int64_t per = weight.numel() / weight.size(0);  // Cin * kh * kw
    Tensor sub = Tensor::empty({c, weight.size(1), weight.size(2), weight.size(3)});
    init_uniform_fan_in(sub, per, rng);
    float* w = weight.data();
    for (int64_t o = 0; o < weight.size(0); ++o)  // channel o = c * r^2 + s shows kernel c
        for (int64_t k = 0; k < per; ++k) w[o * per + k] = sub.data()[(o / rr) * per + k];
    if (bias && bias->defined()) {
        float* b = bias->data();
        for (int64_t o = 0; o < bias->numel(); ++o) b[o] = b[(o / rr) * rr];
    }
}

}  // namespace ganvas
