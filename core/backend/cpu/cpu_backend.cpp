#include "backend/cpu/cpu_backend.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace ganvas::cpu {
namespace {

class CpuBackend final : public Backend {
public:
    explicit CpuBackend(Device device) : device_(device) {
        // One line per kernel family, in the order of backend.h.
        elementwise_ = &cpu_elementwise_kernels();
        reduce_ = &cpu_reduce_kernels();
        norm_ = &cpu_norm_kernels();
        spatial_ = &cpu_spatial_kernels();
        layout_ = &cpu_layout_kernels();
        linear_ = &cpu_linear_kernels();
        update_ = &cpu_update_kernels();
    }

    Device device() const override { return device_; }
    std::string describe() const override {
        return device_ == Device::cpu ? "cpu" : "emulated gpu (CPU kernels)";
    }

    std::shared_ptr<Storage> allocate(size_t bytes) override {
        if (device_ == Device::cpu) return std::make_shared<Storage>(bytes);
        return std::make_shared<Storage>(device_, bytes);
    }
    void upload(Storage& dst, size_t offset, const void* src, size_t bytes) override {
        check(dst, offset, bytes, "upload");
        if (bytes) std::memcpy(static_cast<char*>(dst.kernel_data()) + offset, src, bytes);
    }
    void download(const Storage& src, size_t offset, void* dst, size_t bytes) override {
        check(src, offset, bytes, "download");
        if (bytes) std::memcpy(dst, static_cast<const char*>(src.kernel_data()) + offset, bytes);
    }
    void copy(const Storage& src, Storage& dst, size_t bytes) override {
        check(src, 0, bytes, "copy");
        check(dst, 0, bytes, "copy");
        if (bytes && src.kernel_data() != dst.kernel_data())
            std::memmove(dst.kernel_data(), src.kernel_data(), bytes);
    }
    void fill(Storage& dst, float value, size_t count) override {
        check(dst, 0, count * sizeof(float), "fill");
        std::fill_n(f32(dst), count, value);
    }
    void zero(Storage& dst, size_t bytes) override {
        check(dst, 0, bytes, "zero");
        if (bytes) std::memset(dst.kernel_data(), 0, bytes);
    }

private:
    Device device_;
    static void check(const Storage& s, size_t offset, size_t bytes, const char* what) {
        if (offset > s.bytes() || bytes > s.bytes() - offset)
            throw std::out_of_range(std::string("cpu ") + what + " past the end of a buffer");
    }
};

}  // namespace

Backend& cpu_backend() {
    static CpuBackend backend(Device::cpu);
    return backend;
}

Backend& emulated_gpu_backend() {
    static CpuBackend backend(Device::gpu);
    return backend;
}

}  // namespace ganvas::cpu
