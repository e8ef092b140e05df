// The CPU backend's layout kernels.
#include "backend/cpu/cpu_backend.h"
#include "backend/layout_kernels.h"

namespace ganvas::cpu {
namespace {

class CpuLayoutKernels final : public LayoutKernels {};

}  // namespace

const LayoutKernels& cpu_layout_kernels() {
    static const CpuLayoutKernels kernels;
    return kernels;
}

}  // namespace ganvas::cpu
