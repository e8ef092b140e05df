// The CPU backend: host memory, kernels split over the thread pool.
#pragma once

#include "backend/backend.h"

namespace ganvas::cpu {

Backend& cpu_backend();

// The kernel families, one file each (cpu_<family>.cpp).
const ElementwiseKernels& cpu_elementwise_kernels();
const ReduceKernels& cpu_reduce_kernels();
const NormKernels& cpu_norm_kernels();
const SpatialKernels& cpu_spatial_kernels();
const LayoutKernels& cpu_layout_kernels();
const LinearKernels& cpu_linear_kernels();
const UpdateKernels& cpu_update_kernels();

// Host pointers of CPU storage, for the kernels.
inline float* f32(Storage& s) {
    return static_cast<float*>(s.data());
}
inline const float* f32(const Storage& s) {
    return static_cast<const float*>(s.data());
}
inline int64_t* i64(Storage& s) {
    return static_cast<int64_t*>(s.data());
}
inline const int64_t* i64(const Storage& s) {
    return static_cast<const int64_t*>(s.data());
}

}  // namespace ganvas::cpu
