// The CPU backend's norm kernels.
#include "backend/cpu/cpu_backend.h"
#include "backend/norm_kernels.h"

namespace ganvas::cpu {
namespace {

class CpuNormKernels final : public NormKernels {};

}  // namespace

const NormKernels& cpu_norm_kernels() {
    static const CpuNormKernels kernels;
    return kernels;
}

}  // namespace ganvas::cpu
