// The Receptive Field and RF Sandbox tabs drawn without a window: every network
// of the models, any stack in the sandbox (an impossible one shows its error),
// under ImGui's own checks of the ID and tree stacks.
#include <gtest/gtest.h>
#include <imgui.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "panels/receptive_field_panel.h"
#include "panels/rf_sandbox_panel.h"
#include "support/headless_imgui.h"
#include "support/imgui_ids.h"

using namespace ganvas;
using namespace ganvas::gui;

namespace {

using ganvas::testing::HeadlessImGui;

TrainerOptions idle_trainer_options() {
    return ganvas::testing::idle_trainer_options("ganvas-test-rf-panels");
}

}  // namespace

TEST(ReceptiveFieldPanel, DrawsEveryNetworkOfEveryModel) {
    HeadlessImGui imgui;
    LiveTrainer trainer(idle_trainer_options());
    for (const auto& [model, network] : std::vector<std::pair<std::string, std::string>>{
             {"dcgan28", "G"}, {"dcgan28", "D"}, {"classifier28", "C"}}) {
        TrainerSnapshot s;
        s.config.model = model;
        Settings settings;
        settings.set_text("rf.network", network);
        PanelContext ctx{s, trainer, settings, 1.0f};
        ReceptiveFieldPanel panel;
        for (int i = 0; i < 3; ++i) imgui.frame([&] { panel.draw(ctx); });
        EXPECT_EQ(settings.text("rf.network", ""), network) << model;
    }
}

// Settings are a file the user may edit: a depth of 1e300 for the ERF's stack of
// convolutions is read as the deepest the slider offers, not passed on to throw.
TEST(ReceptiveFieldPanel, AnAbsurdStoredDepthIsClamped) {
    HeadlessImGui imgui;
    LiveTrainer trainer(idle_trainer_options());
    for (double depth : {1e300, -1e300, 0.0}) {
        TrainerSnapshot s;
        s.config.model = "dcgan28";
        Settings settings;
        settings.set_text("rf.network", "D");
        settings.set_number("rf.depth", depth);
        PanelContext ctx{s, trainer, settings, 1.0f};
        ReceptiveFieldPanel panel;
        // Long enough for the stack's ERF, computed off the UI thread, to come back.
        for (int i = 0; i < 200; ++i) {
            ctx.animating = false;
            ASSERT_NO_THROW(imgui.frame([&] { panel.draw(ctx); })) << depth;
            if (i > 3 && !ctx.animating) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
}

TEST(RfSandboxPanel, DrawsStacksAndImpossibleOnes) {
    HeadlessImGui imgui;
    LiveTrainer trainer(idle_trainer_options());
    TrainerSnapshot s;
    for (const char* stack :
         {"conv 3 1 1 1;conv 3 2 1 1;deconv 3 2 1 1", "upsample 1 1 0 2;avgpool 2 2 0 1",
          "bilinear 1 1 0 3;bicubic 1 1 0 2", "conv 9 1 0 1", "garbage"}) {
        Settings settings;
        settings.set_text("rf_sandbox.layers", stack);
        settings.set_number("rf_sandbox.input", 6);
        PanelContext ctx{s, trainer, settings, 1.0f};
        RfSandboxPanel panel;
        for (int i = 0; i < 2; ++i) imgui.frame([&] { panel.draw(ctx); });
    }
}

TEST(ReceptiveFieldPanel, DrawsInChineseWithTheSameWindows) {
    auto draw_in = [](i18n::Language language) {
        ganvas::testing::LanguageScope scope(language);
        HeadlessImGui imgui;
        LiveTrainer trainer(idle_trainer_options());
        TrainerSnapshot s;
        s.config.model = "dcgan28";
        Settings settings;
        settings.set_text("rf.network", "D");
        PanelContext ctx{s, trainer, settings, 1.0f};
        ReceptiveFieldPanel panel;
        for (int i = 0; i < 3; ++i)
            imgui.frame([&] {
                ganvas::testing::fill_display();
                panel.draw(ctx);
            });
        return ganvas::testing::ids_of_last_frame();
    };
    const auto english = draw_in(i18n::Language::English);
    EXPECT_EQ(english.windows.size(), 3u);  // the test window and the two columns
    EXPECT_EQ(english, draw_in(i18n::Language::Chinese));
}

TEST(RfSandboxPanel, DrawsInChineseWithTheSameWindows) {
    for (const char* stack : {"conv 3 1 1 1;conv 3 2 1 1;deconv 3 2 1 1", "garbage"}) {
        auto draw_in = [stack](i18n::Language language) {
            ganvas::testing::LanguageScope scope(language);
            HeadlessImGui imgui;
            LiveTrainer trainer(idle_trainer_options());
            TrainerSnapshot s;
            Settings settings;
            settings.set_text("rf_sandbox.layers", stack);
            PanelContext ctx{s, trainer, settings, 1.0f};
            RfSandboxPanel panel;
            for (int i = 0; i < 2; ++i)
                imgui.frame([&] {
                    ganvas::testing::fill_display();
                    panel.draw(ctx);
                });
            return ganvas::testing::ids_of_last_frame();
        };
        EXPECT_EQ(draw_in(i18n::Language::English), draw_in(i18n::Language::Chinese)) << stack;
    }
}
