#include "backend/cpu/thread_pool.h"

#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace ganvas::cpu {
namespace {

// nice > 0 also moves the thread to SCHED_IDLE where the system allows it:
// it then runs only on cycles no normal thread wants, so the window's
// renderer is never delayed by training.
bool lower_this_thread(int nice) {
    bool ok = setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), nice) == 0;
#ifdef SCHED_IDLE
    if (nice > 0 && std::getenv("GANVAS_NO_SCHED_IDLE") == nullptr) {
        sched_param param{};
        ok = sched_setscheduler(0, SCHED_IDLE, &param) == 0 && ok;
    }
#endif
    return ok;
}

// The low 32 bits of a job's number tag its chunk counter.
constexpr uint64_t kJobMask = 0xffffffffu;

class Pool {
public:
    int size() const { return static_cast<int>(workers_.size()) + 1; }

    void resize(int n) {
        n = std::max(1, n);
        {
            std::lock_guard<std::mutex> lock(m_);
            stop_ = true;
            ++generation_;
        }
        cv_.notify_all();
        for (auto& t : workers_) t.join();
        workers_.clear();
        stop_ = false;
        for (int i = 1; i < n; ++i) workers_.emplace_back([this] { loop(); });
    }

    void run(int64_t n, int64_t chunks, const std::function<void(int64_t, int64_t)>& fn) {
        std::lock_guard<std::mutex> one_job(job_mutex_);
        uint64_t job;
        {
            std::lock_guard<std::mutex> lock(m_);
            fn_ = &fn;
            n_ = n;
            chunks_ = chunks;
            finished_ = 0;
            error_ = nullptr;
            job = ++generation_;
            next_.store(((job & kJobMask) << 32) | (static_cast<uint64_t>(chunks) << 16),
                        std::memory_order_release);
        }
        cv_.notify_all();
        work(job);
        std::unique_lock<std::mutex> lock(m_);
        done_cv_.wait(lock, [this] { return finished_ == chunks_; });
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

    void work(uint64_t job) {
        int64_t done = 0;
        for (int64_t c; (c = claim(job)) >= 0; ++done) run_chunk(c);
        if (done == 0) return;
        std::lock_guard<std::mutex> lock(m_);
        finished_ += done;
        if (finished_ == chunks_) done_cv_.notify_one();
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

    void loop() {
        uint64_t seen = 0;
        int my_nice = 0;
        for (;;) {
            {
                std::unique_lock<std::mutex> lock(m_);
                cv_.wait(lock, [&] { return generation_ != seen; });
                seen = generation_;
                if (stop_) return;
                if (fn_ == nullptr) continue;
            }
            if (const int want = nice_.load(); want != my_nice) {
                lower_this_thread(want);
                my_nice = want;
            }
            work(seen);
        }
    }

    std::vector<std::thread> workers_;
    std::mutex m_, job_mutex_;
    std::condition_variable cv_, done_cv_;
    uint64_t generation_ = 0;
    bool stop_ = false;
    const std::function<void(int64_t, int64_t)>* fn_ = nullptr;
    int64_t n_ = 0, chunks_ = 1, finished_ = 0;  // written under m_ with no chunk claimable
    std::atomic<uint64_t> next_{0};
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
    return lower_this_thread(nice);
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
