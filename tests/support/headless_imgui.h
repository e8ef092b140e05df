// For tests that draw panels without a window: an ImGui context with no GL,
// enough to run a panel's draw() under ImGui's own checks (tree push/pop, ID
// stack), and a LiveTrainer that only has to exist.
#pragma once

#include <imgui.h>

#include <filesystem>
#include <string>

#include "train/live_trainer.h"

namespace ganvas::testing {

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

// A trainer whose data spec fails at once: nothing trains, nothing reaches GL.
inline TrainerOptions idle_trainer_options(const std::string& work_dir_name) {
    TrainerOptions o;
    o.config.data = "idx:/nonexistent/images";
    o.work_dir = (std::filesystem::temp_directory_path() / work_dir_name).string();
    return o;
}

}  // namespace ganvas::testing
