// The OpenGL 4.3 compute backend: GPU buffers and compute-shader kernels.
//
// It opens on first use on a headless EGL display (gl_context.h). Each thread
// that runs GPU ops gets its own context, made current on it and closed when
// it ends (one context per thread that runs kernels); the contexts share
// their buffers, and one buffer pool serves them all. A GPU tensor written on
// one thread may be read on another after synchronize() on the writer.
// Storage can be released on any thread: its buffer only goes back to the pool.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "backend/backend.h"
#include "backend/gl/gl_buffer_pool.h"

namespace ganvas::gl {

// The calling thread's GL backend. Throws std::runtime_error with one line
// (the EGL error, or the renderer and GL version found) where no GL 4.3
// compute context can be made; asked again, it throws the same line.
Backend& gl_backend();
bool gl_backend_available(std::string* why);

// The buffer pool's counters (zeros where the backend cannot open).
GpuPoolStats gpu_pool_stats();
// Caps the bytes of GPU buffers held (0: no cap but the driver's), for tests
// of running out of memory; opens the backend if need be. The environment's
// GANVAS_GPU_MEMORY_CAP (MiB) sets it when the backend opens. Allocations
// past it throw "GPU out of memory: ...".
void set_gpu_memory_cap(size_t bytes);
// The most floats a convolution's im2col scratch holds at once (64 MiB's
// worth by default): a larger batch runs in chunks of images. Tests set it
// small to split small batches.
void set_gpu_conv_scratch_floats(int64_t floats);
// Deletes the buffers the pool keeps for reuse (not those in use).
void trim_gpu_pool();

}  // namespace ganvas::gl
