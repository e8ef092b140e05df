// The lab tabs drawn without a window in English and in Chinese: the same
// windows and tabs (so a switch of language keeps the user's view), under
// ImGui's own checks of the ID, tree and group stacks.
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "panels/checkerboard_panel.h"
#include "panels/gan_lab_panel.h"
#include "panels/learned_upsampling_panel.h"
#include "panels/perceptron_panel.h"
#include "panels/upsampling_panel.h"
#include "support/headless_imgui.h"
#include "support/imgui_ids.h"

using namespace ganvas;
using namespace ganvas::gui;
using ganvas::i18n::Language;
using ganvas::testing::HeadlessImGui;
using ganvas::testing::ImGuiIds;
using ganvas::testing::LanguageScope;

namespace {

struct PanelRun {
    std::function<std::unique_ptr<Panel>()> make;
    std::function<void(Settings&)> set_up = [](Settings&) {};
    // Frames until the panel shows what it is about (a lab's first snapshot).
    std::function<bool(const ImGuiIds&)> ready = [](const ImGuiIds&) { return true; };
};

// Draws a fresh panel in `language` until it is ready (at most a few seconds of
// frames) and two frames more; returns the IDs of the last frame.
ImGuiIds draw_in(Language language, const PanelRun& run) {
    LanguageScope scope(language);
    HeadlessImGui imgui;
    LiveTrainer trainer(ganvas::testing::idle_trainer_options("ganvas-test-lab-panels"));
    TrainerSnapshot s;
    Settings settings;
    run.set_up(settings);
    PanelContext ctx{s, trainer, settings, 1.0f};
    std::unique_ptr<Panel> panel = run.make();
    panel->set_shown(true);
    auto draw = [&] {
        ganvas::testing::fill_display();
        panel->draw(ctx);
    };
    ImGuiIds ids;
    for (int i = 0; i < 500; ++i) {
        imgui.frame(draw);
        ids = ganvas::testing::ids_of_last_frame();
        if (run.ready(ids)) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    for (int i = 0; i < 2; ++i) imgui.frame(draw);
    return ganvas::testing::ids_of_last_frame();
}

void expect_same_ids_in_both_languages(const PanelRun& run) {
    const ImGuiIds english = draw_in(Language::English, run);
    const ImGuiIds chinese = draw_in(Language::Chinese, run);
    EXPECT_EQ(english.windows, chinese.windows);
    EXPECT_EQ(english.tabs, chinese.tabs);
}

bool two_tabs(const ImGuiIds& ids) {
    return ids.tabs.size() == 2;
}

}  // namespace

TEST(GanLabPanel, DrawsBothViewsInChineseWithTheSameTabs) {
    for (const char* spec : {"", "data=bimodal1d"})
        for (int view : {0, 1}) {
            PanelRun run;
            run.make = [spec] { return std::make_unique<GanLabPanel>(spec); };
            run.set_up = [view](Settings& s) { s.set_number("lab.view", view); };
            run.ready = two_tabs;
            const ImGuiIds english = draw_in(Language::English, run);
            ASSERT_EQ(english.tabs.size(), 2u) << "the lab never showed its views";
            EXPECT_EQ(english, draw_in(Language::Chinese, run)) << spec << " view " << view;
        }
}

TEST(PerceptronPanel, DrawsInChineseWithTheSameWindows) {
    for (bool no_bias : {false, true}) {
        PanelRun run;
        run.make = [] { return std::make_unique<PerceptronPanel>(); };
        run.set_up = [no_bias](Settings& s) {
            s.set_number("perceptron.no_bias", no_bias);
            s.set_text("perceptron.set", "xor");
        };
        expect_same_ids_in_both_languages(run);
    }
}

TEST(UpsamplingPanel, DrawsInChineseWithTheSameWindows) {
    PanelRun run;
    run.make = [] { return std::make_unique<UpsamplingPanel>(); };
    run.set_up = [](Settings& s) { s.set_number("upsampling.round_trip", 1); };
    expect_same_ids_in_both_languages(run);
}

TEST(CheckerboardPanel, DrawsInChineseWithTheSameWindows) {
    PanelRun run;
    run.make = [] { return std::make_unique<CheckerboardPanel>(); };
    expect_same_ids_in_both_languages(run);
}

TEST(LearnedUpsamplingPanel, DrawsInChineseWithTheSameWindows) {
    // Without a data set it only says it waits: the race needs images.
    PanelRun run;
    run.make = [] { return std::make_unique<LearnedUpsamplingPanel>(); };
    expect_same_ids_in_both_languages(run);
}

// Space, S and R in a lab: the lab's own Run, Step and Reset; panels without them decline.
TEST(LabTransport, ThePerceptronsKeysDoWhatItsButtonsDo) {
    HeadlessImGui imgui;
    PerceptronPanel panel;
    EXPECT_EQ(panel.updates(), 0);
    EXPECT_TRUE(panel.transport(Transport::Step));
    EXPECT_EQ(panel.updates(), 1);
    EXPECT_TRUE(panel.transport(Transport::RunPause));
    EXPECT_TRUE(panel.running());
    EXPECT_TRUE(panel.transport(Transport::RunPause));
    EXPECT_FALSE(panel.running());
    EXPECT_TRUE(panel.transport(Transport::Reset));
    EXPECT_EQ(panel.updates(), 0);
}

TEST(LabTransport, APanelWithoutItsOwnControlsDeclines) {
    HeadlessImGui imgui;
    UpsamplingPanel upsampling;
    CheckerboardPanel checkerboard;
    for (Transport t : {Transport::RunPause, Transport::Step, Transport::Reset}) {
        EXPECT_FALSE(upsampling.transport(t));
        EXPECT_FALSE(checkerboard.transport(t));
    }
}

// A source of no known kind (a hand-edited settings file, a lesson's typo) shows the
// demo image, not "Preparing the comparison…" forever.
TEST(UpsamplingPanel, AnUnknownSourceFallsBackToTheDemoImage) {
    for (const char* source : {"asset:upsample_demo.png", "upsample_demo.png", ""}) {
        HeadlessImGui imgui;
        LiveTrainer trainer(ganvas::testing::idle_trainer_options("ganvas-test-lab-panels"));
        TrainerSnapshot s;
        Settings settings;
        settings.set_text("upsampling.source", source);
        PanelContext ctx{s, trainer, settings, 1.0f};
        UpsamplingPanel panel;
        std::string shown;
        for (int i = 0; i < 500; ++i) {
            imgui.frame([&] {
                ganvas::testing::fill_display();
                ImGui::LogToBuffer();
                panel.draw(ctx);
                shown = ImGui::GetCurrentContext()->LogBuffer.c_str();
                ImGui::LogFinish();
            });
            if (shown.find("Line profile") != std::string::npos) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        EXPECT_NE(shown.find("Line profile"), std::string::npos)
            << "source '" << source << "' never showed a comparison:\n"
            << shown;
        EXPECT_EQ(settings.text("upsampling.source", ""), "asset:upsample_demo.png") << source;
    }
}
