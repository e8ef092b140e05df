// How the thread pool asks Linux's scheduler for the treatment a fork-join
// pool needs when another busy process shares the cores. Every call is
// advisory: where the system refuses, the pool runs as before.
#pragma once

#include <sched.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>

namespace ganvas::cpu {

// Raises the calling thread's nice value and, for nice > 0, moves it to
// SCHED_IDLE (unless GANVAS_NO_SCHED_IDLE is set): it then runs only on
// cycles no normal thread wants. False where the system refused.
bool lower_thread_priority(int nice);

// Whether thread `tid` runs lowered: at a nice value above 0, or SCHED_IDLE.
bool thread_is_lowered(pid_t tid);

// A worker's time slice. On Linux 6.12 and later (EEVDF with custom slices)
// a thread with a short slice that wakes up preempts a thread that has run
// for longer, instead of waiting for the next tick (4 ms at HZ=250).
constexpr std::chrono::microseconds kWorkerSlice{100};

// Requests `slice` as the calling thread's time slice, keeping its policy and
// nice value. False where the kernel refused or has no custom slices.
bool request_time_slice(std::chrono::microseconds slice);

// The time slice thread `tid` asked for, in nanoseconds; 0 where it asked for
// none or the kernel cannot say.
uint64_t requested_time_slice_ns(pid_t tid);

// The CPUs this process may run on, captured once, and the rule that keeps a
// worker off the CPU its caller runs on. A worker that shares the caller's
// core can only run while the caller waits for it, and a busy process then
// has the other core to itself.
class CpuPlacement {
public:
    // Captures the calling thread's allowed CPUs; `threads` is the pool's
    // size. Keeping off the caller applies only when every pool thread can
    // have a CPU of its own.
    void capture(int threads);
    bool active() const { return active_; }

    // Lets the calling worker run anywhere it may except `caller_cpu` (-1:
    // anywhere). Makes the system call only when `caller_cpu` differs from
    // `*kept_off`, which it then updates.
    void keep_off(int caller_cpu, int* kept_off) const;

    // Moves thread `tid` onto `cpu` alone, until its next keep_off: for a
    // worker the caller waits for while its own CPU would idle. False where
    // the system refused or placement is not active.
    bool move_to(pid_t tid, int cpu) const;

private:
    cpu_set_t allowed_{};
    bool active_ = false;
};

}  // namespace ganvas::cpu
