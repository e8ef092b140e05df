// BackgroundWorker: the one way a background job runs — the session's trainer
// and every lab. It owns the thread and the command queue, which the thread
// drains between units of work, so a step never sees a half-applied command.
// It can be paused (the status bar's toggle) and held while its lab's panel is
// hidden (unless pinned); either way commands still run, only the steps stop.
// Every worker thread gets one priority (worker_priority()), so no job starves
// another, and every live worker is listed in a registry the status bar reads.
//
// A job supplies the work through WorkerJob; its state is touched only on the
// worker's thread. SnapshotWorker adds the SnapshotExchange a job publishes to.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "train/phrase.h"

#include "train/snapshot_exchange.h"

namespace ganvas {

using WorkerClock = std::chrono::steady_clock;

// What a worker runs. Every method is called on the worker's thread.
class WorkerJob {
public:
    virtual ~WorkerJob() = default;
    // Before the first command: loading, the first snapshot.
    virtual void start() {}
    // Whether a unit of work is due now (running, a single step asked for).
    virtual bool wants_work() const = 0;
    // When work waits on the clock (slow motion), when to ask wants_work() again.
    virtual WorkerClock::time_point next_work_at() const { return WorkerClock::time_point::max(); }
    virtual void work() = 0;  // one unit: a training step, one sampled code
    // After the commands and the unit: publish what changed. `force`: now, whatever
    // the rate limit (sync() waits for it); `busy`: another unit follows at once.
    virtual void publish(bool force, bool busy) = 0;
    // A command or a unit threw: stop and say why.
    virtual void failed(const std::exception& e) = 0;
};

// The single scheduling priority of every worker thread.
struct WorkerPriority {
    int nice = 10;  // 0: the UI thread's priority (tests)
};
WorkerPriority worker_priority();
void set_worker_priority(WorkerPriority priority);  // before workers start; process-wide
// Applies worker_priority() to the calling thread (and the CPU pool's threads).
void apply_worker_priority();

// A worker's state for the status bar. `steps`, `fraction` and `activity` come
// from the job (report()); the rest from the worker.
struct WorkerStatus {
    uint64_t id = 0;
    std::string name;
    bool started = false;     // its thread has applied the priority
    bool wants_work = false;  // the job has work (running, or would be if not paused)
    bool working = false;     // doing units of work now
    bool paused = false;      // by the user (status bar)
    bool hidden = false;      // its panel is not shown
    bool pinned = false;      // keeps running while hidden
    int64_t units = 0;        // units of work done by this worker
    int nice = 0;             // measured on its thread
    bool idle_class = false;  // SCHED_IDLE, measured on its thread
    int64_t steps = 0;
    float fraction = -1;  // of a known total, else -1
    Phrase activity;
    bool held() const { return paused || (hidden && !pinned); }
};

struct WorkerProgress {
    int64_t steps = 0;
    float fraction = -1;
    Phrase activity;  // a few words: "ring8, WGAN-GP"
};

class BackgroundWorker {
public:
    explicit BackgroundWorker(std::string name);
    virtual ~BackgroundWorker();  // stop()
    BackgroundWorker(const BackgroundWorker&) = delete;
    BackgroundWorker& operator=(const BackgroundWorker&) = delete;

    // Starts the thread running `job`, which must outlive stop(); once only.
    void start(WorkerJob& job);
    // Stops after the current unit or command and joins; later posts are dropped.
    void stop();

    void post(std::function<void()> command);
    // Blocks until the commands posted before it ran and their result is published.
    void sync();
    // Wakes the thread to look again (another thread has a result for the job).
    void wake();

    void set_paused(bool paused);
    void set_hidden(bool hidden);
    void set_pinned(bool pinned);
    void report(const WorkerProgress& progress);  // any thread
    WorkerStatus status() const;
    bool held() const;  // paused, or hidden and not pinned: no units of work
    // Whether stop() was called: a long command (stage-1 training) polls it to end early.
    bool stopping() const;

private:
    void thread_main(WorkerJob& job);

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<std::function<void()>> queue_;
    std::vector<std::shared_ptr<std::promise<void>>> syncs_;
    bool stop_ = false, poked_ = false;
    WorkerStatus status_;
    std::thread thread_;
};

// A worker whose job publishes immutable snapshots of type T.
template <class T>
class SnapshotWorker : public BackgroundWorker {
public:
    using BackgroundWorker::BackgroundWorker;
    void publish(std::shared_ptr<const T> snapshot) { exchange_.publish(std::move(snapshot)); }
    std::shared_ptr<const T> latest() const { return exchange_.latest(); }

private:
    SnapshotExchange<T> exchange_;
};

// Every live worker, oldest first: for the status bar.
std::vector<WorkerStatus> running_workers();
// Pauses or resumes worker `id`; resuming one held by its hidden panel pins it.
// False if it no longer exists.
bool set_worker_paused(uint64_t id, bool paused);

}  // namespace ganvas
