// Storage: a tensor's raw bytes on one device.
//
// Host storage is 64-byte aligned memory that kernels read through data().
// Device storage is a buffer a backend owns: `handle` names it to that
// backend (a GL buffer object, for the OpenGL backend), and the release
// function gives it back to the backend's pool when the last tensor using it
// goes. Host code cannot read device storage: data() on it throws, naming the
// op that asked (see current_op()), so a missed transfer is a clear error, not
// a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

#include "backend/device.h"

namespace ganvas {

class Storage {
public:
    using Release = std::function<void(uint64_t handle, size_t bytes)>;

    explicit Storage(size_t bytes);                                          // host memory
    Storage(Device device, size_t bytes, uint64_t handle, Release release);  // device memory
    // Host memory labelled as `device`: the emulated GPU of the tests (see
    // emulated_gpu.h), whose kernels are the CPU's but whose memory host code
    // must not touch.
    Storage(Device device, size_t bytes);
    ~Storage();
    Storage(const Storage&) = delete;
    Storage& operator=(const Storage&) = delete;

    Device device() const { return device_; }
    size_t bytes() const { return bytes_; }
    // Host memory; throws std::logic_error on device storage.
    void* data();
    const void* data() const;
    uint64_t handle() const { return handle_; }  // device storage's buffer (0 on the host)
    // For CPU kernels only: the host memory behind this storage, on the CPU or
    // the emulated GPU; throws on real device memory.
    void* kernel_data();
    const void* kernel_data() const;

private:
    Device device_ = Device::cpu;
    void* data_ = nullptr;
    size_t bytes_ = 0;
    uint64_t handle_ = 0;
    Release release_;
};

// The op whose kernel ran last on this thread, for messages ("conv2d"); set by
// dispatch() in backend.h. "" before the first.
const char* current_op();
void set_current_op(const char* op);

}  // namespace ganvas
