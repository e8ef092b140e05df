// The CPU backend's elementwise kernels.
#include "backend/cpu/cpu_backend.h"
#include "backend/elementwise_kernels.h"

namespace ganvas::cpu {
namespace {

class CpuElementwiseKernels final : public ElementwiseKernels {};

}  // namespace

const ElementwiseKernels& cpu_elementwise_kernels() {
    static const CpuElementwiseKernels kernels;
    return kernels;
}

}  // namespace ganvas::cpu
