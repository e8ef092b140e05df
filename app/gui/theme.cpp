#include "gui/theme.h"

#include <imgui.h>

namespace ganvas::gui {

void apply_theme(const std::string& name, float scale, bool antialias) {
    ImGuiStyle style;
    if (name == "light")
        ImGui::StyleColorsLight(&style);
    else
        ImGui::StyleColorsDark(&style);
    style.WindowRounding = 4;
    style.ChildRounding = 4;
    style.FrameRounding = 3;
    style.GrabRounding = 3;
    style.TabRounding = 3;
    style.PopupRounding = 3;
    style.WindowPadding = ImVec2(10, 10);
    style.FramePadding = ImVec2(7, 4);
    style.ItemSpacing = ImVec2(8, 6);
    if (name != "light") {
        ImVec4* c = style.Colors;
        c[ImGuiCol_WindowBg] = ImVec4(0.10f, 0.10f, 0.11f, 1);
        c[ImGuiCol_Header] = ImVec4(0.22f, 0.32f, 0.45f, 1);
        c[ImGuiCol_Tab] = ImVec4(0.16f, 0.20f, 0.27f, 1);
        c[ImGuiCol_TabActive] = ImVec4(0.26f, 0.40f, 0.60f, 1);
    }
    // Child windows draw no background of their own: with software OpenGL
    // (llvmpipe) every full-window fill costs milliseconds a frame.
    style.Colors[ImGuiCol_ChildBg].w = 0;
    style.ScaleAllSizes(scale);
    style.AntiAliasedLines = antialias;
    style.AntiAliasedFill = antialias;
    ImGui::GetStyle() = style;
}

}  // namespace ganvas::gui
