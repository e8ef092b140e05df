// The Experiment sidebar, headless: Reset asks first; Cancel keeps the run, the
// question's own Reset resets it.
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <string>

#include "panels/experiment_panel.h"
#include "support/headless_imgui.h"
#include "support/panel_clicks.h"
#include "support/test_files.h"

using namespace ganvas;
using namespace ganvas::gui;
using ganvas::testing::HeadlessImGui;

namespace {

const char* kQuestion = "Reset the run?";

class ExperimentPanelTest : public ganvas::testing::TempDirTest {
protected:
    ganvas::testing::PanelWindow window_{"sidebar", ImVec2(420, 780)};
    void frame(ExperimentPanel& panel, PanelContext& ctx, ImVec2 mouse, bool down) {
        window_.frame(panel, ctx, mouse, down);
    }
    void click(ExperimentPanel& panel, PanelContext& ctx, ImVec2 at) {
        window_.click(panel, ctx, at);
    }
    // The sidebar's Reset button: the third of three equal buttons on the first row.
    ImVec2 sidebar_reset() {
        ImGuiWindow* w = window_.window();
        const float spacing = ImGui::GetStyle().ItemSpacing.x;
        const ImVec2 start = w->DC.CursorStartPos;
        const float width = (w->WorkRect.Max.x - start.x - 2 * spacing) / 3;
        return ImVec2(start.x + 2 * (width + spacing) + width / 2,
                      start.y + ImGui::GetFrameHeight() / 2);
    }
    // The question's buttons, below its two lines of text: 0 Reset, 1 Cancel.
    ImVec2 question_button(int which) {
        ImGuiWindow* w = ImGui::FindWindowByName(kQuestion);
        const ImGuiStyle& style = ImGui::GetStyle();
        const float width = ImGui::GetFontSize() * 6;
        const ImVec2 start = w->DC.CursorStartPos;
        return ImVec2(start.x + which * (width + style.ItemSpacing.x) + width / 2,
                      start.y + 2 * (ImGui::GetTextLineHeight() + style.ItemSpacing.y) +
                          ImGui::GetFrameHeight() / 2);
    }
    bool question_open() {
        ImGuiWindow* w = ImGui::FindWindowByName(kQuestion);
        return w && w->Active;
    }
};

// A small dcgan28 session that the sidebar drives.
TrainerOptions small_session_in(const std::string& work_dir) {
    TrainerOptions options;
    options.config.data = "fashion-mnist:test";
    options.config.batch = 8;
    options.work_dir = work_dir;
    options.threads = 1;
    return options;
}

std::shared_ptr<const TrainerSnapshot> wait_until_paused(const LiveTrainer& trainer) {
    return wait_for_snapshot(
        trainer, [](const TrainerSnapshot& s) { return s.state == TrainerState::Paused; }, 60);
}

// Commands run in order: once this one is answered, any reset asked before it has run.
std::shared_ptr<const TrainerSnapshot> after_queued_commands(LiveTrainer& trainer, int64_t budget) {
    trainer.set_budget(budget);
    return wait_for_snapshot(
        trainer, [budget](const TrainerSnapshot& s) { return s.budget == budget; }, 60);
}

}  // namespace

TEST_F(ExperimentPanelTest, ResetAsksFirstAndCancelKeepsTheRun) {
    HeadlessImGui imgui;
    LiveTrainer trainer(small_session_in(path("work")));
    TrainerSnapshot s = *wait_until_paused(trainer);
    ASSERT_EQ(s.state, TrainerState::Paused) << s.notice.english();
    Settings settings;
    PanelContext ctx{s, trainer, settings, 1.0f};
    ExperimentPanel panel;

    frame(panel, ctx, ImVec2(-1, -1), false);
    EXPECT_FALSE(question_open());
    click(panel, ctx, sidebar_reset());
    ASSERT_TRUE(question_open()) << "Reset opens the question";
    click(panel, ctx, question_button(1));  // Cancel
    EXPECT_FALSE(question_open());
    EXPECT_EQ(after_queued_commands(trainer, 111)->notice.english().find("Reset:"),
              std::string::npos)
        << "Cancel kept the run";

    click(panel, ctx, sidebar_reset());
    ASSERT_TRUE(question_open());
    click(panel, ctx, question_button(0));  // Reset
    EXPECT_FALSE(question_open());
    EXPECT_EQ(after_queued_commands(trainer, 222)->notice.english().rfind("Reset:", 0), 0u)
        << "the question's Reset resets";
}

// The R key, the Training menu and the alarm's button ask through ask_reset():
// the question opens, and nothing is reset until it is answered.
TEST_F(ExperimentPanelTest, AskResetOpensTheQuestionWithoutResetting) {
    HeadlessImGui imgui;
    LiveTrainer trainer(small_session_in(path("work")));
    TrainerSnapshot s = *wait_until_paused(trainer);
    ASSERT_EQ(s.state, TrainerState::Paused) << s.notice.english();
    Settings settings;
    PanelContext ctx{s, trainer, settings, 1.0f};
    ExperimentPanel panel;

    frame(panel, ctx, ImVec2(-1, -1), false);
    panel.ask_reset();
    frame(panel, ctx, ImVec2(-1, -1), false);
    ASSERT_TRUE(question_open()) << "ask_reset opens the question";
    frame(panel, ctx, ImVec2(-1, -1), false);
    EXPECT_TRUE(question_open()) << "and it stays open until answered";
    EXPECT_EQ(after_queued_commands(trainer, 333)->notice.english().find("Reset:"),
              std::string::npos)
        << "asking is not resetting";
    click(panel, ctx, question_button(0));
    EXPECT_EQ(after_queued_commands(trainer, 444)->notice.english().rfind("Reset:", 0), 0u);
}
