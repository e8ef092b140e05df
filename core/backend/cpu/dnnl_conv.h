// 2-D convolutions through oneDNN's direct JIT kernels (Debian's libdnnl-dev,
// the library PyTorch's own CPU convolutions use).
//
// Tensors stay NCHW; each call reorders into the blocked layouts the kernels
// want and back, which costs a copy of each operand and saves the im2col
// matrix and its scatter back. One batch, one thread: the caller splits the
// batch over the pool. Measured one thread on D's 64->128 4x4 stride-2
// layer at batch 64: forward 4.8 ms against im2col + GEMM's 8.5.
#pragma once

#include "backend/conv_geometry.h"

namespace ganvas::cpu {

enum class ConvPass { forward, backward_data, backward_weight };

// Whether oneDNN has a fast (JIT, not reference) kernel for this geometry
// and pass (the forward with or without a bias); builds and keeps the kernel
// for this thread.
bool dnnl_conv_available(const ConvGeometry& g, ConvPass pass, bool bias = false);

// The weights in the layout a pass's kernel keeps them in (blocked, maybe
// padded). A call reorders them once for all of its batch chunks, instead of
// once a chunk: with two threads, eight chunks reordered each layer's weights
// eight times, 6 of every 50 ms of a dcgan28 step.
//   weight_floats: the room they take, in floats.
//   weights_in: w (K, C, kh, kw) into that layout (forward, backward_data).
//   weights_out: backward_weight's gradient from that layout into w (K, C, kh, kw).
//   same_weight_layout: whether kernels for geometries a and b keep the
//     weights alike (a call's last chunk may be smaller than the others).
int64_t dnnl_weight_floats(const ConvGeometry& g, ConvPass pass, bool bias = false);
void dnnl_weights_in(const ConvGeometry& g, ConvPass pass, bool bias, const float* w,
                     float* kernel_w);
void dnnl_weights_out(const ConvGeometry& g, const float* kernel_w, float* w);
bool dnnl_same_weight_layout(const ConvGeometry& a, const ConvGeometry& b, ConvPass pass,
                             bool bias = false);

// The three passes, as conv_kernels.h defines them, for geometries where
// dnnl_conv_available is true, with the weights (kernel_w) in the kernel's
// layout. backward_data adds no bias; every output is overwritten.
void dnnl_conv2d_forward(const ConvGeometry& g, const float* x, const float* kernel_w,
                         const float* bias, float* y);
void dnnl_conv2d_backward_data(const ConvGeometry& g, const float* y, const float* kernel_w,
                               float* x);
void dnnl_conv2d_backward_weight(const ConvGeometry& g, const float* x, const float* y,
                                 float* kernel_w);

}  // namespace ganvas::cpu
