// The CPU backend's reduce kernels.
#include "backend/cpu/cpu_backend.h"
#include "backend/reduce_kernels.h"

namespace ganvas::cpu {
namespace {

class CpuReduceKernels final : public ReduceKernels {};

}  // namespace

const ReduceKernels& cpu_reduce_kernels() {
    static const CpuReduceKernels kernels;
    return kernels;
}

}  // namespace ganvas::cpu
