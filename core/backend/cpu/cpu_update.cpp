// The CPU backend's update kernels.
#include "backend/cpu/cpu_backend.h"
#include "backend/update_kernels.h"

namespace ganvas::cpu {
namespace {

class CpuUpdateKernels final : public UpdateKernels {};

}  // namespace

const UpdateKernels& cpu_update_kernels() {
    static const CpuUpdateKernels kernels;
    return kernels;
}

}  // namespace ganvas::cpu
