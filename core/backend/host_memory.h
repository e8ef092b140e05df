// Host memory for tensors, from a cache of freed blocks.
//
// A training step allocates the same buffers, of the same sizes, every step.
// Fresh memory for each of them costs page faults and the kernel's zeroing of
// every page (2-6% of a step, measured with perf), so a freed block is kept
// and the next request of the same rounded size takes it back: a warm step
// asks the system for nothing. The cache holds at most a cap of bytes
// (GANVAS_HOST_CACHE_MB, default 1024; 0 turns it off) and is off under
// AddressSanitizer, so a use after free is still caught.
#pragma once

#include <cstddef>

namespace ganvas {

// 64-byte aligned memory of at least `bytes` (one cache line for 0); throws
// std::bad_alloc.
void* acquire_host_memory(size_t bytes);
// Gives back memory from acquire_host_memory(bytes), with the same `bytes`.
void release_host_memory(void* p, size_t bytes);

struct HostMemoryStats {
    size_t cached_bytes = 0;  // held for reuse now
    size_t hits = 0;          // requests served from the cache
    size_t misses = 0;        // requests that went to the system
};
HostMemoryStats host_memory_stats();
// Frees every cached block (a model that is gone leaves its sizes behind).
void trim_host_memory();
// The cache's cap in bytes (0 turns it off), and frees what is above it.
// Returns the previous cap. Ignored (0) under AddressSanitizer.
size_t set_host_memory_cache_limit(size_t bytes);

}  // namespace ganvas
