// Checkerboard artifacts of learned upsampling (Odena, Dumoulin and Olah, Distill 2016):
// the overlap pattern of transposed convolutions, and what each kind of upsampling
// layer draws at initialisation, before any training.
#pragma once

#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace ganvas {

// How many (input pixel, kernel tap) pairs reach each output of `layers` stacked
// transposed convolutions (each: kernel k, stride s, padding p, all-ones weights) on an
// all-ones input: k / s everywhere when s divides k, an uneven pattern otherwise.
// 1-D: input length n -> (out); 2-D: input n x n -> (out, out).
Tensor overlap_1d(int64_t n, int64_t kernel, int64_t stride, int64_t padding, int64_t layers);
Tensor overlap_2d(int64_t n, int64_t kernel, int64_t stride, int64_t padding, int64_t layers);

// The 2x upsampling layers compared in the checkerboard lab and the learned comparison.
enum class UpsamplerKind {
    transposed,
    resize_nearest,
    resize_bilinear,
    pixelshuffle,
    pixelshuffle_icnr
};
constexpr int kUpsamplerKinds = 5;
const char* upsampler_name(UpsamplerKind kind);  // "transposed conv", "resize-conv (nearest)", ...

// Padding and output padding that make a stride-2 transposed convolution with this
// kernel exactly double its input: p = (k - 1) / 2, output_padding = 2 + 2p - k.
void transposed_2x_padding(int64_t kernel, int64_t& padding, int64_t& output_padding);

// `layers` freshly initialised 2x layers of one kind (PyTorch's default init; ICNR for
// pixelshuffle_icnr), `channels` wide, the last one to a single channel, applied with no
// nonlinearity to input (1, channels, h, w) -> (1, 1, h * 2^layers, w * 2^layers).
// Transposed layers use `kernel`; the others need an odd kernel and use kernel | 1.
Tensor upsampler_stack_at_init(UpsamplerKind kind, const Tensor& input, int64_t layers,
                               int64_t kernel, uint64_t seed);

}  // namespace ganvas
