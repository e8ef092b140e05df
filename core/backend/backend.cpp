#include "backend/backend.h"

#include <stdexcept>
#include <string>

#include <atomic>

#include "backend/cpu/cpu_backend.h"
#include "backend/emulated_gpu.h"
#include "backend/gl/gl_backend.h"
#include "backend/linear_kernels.h"

namespace ganvas {

void Backend::missing(const char* family) const {
    std::string op = current_op();
    throw std::runtime_error((op.empty() ? std::string("this op") : op) + " has no " + family +
                             " kernels on the " + device_name(device()) + " backend yet");
}

namespace {
std::atomic<bool> g_emulated_gpu{false};
}  // namespace

void use_emulated_gpu(bool on) {
    g_emulated_gpu = on;
}
bool emulated_gpu_in_use() {
    return g_emulated_gpu;
}

Backend& backend_for(Device device) {
    if (device == Device::cpu) return cpu::cpu_backend();
    if (g_emulated_gpu) return cpu::emulated_gpu_backend();
    return gl::gl_backend();
}

bool backend_available(Device device, std::string* why) {
    if (device == Device::cpu || g_emulated_gpu) return true;
    return gl::gl_backend_available(why);
}

void LinearKernels::linear_forward(const LinearShape&, const Storage&, const Storage&,
                                   const Storage*, Storage&) const {
    throw std::logic_error("linear_forward: this backend has no fused linear layer");
}

void LinearKernels::linear_backward_params(const LinearShape&, const Storage&, const Storage&,
                                           Storage&, Storage*) const {
    throw std::logic_error("linear_backward_params: this backend has no fused linear layer");
}

void LinearKernels::causal_attention_forward(const AttentionShape&, const Storage&, Storage&,
                                             Storage&) const {
    throw std::logic_error("causal_attention_forward: this backend has no fused attention");
}

void LinearKernels::causal_attention_backward(const AttentionShape&, const Storage&, const Storage&,
                                              const Storage&, Storage&) const {
    throw std::logic_error("causal_attention_backward: this backend has no fused attention");
}

}  // namespace ganvas
