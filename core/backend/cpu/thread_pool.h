// The CPU backend's thread pool: parallel_for over an index range.
//
// One pool for the process. The calling thread takes the first chunk, so a
// pool of T threads has T - 1 workers. Nested calls run serially. Workers keep
// off the caller's CPU and ask for short time slices (thread_scheduling.h), and
// a caller left waiting for one worker's chunk lends that worker its CPU, so
// two threads still beat one when another busy process shares the cores.
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

// Calls fn(begin, end) over [0, n) in contiguous chunks of at least `grain`
// items, parallel_tasks(n, grain) of them. Runs inline when n < 2 * grain,
// when nested, or with one thread.
//
// The threads claim chunks one at a time, so a thread whose core is shared
// with another busy process takes fewer chunks, instead of the whole call
// waiting for its half. Which thread runs a chunk varies; where a chunk's
// boundaries lie does not (they depend on n, grain and num_threads() only),
// so kernels whose results depend on the chunking stay deterministic.
void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

// How many chunks parallel_for makes of n items: up to kChunksPerThread a
// thread, each at least `grain` items; 1 with one thread. For kernels that
// keep a partial result per chunk.
constexpr int64_t kChunksPerThread = 4;
int64_t parallel_tasks(int64_t n, int64_t grain);

}  // namespace ganvas::cpu
