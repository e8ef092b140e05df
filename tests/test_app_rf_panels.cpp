// The Receptive Field and RF Sandbox tabs drawn without a window: every network
// of the models, any stack in the sandbox (an impossible one shows its error),
// under ImGui's own checks of the ID and tree stacks.
#include <gtest/gtest.h>
#include <imgui.h>

#include <filesystem>

#include "panels/receptive_field_panel.h"
#include "panels/rf_sandbox_panel.h"

using namespace ganvas;
using namespace ganvas::gui;

namespace {

struct HeadlessImGui {
    HeadlessImGui() {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = ImVec2(1280, 800);
        io.DeltaTime = 1.0f / 60;
        io.IniFilename = nullptr;
        unsigned char* pixels;
        int w, h;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    }
    ~HeadlessImGui() { ImGui::DestroyContext(); }
    template <class Draw>
    void frame(Draw draw) {
        ImGui::NewFrame();
        ImGui::Begin("test");
        draw();
        ImGui::End();
        ImGui::Render();
    }
};

TrainerOptions idle_trainer_options() {
    TrainerOptions o;
    o.config.data = "idx:/nonexistent/images";  // nothing trains, nothing is uploaded to GL
    o.work_dir = (std::filesystem::temp_directory_path() / "ganvas-test-rf-panels").string();
    return o;
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

TEST(RfSandboxPanel, DrawsStacksAndImpossibleOnes) {
    HeadlessImGui imgui;
    LiveTrainer trainer(idle_trainer_options());
    TrainerSnapshot s;
    for (const char* stack : {"conv 3 1 1 1;conv 3 2 1 1;deconv 3 2 1 1", "upsample 1 1 0 2;avgpool 2 2 0 1",
                              "conv 9 1 0 1", "garbage"}) {
        Settings settings;
        settings.set_text("rf_sandbox.layers", stack);
        settings.set_number("rf_sandbox.input", 6);
        PanelContext ctx{s, trainer, settings, 1.0f};
        RfSandboxPanel panel;
        for (int i = 0; i < 2; ++i) imgui.frame([&] { panel.draw(ctx); });
    }
}
