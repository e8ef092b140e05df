// The CPU backend's spatial kernels.
#include "backend/cpu/cpu_backend.h"
#include "backend/spatial_kernels.h"

namespace ganvas::cpu {
namespace {

class CpuSpatialKernels final : public SpatialKernels {};

}  // namespace

const SpatialKernels& cpu_spatial_kernels() {
    static const CpuSpatialKernels kernels;
    return kernels;
}

}  // namespace ganvas::cpu
