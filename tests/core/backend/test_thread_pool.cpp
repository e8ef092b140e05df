// The CPU backend's thread pool: every index exactly once, errors reach the
// caller, nesting runs inline, and training threads can step aside for the UI.
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "backend/cpu/thread_pool.h"
#include "backend/cpu/thread_scheduling.h"

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

TEST(ThreadPool, ChunksAreTheSameEveryCallWhicheverThreadRunsThem) {
    set_num_threads(2);
    EXPECT_EQ(parallel_tasks(1000, 1), 2 * kChunksPerThread);
    EXPECT_EQ(parallel_tasks(1000, 400), 2);
    EXPECT_EQ(parallel_tasks(5, 10), 1);
    std::set<std::pair<int64_t, int64_t>> first;
    for (int call = 0; call < 50; ++call) {
        std::mutex m;
        std::set<std::pair<int64_t, int64_t>> chunks;
        parallel_for(1000, 1, [&](int64_t b, int64_t e) {
            std::lock_guard<std::mutex> lock(m);
            chunks.insert({b, e});
        });
        ASSERT_EQ(static_cast<int64_t>(chunks.size()), parallel_tasks(1000, 1));
        if (call == 0) first = chunks;
        ASSERT_EQ(chunks, first) << "call " << call;
    }
    set_num_threads(1);
    EXPECT_EQ(parallel_tasks(1000, 1), 1);
}

// A thread whose core is busy with another process is slow: the others must
// take over its share instead of waiting for it. Here the worker is made slow.
TEST(ThreadPool, AFastThreadTakesTheChunksASlowOneCannot) {
    set_num_threads(2);
    const std::thread::id caller = std::this_thread::get_id();
    std::mutex m;
    std::map<bool, int> chunks_by_caller;
    parallel_for(2 * kChunksPerThread, 1, [&](int64_t b, int64_t e) {
        const bool mine = std::this_thread::get_id() == caller;
        std::this_thread::sleep_for(std::chrono::milliseconds(mine ? 1 : 200));
        std::lock_guard<std::mutex> lock(m);
        chunks_by_caller[mine] += static_cast<int>(e - b);
    });
    // An even split would give the caller kChunksPerThread; it ran (nearly) all.
    EXPECT_GE(chunks_by_caller[true], 2 * kChunksPerThread - 1);
    EXPECT_EQ(chunks_by_caller[true] + chunks_by_caller[false], 2 * kChunksPerThread);
}

// Jobs one after another, many of them tiny: a worker that wakes late must
// not run a later job's chunk with an earlier job's function.
TEST(ThreadPool, ManyQuickJobsInARowEachRunExactlyTheirOwnChunks) {
    set_num_threads(3);
    for (int job = 0; job < 2000; ++job) {
        std::atomic<int64_t> sum{0};
        const int64_t n = 3 + job % 40;
        parallel_for(n, 1, [&, job](int64_t b, int64_t e) {
            for (int64_t i = b; i < e; ++i) sum += i + job;
        });
        ASSERT_EQ(sum.load(), n * (n - 1) / 2 + n * job) << "job " << job;
    }
}

// A worker between jobs first polls, then sleeps: a job must reach it either
// way. Each job's two chunks wait for each other, so both threads must run one.
TEST(ThreadPool, AWorkerJoinsTheNextJobWhetherPollingOrAsleep) {
    set_num_threads(2);
    for (int pause_ms : {0, 0, 5, 20, 0, 5}) {  // 5 and 20 ms: past the poll, asleep
        std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms));
        std::atomic<int> arrived{0};
        std::atomic<bool> met{true};
        std::set<std::thread::id> threads;
        std::mutex m;
        parallel_for(2, 1, [&](int64_t, int64_t) {
            {
                std::lock_guard<std::mutex> lock(m);
                threads.insert(std::this_thread::get_id());
            }
            ++arrived;
            const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
            while (arrived.load() < 2)
                if (std::chrono::steady_clock::now() > give_up) {
                    met = false;
                    return;
                }
        });
        EXPECT_TRUE(met.load()) << "no worker came within 10 s after a " << pause_ms << " ms pause";
        EXPECT_EQ(threads.size(), 2u) << "after a " << pause_ms << " ms pause";
    }
}

// Runs one job of two chunks in which both threads take part; returns the
// worker's thread id and the CPU it ran its chunk on.
std::pair<pid_t, int> worker_of_one_job() {
    const pid_t caller = gettid();
    std::mutex m;
    std::pair<pid_t, int> worker{0, -1};
    std::atomic<int> arrived{0};
    parallel_for(2, 1, [&](int64_t, int64_t) {
        ++arrived;
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (arrived.load() < 2 && std::chrono::steady_clock::now() < give_up) {
        }
        if (gettid() == caller) return;
        std::lock_guard<std::mutex> lock(m);
        worker = {gettid(), sched_getcpu()};
    });
    return worker;
}

