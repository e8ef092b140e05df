// The CPU's spatial kernels on host pointers: pooling, resizing and pixel
// shuffles of NCHW planes, split plane by plane over the thread pool. The
// contracts are SpatialKernels' (backend/spatial_kernels.h); every function
// overwrites its whole output.
#pragma once

#include <cstdint>

#include "backend/spatial_kernels.h"

namespace ganvas::cpu {

// y (planes, out_h, out_w) = the pool of x; max also writes indices, else indices is null.
void pool2d_forward(PoolMode mode, const PoolGeometry& g, const float* x, float* y,
                    int64_t* indices);
// gx (planes, in_h, in_w) = the adjoint of the pool applied to gy.
void pool2d_backward(PoolMode mode, const PoolGeometry& g, const float* gy, const int64_t* indices,
                     float* gx);

// dst[p, k] = src[p, indices[p, k]].
void plane_gather(int64_t planes, int64_t src_plane, int64_t index_plane, const float* src,
                  const int64_t* indices, float* dst);
// dst = 0, then dst[p, indices[p, k]] (+)= src[p, k].
void plane_scatter(bool accumulate, int64_t planes, int64_t index_plane, int64_t dst_plane,
                   const float* src, const int64_t* indices, float* dst);

void interpolate_forward(InterpolationMode mode, const InterpolateGeometry& g, const float* x,
                         float* y);
void interpolate_backward(InterpolationMode mode, const InterpolateGeometry& g, const float* gy,
                          float* gx);

// Elements of g.element_bytes bytes.
void pixel_shuffle(bool unshuffle, const PixelShuffleGeometry& g, const void* x, void* y);

}  // namespace ganvas::cpu
