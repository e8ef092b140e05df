// VQ Stage 1 without a vqgan28 session, headless: it says what it shows and
// offers one button that starts a vqgan28 session on the same data, batch and
// seed, running, and remembers it for the next window.
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <string>

#include "panels/vq_stage1_panel.h"
#include "support/headless_imgui.h"
#include "support/panel_clicks.h"
#include "support/test_files.h"

using namespace ganvas;
using namespace ganvas::gui;
using ganvas::testing::HeadlessImGui;
using ganvas::testing::PanelWindow;

namespace {

const char* kButton = "Train vqgan28 here";

using VqStage1PanelTest = ganvas::testing::TempDirTest;

TrainerOptions small_dcgan_in(const std::string& work_dir) {
    TrainerOptions options;
    options.config.data = "fashion-mnist:test";
    options.config.batch = 8;
    options.config.seed = 7;
    options.work_dir = work_dir;
    options.threads = 1;
    return options;
}

}  // namespace

TEST_F(VqStage1PanelTest, ItsButtonStartsAVqgan28SessionOnTheSameDataAndRemembersIt) {
    HeadlessImGui imgui;
    LiveTrainer trainer(small_dcgan_in(path("work")));
    TrainerSnapshot s = *wait_for_snapshot(
        trainer, [](const TrainerSnapshot& t) { return t.state == TrainerState::Paused; }, 60);
    ASSERT_EQ(s.state, TrainerState::Paused) << s.notice.english();
    ASSERT_EQ(s.config.model, "dcgan28");
    Settings settings;
    PanelContext ctx{s, trainer, settings, 1.0f};
    VqStage1Panel panel;
    PanelWindow window("vq1", ImVec2(900, 600));

    const ImVec2 at = window.find(panel, ctx, kButton);
    ASSERT_GE(at.y, 0) << "a dcgan28 session gets the button";
    window.click(panel, ctx, at);

    // The new session trains at once: vqgan28 on the old session's data, batch and seed.
    const TrainerSnapshot vq = *wait_for_snapshot(
        trainer,
        [](const TrainerSnapshot& t) { return t.config.model == "vqgan28" && t.step >= 1; }, 120);
    EXPECT_EQ(vq.config.model, "vqgan28") << vq.notice.english();
    EXPECT_GE(vq.step, 1) << "the session runs, not only builds";
    EXPECT_EQ(vq.config.data, "fashion-mnist:test");
    EXPECT_EQ(vq.config.batch, 8);
    EXPECT_EQ(vq.config.seed, 7u);
    EXPECT_EQ(settings.text("session.model", ""), "vqgan28") << "the next window opens on it";
    EXPECT_EQ(settings.number("session.batch", 0), 8);
    trainer.pause();

    // With the vqgan28 session's views, the panel shows them and no button.
    TrainerSnapshot shown = *trainer.snapshot();
    PanelContext vq_ctx{shown, trainer, settings, 1.0f};
    EXPECT_EQ(window.find(panel, vq_ctx, kButton).y, -1);
}
