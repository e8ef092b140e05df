// The CPU backend's thread pool: parallel_for over an index range.
//
// One pool for the process. The calling thread takes the first chunk, so a
// pool of T threads has T - 1 workers. Nested calls run serially.
#pragma once

#include <cstdint>
#include <functional>

namespace ganvas::cpu {

// Threads used by kernels; defaults to the hardware's core count.
int num_threads();
void set_num_threads(int n);

// Calls fn(begin, end) over [0, n) in up to num_threads() contiguous chunks of
// at least `grain` items. Runs inline when n < 2 * grain or when nested.
void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

}  // namespace ganvas::cpu