// With another busy process, a worker that shares its caller's core only runs
// while the caller waits for it. Here the caller is pinned to the very CPU the
// worker last ran on; the worker must move off it for the next job.
TEST(ThreadPool, AWorkerKeepsOffTheCallersCpu) {
    cpu_set_t allowed;
    ASSERT_EQ(sched_getaffinity(0, sizeof allowed, &allowed), 0);
    if (CPU_COUNT(&allowed) < 2) GTEST_SKIP() << "one CPU: nowhere else to go";
    set_num_threads(2);
    const auto first = worker_of_one_job();  // no binding: clang 14 cannot capture one
    const pid_t worker = first.first;
    const int worker_cpu = first.second;
    ASSERT_GE(worker_cpu, 0) << "the worker took no chunk";
    if (thread_is_lowered(worker)) GTEST_SKIP() << "an earlier test lowered the workers for good";
    std::thread caller([&] {
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(worker_cpu, &one);
        ASSERT_EQ(sched_setaffinity(0, sizeof one, &one), 0);
        for (int job = 0; job < 20; ++job) {
            const auto [tid, cpu] = worker_of_one_job();
            ASSERT_NE(tid, 0) << "job " << job << ": the worker took no chunk";
            EXPECT_NE(cpu, worker_cpu) << "job " << job << " ran on the caller's CPU";
        }
    });
    caller.join();
}

// The caller runs out of chunks while the worker still runs a long one: it
// moves the worker onto its own CPU (where nothing else runs while it waits)
// instead of leaving it where another process may hold it. At the next job
// the worker keeps off the caller's CPU again.
TEST(ThreadPool, AWaitingCallerHandsItsCpuToTheWorkerItWaitsFor) {
    cpu_set_t allowed;
    ASSERT_EQ(sched_getaffinity(0, sizeof allowed, &allowed), 0);
    if (CPU_COUNT(&allowed) < 2) GTEST_SKIP() << "one CPU: nowhere else to go";
    set_num_threads(2);
    const auto [worker, worker_cpu] = worker_of_one_job();
    ASSERT_GE(worker_cpu, 0) << "the worker took no chunk";
    if (thread_is_lowered(worker)) GTEST_SKIP() << "an earlier test lowered the workers for good";
    const int caller_cpu = worker_cpu;  // pinned where the worker was: it must move twice
    std::thread caller([&] {
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(caller_cpu, &one);
        ASSERT_EQ(sched_setaffinity(0, sizeof one, &one), 0);
        std::atomic<bool> caller_ran{false}, worker_began{false}, worker_came{false};
        const pid_t me = gettid();
        parallel_for(2, 1, [&](int64_t, int64_t) {
            const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
            if (gettid() == me) {  // holds its chunk until the worker has one
                while (!worker_began && std::chrono::steady_clock::now() < give_up) {
                }
                caller_ran = true;
                return;
            }
            worker_began = true;
            while (!worker_came && std::chrono::steady_clock::now() < give_up)
                if (sched_getcpu() == caller_cpu) worker_came = true;
        });
        ASSERT_TRUE(caller_ran.load() && worker_began.load()) << "one thread took both chunks";
        EXPECT_TRUE(worker_came.load()) << "the worker never ran on the waiting caller's CPU";
        const auto [tid, cpu] = worker_of_one_job();
        ASSERT_NE(tid, 0) << "the worker took no chunk of the next job";
        EXPECT_NE(cpu, caller_cpu) << "the next job's chunk ran on the caller's CPU";
    });
    caller.join();
}

// The tests from here on lower the pool's threads, which an unprivileged
// process cannot undo: they come last.
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
                // Long enough for the worker to wake before the caller has
                // claimed both chunks itself.
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
                std::lock_guard<std::mutex> lock(m);
                threads.insert(gettid());
                nice_values.insert(getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())));
            });
        EXPECT_EQ(threads.size(), 2u);
        EXPECT_EQ(nice_values, std::set<int>{7});
    });
    trainer.join();
}

// The window's training runs lowered (SCHED_IDLE): its threads take whatever
// core is idle, so a lowered worker may run anywhere, the caller's CPU too.
TEST(ThreadPool, ALoweredWorkerMayRunOnAnyCpu) {
    cpu_set_t allowed;
    ASSERT_EQ(sched_getaffinity(0, sizeof allowed, &allowed), 0);
    if (CPU_COUNT(&allowed) < 2) GTEST_SKIP() << "one CPU: nowhere else to go";
    set_num_threads(2);
    std::thread trainer([&] {
        const int cpu = worker_of_one_job().second;
        ASSERT_GE(cpu, 0) << "the worker took no chunk";
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        ASSERT_EQ(sched_setaffinity(0, sizeof one, &one), 0);
        lower_compute_priority(9);
        const pid_t worker = worker_of_one_job().first;
        cpu_set_t mask;
        ASSERT_EQ(sched_getaffinity(worker, sizeof mask, &mask), 0);
        EXPECT_TRUE(CPU_EQUAL(&mask, &allowed))
            << CPU_COUNT(&mask) << " of " << CPU_COUNT(&allowed);
    });
    trainer.join();
}

// Where the kernel has custom time slices (Linux 6.12+), every worker asks for
// a short one, and keeps it when its priority is lowered (a policy change
// resets it).
TEST(ThreadPool, WorkersAskForAShortTimeSlice) {
    bool supported = false;
    std::thread([&] { supported = request_time_slice(kWorkerSlice); }).join();
    if (!supported) GTEST_SKIP() << "this kernel has no custom time slices";
    const uint64_t want = std::chrono::nanoseconds(kWorkerSlice).count();
    set_num_threads(2);
    EXPECT_EQ(requested_time_slice_ns(worker_of_one_job().first), want);
    std::thread trainer([&] {
        lower_compute_priority(9);  // 9: above the earlier test's 7, so allowed unprivileged
        pid_t tid = 0;
        for (int round = 0; round < 5; ++round) {  // the worker lowers itself at its next job
            tid = worker_of_one_job().first;
        }
        EXPECT_EQ(requested_time_slice_ns(tid), want);
    });
    trainer.join();
}

}  // namespace
}  // namespace ganvas::cpu
