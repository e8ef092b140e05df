// The status bar's job list (every worker with work, its state and toggle) and
// the lab panels' hold: a hidden lab's worker pauses unless pinned.
#include <gtest/gtest.h>

#include <optional>

#include "gui/status_bar.h"
#include "panels/gan_lab_panel.h"
#include "support/headless_imgui.h"

namespace ganvas::gui {
namespace {

using ganvas::testing::HeadlessImGui;

[[maybe_unused]] const bool kNormalPriority = (set_worker_priority({0}), true);

WorkerStatus worker(const std::string& name, bool wants_work) {
    WorkerStatus w;
    w.id = 7;
    w.name = name;
    w.started = true;
    w.wants_work = wants_work;
    w.working = wants_work;
    w.steps = 1200;
    w.activity = verbatim("ring8, minimax");
    return w;
}

std::optional<WorkerStatus> find_named(const std::string& name) {
    for (const WorkerStatus& w : running_workers())
        if (w.name == name) return w;
    return std::nullopt;
}

TEST(StatusBarJobs, ListsRunningAndPausedJobsAndLeavesIdleOnesOut) {
    WorkerStatus idle = worker("Learned upsampling", false);
    WorkerStatus running = worker("GAN Lab", true);
    running.fraction = 0.25f;
    WorkerStatus paused = worker("Session training", true);
    paused.paused = true;
    WorkerStatus hidden = worker("VQ Stage 2 prior", true);
    hidden.hidden = true;
    WorkerStatus pinned = hidden;
    pinned.pinned = true;
    WorkerStatus paused_idle = worker("idle but paused", false);
    paused_idle.paused = true;

    const auto jobs = status_bar_jobs({idle, running, paused, hidden, pinned, paused_idle});
    ASSERT_EQ(jobs.size(), 5u);
    EXPECT_EQ(jobs[0].label, "GAN Lab 1200 steps (25%)");
    EXPECT_FALSE(jobs[0].held);
    EXPECT_NE(jobs[0].detail.find("ring8, minimax"), std::string::npos);
    EXPECT_EQ(jobs[1].label, "Session training 1200 steps, paused");
    EXPECT_TRUE(jobs[1].held);
    EXPECT_EQ(jobs[2].label, "VQ Stage 2 prior 1200 steps, paused (tab hidden)");
    EXPECT_TRUE(jobs[2].held);
    EXPECT_EQ(jobs[3].label, "VQ Stage 2 prior 1200 steps");  // pinned: runs while hidden
    EXPECT_FALSE(jobs[3].held);
    EXPECT_TRUE(jobs[4].held);  // paused by the user: listed so it can be resumed
}

TEST(StatusBarJobs, AHiddenGanLabHoldsItsWorkerUnlessPinnedAndTheBarDraws) {
    HeadlessImGui imgui;
    GanLabPanel panel;
    auto lab = find_named("GAN Lab");
    ASSERT_TRUE(lab);
    EXPECT_FALSE(lab->held());  // shown until the window says otherwise

    panel.set_shown(false);
    lab = find_named("GAN Lab");
    EXPECT_TRUE(lab->hidden);
    EXPECT_TRUE(lab->held());
    ASSERT_TRUE(set_worker_paused(lab->id, false));  // the status bar's resume pins it
    lab = find_named("GAN Lab");
    EXPECT_TRUE(lab->pinned);
    EXPECT_FALSE(lab->held());
    panel.set_shown(true);
    EXPECT_FALSE(find_named("GAN Lab")->hidden);

    TrainerSnapshot s;
    s.held = true;
    imgui.frame([&] { draw_status_bar(s, FrameClock{}); });  // ImGui's own ID checks pass
}

}  // namespace
}  // namespace ganvas::gui
