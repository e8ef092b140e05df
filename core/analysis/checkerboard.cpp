#include "analysis/checkerboard.h"

#include <memory>
#include <stdexcept>

#include "autograd/autograd.h"
#include "nn/upsampling.h"
#include "ops/conv.h"
#include "ops/shape_ops.h"
#include "tensor/rng.h"

namespace ganvas {
namespace {

// `layers` all-ones transposed convolutions applied to an all-ones (1, 1, h, w) input.
Tensor overlap(int64_t h, int64_t w, int64_t kh, int64_t kw, int64_t stride, int64_t padding,
               int64_t layers) {
    if (h < 1 || w < 1 || kh < 1 || kw < 1 || stride < 1 || padding < 0 || layers < 1 || layers > 6)
        throw std::invalid_argument(
            "overlap: needs positive sizes, kernel and stride, padding "
            ">= 0 and 1 to 6 layers");
    NoGradGuard no_grad;
    Conv2dParams p;
    p.stride = {h == 1 ? 1 : stride, stride};
    p.padding = {h == 1 ? 0 : padding, padding};
    Tensor x = Tensor::ones({1, 1, h, w});
    const Tensor k = Tensor::ones({1, 1, kh, kw});
    for (int64_t l = 0; l < layers; ++l) {
        const int64_t oh = (x.size(2) - 1) * p.stride[0] - 2 * p.padding[0] + kh;
        const int64_t ow = (x.size(3) - 1) * p.stride[1] - 2 * p.padding[1] + kw;
        if (oh < 1 || ow < 1 || oh * ow > (1 << 22))
            throw std::invalid_argument("overlap: the stack's output would be empty or too large");
        x = conv_transpose2d(x, k, Tensor(), p);
    }
    return x;
}

}  // namespace

Tensor overlap_1d(int64_t n, int64_t kernel, int64_t stride, int64_t padding, int64_t layers) {
    Tensor y = overlap(1, n, 1, kernel, stride, padding, layers);  // (1, 1, 1, out)
    return reshape(y, {y.size(3)});
}

Tensor overlap_2d(int64_t n, int64_t kernel, int64_t stride, int64_t padding, int64_t layers) {
    Tensor y = overlap(n, n, kernel, kernel, stride, padding, layers);  // (1, 1, out, out)
    return reshape(y, {y.size(2), y.size(3)});
}

const char* upsampler_name(UpsamplerKind kind) {
    switch (kind) {
        case UpsamplerKind::transposed:
            return "transposed conv";
        case UpsamplerKind::resize_nearest:
            return "resize-conv (nearest)";
        case UpsamplerKind::resize_bilinear:
            return "resize-conv (bilinear)";
        case UpsamplerKind::pixelshuffle:
            return "PixelShuffle";
        case UpsamplerKind::pixelshuffle_icnr:
            return "PixelShuffle + ICNR";
    }
    return "?";
}

void transposed_2x_padding(int64_t kernel, int64_t& padding, int64_t& output_padding) {
    padding = (kernel - 1) / 2;
    output_padding = 2 + 2 * padding - kernel;
}

Tensor upsampler_stack_at_init(UpsamplerKind kind, const Tensor& input, int64_t layers,
                               int64_t kernel, uint64_t seed) {
    if (input.dim() != 4 || input.size(0) != 1 || layers < 1 || layers > 5 || kernel < 1 ||
        kernel > 9)
        throw std::invalid_argument(
            "upsampler_stack_at_init: needs input (1, C, h, w), 1 to 5 "
            "layers and a kernel of 1 to 9");
    NoGradGuard no_grad;
    Rng rng(seed);
    const int64_t channels = input.size(1), odd = kernel | 1;
    Tensor x = input;
    for (int64_t l = 0; l < layers; ++l) {
        const int64_t out = l + 1 == layers ? 1 : channels;
        switch (kind) {
            case UpsamplerKind::transposed: {
                ConvTranspose2d t(channels, out, kernel, 2, 0, true, rng);
                transposed_2x_padding(kernel, t.params.padding[0], t.params.output_padding[0]);
                t.params.padding[1] = t.params.padding[0];
                t.params.output_padding[1] = t.params.output_padding[0];
                x = t.forward(x);
                break;
            }
            case UpsamplerKind::resize_nearest:
            case UpsamplerKind::resize_bilinear: {
                const InterpMode m = kind == UpsamplerKind::resize_nearest ? InterpMode::nearest
                                                                           : InterpMode::bilinear;
                x = ResizeConv2d(channels, out, 2, odd, m, true, rng).forward(x);
                break;
            }
            case UpsamplerKind::pixelshuffle:
            case UpsamplerKind::pixelshuffle_icnr: {
                SubPixelConv2d s(channels, out, 2, odd, true, rng);
                if (kind == UpsamplerKind::pixelshuffle_icnr)
                    icnr_(s.conv.weight, &s.conv.bias, 2, rng);
                x = s.forward(x);
                break;
            }
        }
    }
    return x;  // (1, 1, h * 2^L, w * 2^L)
}

}  // namespace ganvas
