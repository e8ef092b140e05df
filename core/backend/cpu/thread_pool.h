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

// Lowers the scheduling priority (raises the nice value) of the calling thread
// and of every pool worker, so a thread that must stay responsive — the
// window's — gets a core at once when it needs one. Linux lets a thread lower
// its priority but not raise it back, so this is for a whole training thread's
// life. Returns false where the system refused.
bool lower_compute_priority(int nice);

// Every later parallel_for on the calling thread runs inline, for the rest of
// the thread's life: for threads whose work is small (the toy lab's), where
// waking the pool costs more than it saves and would wait behind another
// thread's job.
void run_serially_on_this_thread();

// Calls fn(begin, end) over [0, n) in up to num_threads() contiguous chunks of
// at least `grain` items. Runs inline when n < 2 * grain or when nested.
void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

}  // namespace ganvas::cpu
