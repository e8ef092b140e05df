// The CPU backend's thread pool: every index exactly once, errors reach the
// caller, nesting runs inline, and training threads can step aside for the UI.
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "backend/cpu/thread_pool.h"

namespace ganvas::cpu {
namespace {

TEST(ThreadPool, CoversEveryIndexExactlyOnce) {
    for (int threads : {1, 2, 3}) {
        set_num_threads(threads);
        for (int64_t n : {0, 1, 7, 64, 1000}) {
            std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
            parallel_for(n, 4, [&](int64_t b, int64_t e) {
                for (int64_t i = b; i < e; ++i) ++hits[i];
            });
            for (int64_t i = 0; i < n; ++i)
                ASSERT_EQ(hits[i].load(), 1) << "n " << n << " i " << i << " threads " << threads;
        }
    }
}

TEST(ThreadPool, AnErrorInAChunkReachesTheCaller) {
    set_num_threads(2);
    EXPECT_THROW(parallel_for(100, 1,
                              [](int64_t b, int64_t) {
                                  if (b > 0) throw std::runtime_error("chunk failed");
                              }),
                 std::runtime_error);
    // The pool still works afterwards.
    std::atomic<int64_t> sum{0};
    parallel_for(100, 1, [&](int64_t b, int64_t e) { sum += e - b; });
    EXPECT_EQ(sum.load(), 100);
}

TEST(ThreadPool, NestedCallsRunInline) {
    set_num_threads(2);
    std::atomic<int64_t> inner{0};
    parallel_for(4, 1, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i)
            parallel_for(10, 1, [&](int64_t ib, int64_t ie) { inner += ie - ib; });
    });
    EXPECT_EQ(inner.load(), 40);
}

TEST(ThreadPool, LoweredPriorityReachesTheCallerAndEveryWorker) {
    set_num_threads(2);
    std::thread trainer([] {
        lower_compute_priority(7);
        EXPECT_EQ(getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())), 7);
        std::mutex m;
        std::set<int> nice_values;
        std::set<pid_t> threads;
        for (int round = 0; round < 20 && threads.size() < 2; ++round)
            parallel_for(2, 1, [&](int64_t, int64_t) {
                std::lock_guard<std::mutex> lock(m);
                threads.insert(gettid());
                nice_values.insert(getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())));
            });
        EXPECT_EQ(threads.size(), 2u);
        EXPECT_EQ(nice_values, std::set<int>{7});
    });
    trainer.join();
}

}  // namespace
}  // namespace ganvas::cpu
