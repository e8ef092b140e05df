// The CPU backend: host memory, kernels split over the thread pool.
#pragma once

#include "backend/backend.h"

namespace ganvas::cpu {

Backend& cpu_backend();

// The kernel families moved behind the seam so far, one file each (cpu_<family>.cpp).
const ElementwiseKernels& cpu_elementwise_kernels();
const ReduceKernels& cpu_reduce_kernels();
const NormKernels& cpu_norm_kernels();
const SpatialKernels& cpu_spatial_kernels();
const LayoutKernels& cpu_layout_kernels();
const LinearKernels& cpu_linear_kernels();
const UpdateKernels& cpu_update_kernels();

// The emulated GPU of the tests: the CPU's kernels on memory labelled
// Device::gpu, which host code outside kernels cannot read (see emulated_gpu.h).
Backend& emulated_gpu_backend();

// Host pointers of storage for the kernels (CPU or emulated-GPU memory).
inline float* f32(Storage& s) {
    return static_cast<float*>(s.kernel_data());
}
inline const float* f32(const Storage& s) {
    return static_cast<const float*>(s.kernel_data());
}
inline int64_t* i64(Storage& s) {
    return static_cast<int64_t*>(s.kernel_data());
}
inline const int64_t* i64(const Storage& s) {
    return static_cast<const int64_t*>(s.kernel_data());
}

}  // namespace ganvas::cpu
