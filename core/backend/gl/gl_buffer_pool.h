// The GPU backend's buffer pool: GL buffer objects kept by size class.
//
// A model allocates the same shapes every step, so a storage's buffer goes
// back to the pool when its last tensor goes and the next allocation of that
// size class takes it again: once warm, a step creates no buffer. A cap on
// the bytes held (buffers in use plus buffers kept) makes an out-of-memory
// error reproducible in tests; the driver's own GL_OUT_OF_MEMORY gives the
// same one-line error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace ganvas::gl {

struct GpuPoolStats {
    size_t buffers_created = 0;  // glGenBuffers calls so far
    size_t buffers_reused = 0;   // allocations served from the pool
    size_t bytes_in_use = 0;     // by live storages, in size-class bytes
    size_t bytes_kept = 0;       // free buffers kept for reuse
    size_t cap_bytes = 0;        // 0: no cap but the driver's
};

class BufferPool {
public:
    BufferPool() = default;
    ~BufferPool();
    BufferPool(const BufferPool&) = delete;
    BufferPool& operator=(const BufferPool&) = delete;

    // The bytes a buffer for `bytes` really holds: at least 256, at most 25% more.
    static size_t size_class(size_t bytes);

    // A buffer of size_class(bytes) bytes; on the GL thread. Throws
    // std::runtime_error "GPU out of memory: ..." past the cap or when the
    // driver runs out, leaving every buffer already handed out as it was.
    uint32_t acquire(size_t bytes);
    // Gives a buffer back (any thread; no GL call). `bytes` as asked of acquire().
    void release(uint32_t buffer, size_t bytes);
    // Deletes the kept buffers; on the GL thread.
    void trim();

    void set_cap(size_t bytes);
    GpuPoolStats stats() const;

private:
    void trim_locked();
    [[noreturn]] void out_of_memory(size_t bytes, const char* why) const;

    mutable std::mutex mutex_;
    std::unordered_map<size_t, std::vector<uint32_t>> free_;  // size class -> buffers
    GpuPoolStats stats_;
};

}  // namespace ganvas::gl
