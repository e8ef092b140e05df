// The emulated GPU: for tests of the device seam without a GPU.
//
// After use_emulated_gpu(true), Device::gpu tensors live in host memory that
// only kernels may touch: Tensor::data() on them throws, as on a real GPU,
// while the kernels are the CPU's. A model step that runs on the emulated GPU
// and equals its CPU step bit for bit proves that nothing in it reads device
// memory on the host; the real GL backend is then a matter of its kernels.
#pragma once

namespace ganvas {

// Routes backend_for(Device::gpu) to the emulated GPU (true) or the real GPU
// backend (false, the default). For tests; not thread-safe against running ops.
void use_emulated_gpu(bool on);
bool emulated_gpu_in_use();

// Sets use_emulated_gpu(true) for a scope.
class EmulatedGpuScope {
public:
    EmulatedGpuScope() : previous_(emulated_gpu_in_use()) { use_emulated_gpu(true); }
    ~EmulatedGpuScope() { use_emulated_gpu(previous_); }
    EmulatedGpuScope(const EmulatedGpuScope&) = delete;
    EmulatedGpuScope& operator=(const EmulatedGpuScope&) = delete;

private:
    bool previous_;
};

}  // namespace ganvas
