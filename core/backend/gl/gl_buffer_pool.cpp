#include "backend/gl/gl_buffer_pool.h"

#include <epoxy/gl.h>

#include <bit>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace ganvas::gl {
namespace {

std::string mib(size_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
    return text;
}

}  // namespace

BufferPool::~BufferPool() {
    // The pool outlives its context only in a process that is ending; deleting
    // needs the context, so the buffers go with it instead.
}

size_t BufferPool::size_class(size_t bytes) {
    if (bytes <= 256) return 256;
    // Four classes per power of two: the top three bits of the size.
    const int top = std::bit_width(bytes) - 1;
    const size_t step = size_t{1} << (top - 2);
    return (bytes + step - 1) / step * step;
}

uint32_t BufferPool::acquire(size_t bytes) {
    const size_t size = size_class(bytes);
    std::unique_lock lock(mutex_);
    auto it = free_.find(size);
    if (it != free_.end() && !it->second.empty()) {
        const uint32_t buffer = it->second.back();
        it->second.pop_back();
        stats_.bytes_kept -= size;
        stats_.bytes_in_use += size;
        ++stats_.buffers_reused;
        return buffer;
    }
    const size_t cap = stats_.cap_bytes;
    if (cap && stats_.bytes_in_use + stats_.bytes_kept + size > cap) trim_locked();
    if (cap && stats_.bytes_in_use + size > cap) out_of_memory(bytes, "");
    GLuint buffer = 0;
    while (glGetError() != GL_NO_ERROR) continue;  // an older error is not this allocation's
    glGenBuffers(1, &buffer);
    glBindBuffer(GL_COPY_WRITE_BUFFER, buffer);
    glBufferData(GL_COPY_WRITE_BUFFER, static_cast<GLsizeiptr>(size), nullptr, GL_DYNAMIC_COPY);
    if (glGetError() == GL_OUT_OF_MEMORY && stats_.bytes_kept) {  // room held by the pool
        trim_locked();
        glBufferData(GL_COPY_WRITE_BUFFER, static_cast<GLsizeiptr>(size), nullptr, GL_DYNAMIC_COPY);
    }
    if (glGetError() == GL_OUT_OF_MEMORY) {
        glDeleteBuffers(1, &buffer);
        out_of_memory(bytes, "the driver has no more");
    }
    glFlush();  // other threads' contexts see a new object only once it is flushed
    ++stats_.buffers_created;
    stats_.bytes_in_use += size;
    return buffer;
}

void BufferPool::release(uint32_t buffer, size_t bytes) {
    const size_t size = size_class(bytes);
    std::lock_guard lock(mutex_);
    free_[size].push_back(buffer);
    stats_.bytes_in_use -= size;
    stats_.bytes_kept += size;
}

void BufferPool::trim() {
    std::lock_guard lock(mutex_);
    trim_locked();
}

void BufferPool::trim_locked() {
    for (auto& [size, buffers] : free_) {
        if (!buffers.empty()) glDeleteBuffers(static_cast<GLsizei>(buffers.size()), buffers.data());
        stats_.bytes_kept -= size * buffers.size();
        buffers.clear();
    }
}

void BufferPool::set_cap(size_t bytes) {
    std::lock_guard lock(mutex_);
    stats_.cap_bytes = bytes;
}

GpuPoolStats BufferPool::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

void BufferPool::out_of_memory(size_t bytes, const char* why) const {
    std::string msg =
        "GPU out of memory: " + mib(bytes) + " asked with " + mib(stats_.bytes_in_use) + " in use";
    if (*why) msg += std::string(", ") + why;
    if (stats_.cap_bytes) msg += " (cap " + mib(stats_.cap_bytes) + ")";
    throw std::runtime_error(msg);
}

}  // namespace ganvas::gl
