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
        for (int i = 1; i < n; ++i) workers_.emplace_back([this, i] { loop(i); });
    }

    void run(int64_t n, int64_t chunks, const std::function<void(int64_t, int64_t)>& fn) {
        std::lock_guard<std::mutex> one_job(job_mutex_);
        {
            std::lock_guard<std::mutex> lock(m_);
            fn_ = &fn;
            n_ = n;
            chunks_ = chunks;
            pending_ = static_cast<int>(chunks - 1);
            error_ = nullptr;
            ++generation_;
        }
        cv_.notify_all();
        run_chunk(0);
        std::unique_lock<std::mutex> lock(m_);
        done_cv_.wait(lock, [this] { return pending_ == 0; });
        fn_ = nullptr;
        if (error_) std::rethrow_exception(error_);
    }

    static thread_local bool inside;
    std::atomic<int> nice_{0};  // workers apply it before their next chunk

private:
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

    void loop(int index) {
        uint64_t seen = 0;
        int my_nice = 0;
        for (;;) {
            {
                std::unique_lock<std::mutex> lock(m_);
                cv_.wait(lock, [&] { return generation_ != seen; });
                seen = generation_;
                if (stop_) return;
                if (index >= chunks_ || fn_ == nullptr) continue;
            }
            if (const int want = nice_.load(); want != my_nice) {
                lower_this_thread(want);
                my_nice = want;
            }
            run_chunk(index);
            std::lock_guard<std::mutex> lock(m_);
            if (--pending_ == 0) done_cv_.notify_one();
        }
    }

    std::vector<std::thread> workers_;
    std::mutex m_, job_mutex_;
    std::condition_variable cv_, done_cv_;
    uint64_t generation_ = 0;
    bool stop_ = false;
    const std::function<void(int64_t, int64_t)>* fn_ = nullptr;
    int64_t n_ = 0, chunks_ = 1;
    int pending_ = 0;
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

void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) {
    if (n <= 0) return;
    grain = std::max<int64_t>(1, grain);
    int64_t chunks = std::min<int64_t>(pool().size(), n / grain);
    if (chunks < 2 || Pool::inside) {
        fn(0, n);
        return;
    }
    pool().run(n, chunks, fn);
}

}  // namespace ganvas::cpu
