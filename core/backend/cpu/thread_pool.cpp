#include "backend/cpu/thread_pool.h"

#include "backend/cpu/thread_scheduling.h"

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace ganvas::cpu {
namespace {

// The low 32 bits of a job's number tag its chunk counter.
constexpr uint64_t kJobMask = 0xffffffffu;

// How long a thread polls before it sleeps: a worker for the next job, the
// caller for the workers' last chunks. A step's parallel calls come a few
// microseconds to a millisecond apart, and waking a sleeping thread through
// the kernel takes tens of microseconds on a virtual machine, as long as a
// whole small call. Polling between them keeps both cores on the work.
//
// The poll pauses, and every 64 pauses yields its core: with a core to spare
// the yield returns at once; with another busy process on the core, that
// process runs instead of the poll. Measured on the 2-core machine, 2 threads
// (ms per step, dcgan28 / prior49): sleeping at once 52.2 / 58.1; polling
// 1 ms 47.9 / 53.5. Beside a busy loop: 88.9 / 97.2 and 81.4 / 93.8. Polling
// without the yields, or for 5 ms, was slower beside the busy loop than sleeping.
constexpr std::chrono::microseconds kPoll{1000};

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

// Polls `ready` for up to kPoll; true when it became true meanwhile.
template <typename Ready>
bool poll_until(Ready ready) {
    const auto until = std::chrono::steady_clock::now() + kPoll;
    for (int i = 1;; ++i) {
        if (ready()) return true;
        cpu_relax();
        if (i % 64 != 0) continue;
        sched_yield();
        if (std::chrono::steady_clock::now() >= until) return ready();
    }
}

// What the caller knows of one worker.
struct Slot {
    std::atomic<pid_t> tid{0};
    std::atomic<bool> holding{false};   // between its first claim of a job and its last chunk's end
    std::atomic<bool> moved{false};     // put on the caller's CPU; keep_off must apply again
    std::atomic<bool> kept_off{false};  // barred from the caller's CPU for this job
};

// keep_off's "last applied" value that matches no CPU: apply it again.
constexpr int kMovedAway = -2;

class Pool {
public:
    int size() const { return static_cast<int>(workers_.size()) + 1; }

    void resize(int n) {
        n = std::max(1, n);
        {
            std::lock_guard<std::mutex> lock(m_);
            stop_ = true;
            generation_.fetch_add(1);
        }
        cv_.notify_all();
        for (auto& t : workers_) t.join();
        workers_.clear();
        stop_ = false;
        placement_.capture(n);
        slots_ = std::vector<Slot>(static_cast<size_t>(n - 1));
        for (Slot& slot : slots_) workers_.emplace_back([this, &slot] { loop(&slot); });
    }

    void run(int64_t n, int64_t chunks, const std::function<void(int64_t, int64_t)>& fn) {
        std::lock_guard<std::mutex> one_job(job_mutex_);
        uint64_t job;
        {
            std::lock_guard<std::mutex> lock(m_);
            fn_ = &fn;
            n_ = n;
            chunks_ = chunks;
            error_ = nullptr;
            job = generation_.load(std::memory_order_relaxed) + 1;
            caller_cpu_.store(placement_.active() ? sched_getcpu() : -1, std::memory_order_relaxed);
            finished_.store(0, std::memory_order_relaxed);
            next_.store(((job & kJobMask) << 32) | (static_cast<uint64_t>(chunks) << 16),
                        std::memory_order_release);
            generation_.store(job, std::memory_order_release);
        }
        cv_.notify_all();
        const auto start = std::chrono::steady_clock::now();
        const int64_t mine = work(job, nullptr);
        if (!finished() && !hand_core_to_straggler(start, mine))
            poll_until([this] { return finished(); });
        std::unique_lock<std::mutex> lock(m_);
        done_cv_.wait(lock, [this] { return finished(); });
        fn_ = nullptr;
        if (error_) std::rethrow_exception(error_);
    }

    static thread_local bool inside;
    std::atomic<int> nice_{0};  // workers apply it before their next chunk

private:
    // The next unclaimed chunk of job `job`, or -1 when that job has none left
    // or is over. next_ packs (job << 32) | (chunks << 16) | next chunk: a
    // late worker still claiming for a finished job sees a different job and
    // stops, and never compares its index with a newer job's chunk count.
    int64_t claim(uint64_t job) {
        uint64_t cur = next_.load(std::memory_order_acquire);
        for (;;) {
            const uint64_t index = cur & 0xffffu, chunks = (cur >> 16) & 0xffffu;
            if ((cur >> 32) != (job & kJobMask) || index >= chunks) return -1;
            if (next_.compare_exchange_weak(cur, cur + 1, std::memory_order_acq_rel))
                return static_cast<int64_t>(index);
        }
    }

    bool finished() const { return finished_.load(std::memory_order_acquire) == chunks_; }

    // Runs chunks of job `job` until none is left; `slot` is the worker's
    // (null for the caller). Returns how many it ran.
    int64_t work(uint64_t job, Slot* slot) {
        if (slot) slot->holding.store(true);
        int64_t done = 0;
        for (int64_t c; (c = claim(job)) >= 0; ++done) run_chunk(c);
        if (done > 0) {
            std::lock_guard<std::mutex> lock(m_);
            if (finished_.fetch_add(done, std::memory_order_acq_rel) + done == chunks_)
                done_cv_.notify_one();
        }
        if (slot) slot->holding.store(false);
        return done;
    }

    // The caller has run out of chunks while a worker still runs one. Beside
    // another busy process that worker shares its core, and if the scheduler
    // preempted it mid-chunk it waits there for the next tick (4 ms) while
    // the caller's core idles. So the caller waits twice as long as its own
    // chunks took, and then, if exactly one worker still holds a chunk, moves
    // that worker onto its own CPU and sleeps: the worker finishes there at
    // once. True where the caller should now sleep rather than poll. The
    // worker goes back off the caller's CPU at its next job. A lowered worker
    // may run anywhere already, so the scheduler moves it by itself.
    //
    // Measured beside a busy loop, 2 threads, 2-core AMD EPYC VM, ms per step,
    // runs alternating with the pool before (3-4 rounds): dcgan28 76.4 -> 73.7,
    // wgan_gp28 385 -> 374, vqgan28 108.0 -> 103.2, prior49 82.3 -> 76.6
    // (1 thread: 95 / 497 / 134 / 98); quiet, no slower.
    bool hand_core_to_straggler(std::chrono::steady_clock::time_point start, int64_t mine) {
        const int cpu = caller_cpu_.load(std::memory_order_relaxed);
        if (cpu < 0 || mine == 0) return false;
        const auto waited_from = std::chrono::steady_clock::now();
        const auto patience = std::max<std::chrono::nanoseconds>(std::chrono::microseconds(30),
                                                                 (waited_from - start) / mine * 2);
        while (!finished() && std::chrono::steady_clock::now() - waited_from < patience)
            cpu_relax();
        if (finished()) return true;
        Slot* straggler = nullptr;
        for (Slot& slot : slots_) {
            if (!slot.holding.load()) continue;
            if (straggler) return false;  // several: one CPU would not serve them better
            straggler = &slot;
        }
        if (straggler && straggler->kept_off.load() &&
            placement_.move_to(straggler->tid.load(), cpu))
            straggler->moved.store(true);
        return straggler != nullptr;
    }

    void run_chunk(int64_t c) {
        int64_t begin = n_ * c / chunks_, end = n_ * (c + 1) / chunks_;
        inside = true;
        try {
            if (begin < end) (*fn_)(begin, end);
        } catch (...) {
            std::lock_guard<std::mutex> lock(m_);
            if (!error_) error_ = std::current_exception();
        }
        inside = false;
    }

    // Beside another busy process, three threads share two cores. A worker
    // that shares the caller's core makes the caller wait while the other
    // process has a core to itself; so each worker keeps off the caller's CPU.
    // On the core it shares with the other process, a short time slice lets
    // it take the core back as soon as a job wakes it, instead of a tick
    // later. Measured beside a busy loop, 2 threads against 1 (dcgan28 /
    // wgan_gp28 / vqgan28 / prior49, 2-core VM): 1.14 / 1.11 / 1.12 / 1.05x before,
    // 1.24 / 1.27 / 1.25 / 1.26x after; quiet, no change.
    void loop(Slot* slot) {
        slot->tid.store(gettid());
        uint64_t seen = 0;
        int my_nice = 0, kept_off = -1;
        bool lowered = false;
        request_time_slice(kWorkerSlice);
        for (;;) {
            poll_until([&] { return generation_.load(std::memory_order_acquire) != seen; });
            {
                std::unique_lock<std::mutex> lock(m_);
                cv_.wait(lock, [&] { return generation_.load() != seen; });
                seen = generation_.load();
                if (stop_) return;
                if (fn_ == nullptr) continue;
            }
            if (const int want = nice_.load(); want != my_nice) {
                lower_thread_priority(want);
                request_time_slice(kWorkerSlice);  // some kernels reset it with the policy
                my_nice = want;
                lowered = thread_is_lowered(gettid());
            }
            // A lowered thread (the window's training) runs on cycles no other
            // thread wants, wherever they are: it goes anywhere.
            const int caller_cpu = caller_cpu_.load(std::memory_order_relaxed);
            if (slot->moved.exchange(false)) kept_off = kMovedAway;
            placement_.keep_off(lowered ? -1 : caller_cpu, &kept_off);
            slot->kept_off.store(!lowered && caller_cpu >= 0);
            work(seen, slot);
        }
    }

    std::vector<std::thread> workers_;
    std::vector<Slot> slots_;  // one per worker; resized only with no worker running
    std::mutex m_, job_mutex_;
    std::condition_variable cv_, done_cv_;
    // Written under m_; atomic so that polling threads may read them without it.
    std::atomic<uint64_t> generation_{0};
    std::atomic<int64_t> finished_{0};
    bool stop_ = false;
    const std::function<void(int64_t, int64_t)>* fn_ = nullptr;
    int64_t n_ = 0, chunks_ = 1;  // written under m_ with no chunk claimable
    std::atomic<uint64_t> next_{0};
    CpuPlacement placement_;           // written by resize with no worker running
    std::atomic<int> caller_cpu_{-1};  // the CPU the current job's caller was on
    std::exception_ptr error_;
};

thread_local bool Pool::inside = false;

Pool& pool() {
    // Never destroyed: worker threads must not be joined during static destruction.
    static Pool* p = [] {
        auto* q = new Pool;
        q->resize(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
        return q;
    }();
    return *p;
}

}  // namespace

bool lower_compute_priority(int nice) {
    pool().nice_ = nice;
    return lower_thread_priority(nice);
}

int num_threads() {
    return pool().size();
}

void set_num_threads(int n) {
    pool().resize(n);
}

void run_serially_on_this_thread() {
    Pool::inside = true;  // parallel_for treats every call as nested: inline
}

int64_t parallel_tasks(int64_t n, int64_t grain) {
    const int64_t threads = pool().size();
    if (threads < 2 || n <= 0) return 1;
    // At most 256 threads (set_num_threads), so under the 16 bits the pool counts chunks in.
    return std::clamp<int64_t>(n / std::max<int64_t>(1, grain), 1,
                               std::min<int64_t>(threads * kChunksPerThread, 0xffff));
}

void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) {
    if (n <= 0) return;
    const int64_t chunks = parallel_tasks(n, grain);
    if (chunks < 2 || Pool::inside) {
        fn(0, n);
        return;
    }
    pool().run(n, chunks, fn);
}

}  // namespace ganvas::cpu
