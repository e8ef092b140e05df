// BackgroundWorker: commands drained in order between units of work, sync(),
// pause and the hidden-panel hold, the registry the status bar reads, and the
// one priority every job — the trainer and each lab — runs at.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <thread>

#include "train/live_trainer.h"
#include "train/prior_lab.h"
#include "train/toy_lab.h"
#include "train/upsampler_race.h"
#include "train/worker.h"

namespace ganvas {
namespace {

// Workers at the test's own priority: on a busy machine nice 10 would starve them.
[[maybe_unused]] const bool kNormalPriority = (set_worker_priority({0}), true);

// Polls `done` until it holds or 60 s pass (a hang fails the test, never a slow machine).
bool eventually(const std::function<bool()>& done) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
}

// A job that counts: units of work while `running`, and what each command saw.
class CountingJob : public WorkerJob {
public:
    void start() override { started_on = std::this_thread::get_id(); }
    bool wants_work() const override { return running; }
    void work() override {
        ++units;
        if (throw_next) {
            throw_next = false;
            throw std::runtime_error("unit failed");
        }
    }
    void publish(bool force, bool) override {
        ++publishes;
        if (force) ++forced;
    }
    void failed(const std::exception& e) override {
        running = false;
        error = e.what();
    }

    std::thread::id started_on;
    bool running = false, throw_next = false;
    std::atomic<int64_t> units{0};
    int publishes = 0, forced = 0;
    std::string error;
    std::vector<int> order;
};

std::optional<WorkerStatus> find_worker(uint64_t id) {
    for (const WorkerStatus& s : running_workers())
        if (s.id == id) return s;
    return std::nullopt;
}

TEST(Worker, CommandsRunInOrderOnItsThreadAndSyncWaitsForThemAndAPublish) {
    CountingJob job;
    BackgroundWorker worker("counting");
    worker.start(job);
    std::thread::id seen;
    for (int i = 0; i < 5; ++i) worker.post([&job, i] { job.order.push_back(i); });
    worker.post([&] { seen = std::this_thread::get_id(); });
    worker.sync();
    EXPECT_EQ(job.order, (std::vector<int>{0, 1, 2, 3, 4}));
    EXPECT_EQ(seen, job.started_on);
    EXPECT_NE(seen, std::this_thread::get_id());
    EXPECT_GE(job.forced, 2);  // the first snapshot, then the one sync() waited for
    worker.stop();
    worker.post([&] { job.order.push_back(99); });  // dropped: the worker is stopped
    worker.sync();                                  // returns at once
    EXPECT_EQ(job.order.size(), 5u);
}

TEST(Worker, PausingStopsItsUnitsAndResumingGoesOn) {
    CountingJob job;
    BackgroundWorker worker("counting");
    worker.start(job);
    worker.post([&] { job.running = true; });
    ASSERT_TRUE(eventually([&] { return job.units > 3; }));

    worker.set_paused(true);
    worker.sync();  // the pause is seen before this sync's round, which would run a unit
    const int64_t after_pause = job.units;
    worker.sync();
    worker.sync();
    EXPECT_EQ(job.units, after_pause);
    ASSERT_TRUE(eventually([&] { return !worker.status().working; }));
    const WorkerStatus s = worker.status();
    EXPECT_TRUE(s.paused);
    EXPECT_TRUE(s.wants_work);  // it has work: "paused", not "idle"

    worker.set_paused(false);
    ASSERT_TRUE(eventually([&] { return job.units > after_pause + 3; }));
    EXPECT_TRUE(eventually([&] { return worker.status().working; }));
}

TEST(Worker, ACommandStillRunsWhilePausedAndAFailingUnitStopsTheJob) {
    CountingJob job;
    BackgroundWorker worker("counting");
    worker.start(job);
    worker.set_paused(true);
    worker.post([&] { job.running = true; });
    worker.post([&] { job.order.push_back(7); });
    worker.sync();
    EXPECT_EQ(job.order, std::vector<int>{7});
    EXPECT_EQ(job.units, 0);

    worker.post([&] { job.throw_next = true; });
    worker.set_paused(false);
    ASSERT_TRUE(eventually([&] { return !worker.status().wants_work; }));
    worker.sync();
    EXPECT_EQ(job.error, "unit failed");
    EXPECT_FALSE(job.running);
}

TEST(Worker, AHiddenPanelHoldsItsWorkerUnlessPinned) {
    CountingJob job;
    BackgroundWorker worker("lab");
    worker.start(job);
    worker.post([&] { job.running = true; });
    worker.set_hidden(true);
    worker.sync();
    const int64_t hidden_units = job.units;
    worker.sync();
    EXPECT_EQ(job.units, hidden_units);
    EXPECT_TRUE(worker.held());

    worker.set_pinned(true);  // keeps running in the background
    EXPECT_FALSE(worker.held());
    ASSERT_TRUE(eventually([&] { return job.units > hidden_units + 3; }));
    worker.set_pinned(false);
    EXPECT_TRUE(worker.held());
    worker.set_hidden(false);
    EXPECT_FALSE(worker.held());
}

TEST(Worker, TheRegistryListsLiveWorkersAndPausesThemById) {
    CountingJob job;
    uint64_t id = 0;
    {
        BackgroundWorker worker("listed");
        id = worker.status().id;
        EXPECT_FALSE(find_worker(id));  // not started: not running anything
        worker.start(job);
        worker.report({12, 0.5f, verbatim("counting to 24")});
        auto s = find_worker(id);
        ASSERT_TRUE(s);
        EXPECT_EQ(s->name, "listed");
        EXPECT_EQ(s->steps, 12);
        EXPECT_EQ(s->fraction, 0.5f);
        EXPECT_EQ(s->activity.english(), "counting to 24");

        EXPECT_TRUE(set_worker_paused(id, true));
        EXPECT_TRUE(find_worker(id)->paused);
        // Resuming a worker held by its hidden panel pins it, so it really runs.
        worker.set_hidden(true);
        EXPECT_TRUE(set_worker_paused(id, false));
        s = find_worker(id);
        EXPECT_FALSE(s->paused);
        EXPECT_TRUE(s->pinned);
        EXPECT_FALSE(s->held());
    }
    EXPECT_FALSE(find_worker(id));
    EXPECT_FALSE(set_worker_paused(id, true));  // gone: nothing to pause, no crash
}

TEST(Worker, PolicyIsOneClampedNiceValue) {
    set_worker_priority({7});
    EXPECT_EQ(worker_priority().nice, 7);
    set_worker_priority({-5});  // raising a thread above the UI is not a worker's to ask
    EXPECT_EQ(worker_priority().nice, 0);
    set_worker_priority({40});
    EXPECT_EQ(worker_priority().nice, 19);
    set_worker_priority({0});
}

TEST(Worker, TheTrainerAndEveryLabRunAtThePolicysPriority) {
    // Without SCHED_IDLE, so a busy test machine cannot starve the threads; the
    // nice value is what is compared.
    setenv("GANVAS_NO_SCHED_IDLE", "1", 1);
    set_worker_priority({3});
    TrainerOptions t;
    t.config.data = "idx:/nonexistent/images";  // fails at once: only the thread matters
    t.work_dir = (std::filesystem::temp_directory_path() /
                  ("ganvas-test-worker-" + std::to_string(::getpid())))
                     .string();
    LiveTrainer trainer(t);
    ToyLabConfig toy;
    toy.model = parse_toy2d_spec("toy2d:width=16,layers=2,objective=non_saturating");
    ToyLab lab(toy);
    PriorLab prior;
    auto blobs = std::make_shared<ImageDataset>();
    blobs->images = Tensor::zeros({40, 1, 28, 28});
    RaceOptions race_options;
    race_options.validation = 8;
    race_options.channels = 2;
    UpsamplerRace race(blobs, race_options);

    const std::vector<BackgroundWorker*> workers = {&trainer.worker(), &lab.worker(),
                                                    &prior.worker(), &race.worker()};
    for (BackgroundWorker* w : workers)
        ASSERT_TRUE(eventually([&] { return w->status().started; })) << w->status().name;
    std::vector<std::string> names;
    for (BackgroundWorker* w : workers) {
        const WorkerStatus s = w->status();
        names.push_back(s.name);
        EXPECT_EQ(s.nice, 3) << s.name;
        EXPECT_FALSE(s.idle_class) << s.name;
        ASSERT_TRUE(find_worker(s.id)) << s.name << " is not in the registry";
    }
    EXPECT_EQ(names, (std::vector<std::string>{"Session training", "GAN Lab", "VQ Stage 2 prior",
                                               "Learned upsampling"}));
    std::filesystem::remove_all(t.work_dir);
}

TEST(Worker, APausedToyLabTakesNoStepsAndSaysSo) {
    ToyLabConfig toy;
    toy.model = parse_toy2d_spec("toy2d:width=16,layers=2,objective=non_saturating");
    ToyLab lab(toy);
    lab.run();
    ASSERT_TRUE(eventually([&] { return lab.snapshot() && lab.snapshot()->d_updates > 2; }));
    lab.worker().set_paused(true);
    lab.sync();
    const int64_t steps = lab.snapshot()->d_updates;
    lab.sync();
    lab.sync();
    EXPECT_EQ(lab.snapshot()->d_updates, steps);
    EXPECT_TRUE(lab.snapshot()->running) << lab.snapshot()->error.english();  // kept for the resume
    const WorkerStatus s = lab.worker().status();
    EXPECT_EQ(s.steps, lab.snapshot()->g_updates);
    EXPECT_NE(s.activity.english().find("ring8"), std::string::npos) << s.activity.english();
    lab.worker().set_paused(false);
    EXPECT_TRUE(eventually([&] { return lab.snapshot()->d_updates > steps; }));
}

TEST(Worker, APausedTrainerTakesNoStepsAndItsSnapshotSaysHeld) {
    TrainerOptions t;
    t.config.model = "toy2d";
    t.config.data = "toy:ring8";
    t.config.batch = 16;
    t.start_running = true;
    t.budget = 1000000;
    t.threads = 1;
    t.work_dir = (std::filesystem::temp_directory_path() /
                  ("ganvas-test-worker-held-" + std::to_string(::getpid())))
                     .string();
    LiveTrainer trainer(t);
    auto s = wait_for_snapshot(
        trainer, [](const TrainerSnapshot& s) { return s.step > 2 || !s.notice.empty(); }, 60);
    ASSERT_GT(s->step, 2) << s->notice.english();
    trainer.worker().set_paused(true);
    trainer.worker().sync();
    const int64_t step = trainer.snapshot()->step;
    trainer.worker().sync();
    s = trainer.snapshot();
    EXPECT_EQ(s->step, step);
    EXPECT_TRUE(s->held);
    EXPECT_EQ(s->state, TrainerState::Running);
    EXPECT_EQ(s->steps_per_second, 0);
    EXPECT_EQ(s->steps_trained, s->step);  // a fresh session: every step in train_seconds
    EXPECT_GT(s->train_seconds, 0);
    trainer.worker().set_paused(false);
    s = wait_for_snapshot(
        trainer, [&](const TrainerSnapshot& s) { return s.step > step && !s.held; }, 60);
    EXPECT_GT(s->step, step);
    trainer.pause();
    std::filesystem::remove_all(t.work_dir);
}

}  // namespace
}  // namespace ganvas
