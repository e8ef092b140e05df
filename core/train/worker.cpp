#include "train/worker.h"

#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>

#include "backend/cpu/thread_pool.h"

namespace ganvas {
namespace {

// One priority for every background job: nice 10, and with it Linux's
// SCHED_IDLE unless GANVAS_NO_SCHED_IDLE is set (cpu::lower_compute_priority).
// All jobs in one class at one nice value, so the kernel shares the cores
// evenly among them; all below the UI thread, so a frame never waits behind a
// step. Mixing them was the bug this replaces: the trainer ran at SCHED_IDLE
// and the labs at normal priority, so a lab left playing took every cycle and
// the session's training got only what the lab left over.
std::atomic<int> g_worker_nice{10};

// Live workers, oldest first. A worker adds itself when its thread starts and
// removes itself when stopped, so a pointer here is always to a live worker.
std::mutex g_registry_mutex;
std::vector<BackgroundWorker*> g_registry;
std::atomic<uint64_t> g_next_id{1};

void add_to_registry(BackgroundWorker* w) {
    std::lock_guard<std::mutex> lock(g_registry_mutex);
    g_registry.push_back(w);
}

void remove_from_registry(BackgroundWorker* w) {
    std::lock_guard<std::mutex> lock(g_registry_mutex);
    g_registry.erase(std::remove(g_registry.begin(), g_registry.end(), w), g_registry.end());
}

}  // namespace

WorkerPriority worker_priority() {
    return WorkerPriority{g_worker_nice.load()};
}

void set_worker_priority(WorkerPriority priority) {
    g_worker_nice = std::clamp(priority.nice, 0, 19);
}

void apply_worker_priority() {
    const int nice = worker_priority().nice;
    if (nice > 0) cpu::lower_compute_priority(nice);
}

BackgroundWorker::BackgroundWorker(std::string name) {
    status_.id = g_next_id++;
    status_.name = std::move(name);
}

BackgroundWorker::~BackgroundWorker() {
    stop();
}

void BackgroundWorker::start(WorkerJob& job) {
    add_to_registry(this);
    thread_ = std::thread([this, &job] { thread_main(job); });
}

void BackgroundWorker::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    remove_from_registry(this);
}

void BackgroundWorker::post(std::function<void()> command) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stop_) return;
        queue_.push_back(std::move(command));
    }
    wake_.notify_all();
}

void BackgroundWorker::sync() {
    auto done = std::make_shared<std::promise<void>>();
    std::future<void> finished = done->get_future();
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stop_ || !thread_.joinable()) return;
        syncs_.push_back(std::move(done));
    }
    wake_.notify_all();
    finished.wait();  // a promise dropped by a stopping worker also ends the wait
}

bool BackgroundWorker::stopping() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return stop_;
}

void BackgroundWorker::wake() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        poked_ = true;
    }
    wake_.notify_all();
}

void BackgroundWorker::set_paused(bool paused) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        status_.paused = paused;
        poked_ = true;
    }
    wake_.notify_all();
}

void BackgroundWorker::set_hidden(bool hidden) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        status_.hidden = hidden;
        poked_ = true;
    }
    wake_.notify_all();
}

void BackgroundWorker::set_pinned(bool pinned) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        status_.pinned = pinned;
        poked_ = true;
    }
    wake_.notify_all();
}

void BackgroundWorker::report(const WorkerProgress& progress) {
    std::lock_guard<std::mutex> lock(mutex_);
    status_.steps = progress.steps;
    status_.fraction = progress.fraction;
    status_.activity = progress.activity;
}

WorkerStatus BackgroundWorker::status() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return status_;
}

bool BackgroundWorker::held() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return status_.held();
}

void BackgroundWorker::thread_main(WorkerJob& job) {
    apply_worker_priority();
    {
        std::lock_guard<std::mutex> lock(mutex_);
        status_.started = true;
        status_.nice = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
#ifdef SCHED_IDLE
        status_.idle_class = sched_getscheduler(0) == SCHED_IDLE;
#endif
    }
    auto guarded = [&job](const std::function<void()>& f) {
        try {
            f();
        } catch (const std::exception& e) {
            job.failed(e);
        }
    };
    guarded([&] { job.start(); });
    guarded([&] { job.publish(true, false); });

    std::vector<std::function<void()>> commands;
    std::vector<std::shared_ptr<std::promise<void>>> syncs;
    bool was_held = false;
    for (;;) {
        bool held = false;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            auto ready = [&] {
                return stop_ || poked_ || !queue_.empty() || !syncs_.empty() ||
                       (!status_.held() && job.wants_work());
            };
            while (!ready()) {
                const auto at =
                    status_.held() ? WorkerClock::time_point::max() : job.next_work_at();
                if (at == WorkerClock::time_point::max())
                    wake_.wait(lock);
                else
                    wake_.wait_until(lock, at);
            }
            if (stop_) break;
            commands.swap(queue_);
            syncs.swap(syncs_);
            poked_ = false;
            held = status_.held();
        }
        for (auto& command : commands) guarded(command);
        commands.clear();
        const bool worked = !held && job.wants_work();
        if (worked) guarded([&] { job.work(); });
        {
            std::lock_guard<std::mutex> lock(mutex_);
            held = status_.held();
        }
        // A sync() waits for a snapshot, and so does a pause or resume: the job's
        // snapshot may say whether it is held.
        const bool force = !syncs.empty() || held != was_held;
        was_held = held;
        guarded([&] { job.publish(force, !held && job.wants_work()); });
        for (auto& done : syncs) done->set_value();
        syncs.clear();
        // Work waiting on the clock (slow motion) counts as running.
        const bool has_work =
            job.wants_work() || job.next_work_at() != WorkerClock::time_point::max();
        std::lock_guard<std::mutex> lock(mutex_);
        status_.wants_work = has_work;
        status_.working = has_work && !status_.held();
        if (worked) ++status_.units;
    }
}

std::vector<WorkerStatus> running_workers() {
    std::lock_guard<std::mutex> lock(g_registry_mutex);
    std::vector<WorkerStatus> out;
    for (const BackgroundWorker* w : g_registry) out.push_back(w->status());
    return out;
}

bool set_worker_paused(uint64_t id, bool paused) {
    std::lock_guard<std::mutex> lock(g_registry_mutex);
    for (BackgroundWorker* w : g_registry)
        if (w->status().id == id) {
            const WorkerStatus s = w->status();
            w->set_paused(paused);
            if (!paused && s.hidden && !s.pinned) w->set_pinned(true);
            return true;
        }
    return false;
}

}  // namespace ganvas
