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

// The three passes, as conv_kernels.h defines them, for geometries where
// dnnl_conv_available is true. backward_data adds no bias; every output is
// overwritten.
void dnnl_conv2d_forward(const ConvGeometry& g, const float* x, const float* w, const float* bias,
                         float* y);
void dnnl_conv2d_backward_data(const ConvGeometry& g, const float* y, const float* w, float* x);
void dnnl_conv2d_backward_weight(const ConvGeometry& g, const float* x, const float* y, float* w);

}  // namespace ganvas::cpu
