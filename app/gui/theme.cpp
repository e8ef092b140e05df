#include "gui/theme.h"

#include <algorithm>
#include <cmath>

namespace ganvas::gui {

void apply_theme(const std::string& name, float scale, bool antialias) {
    ImGuiStyle style;
    ImVec4* c = style.Colors;
    if (name == "light") {
        ImGui::StyleColorsLight(&style);
        c[ImGuiCol_TextDisabled] = ImVec4(0.35f, 0.35f, 0.35f, 1);  // ImGui's 0.60 reads at 2.5:1
    } else {
        ImGui::StyleColorsDark(&style);
        c[ImGuiCol_WindowBg] = ImVec4(0.10f, 0.10f, 0.11f, 1);
        c[ImGuiCol_Header] = ImVec4(0.22f, 0.32f, 0.45f, 1);
        c[ImGuiCol_Tab] = ImVec4(0.16f, 0.20f, 0.27f, 1);
        c[ImGuiCol_TabActive] = ImVec4(0.26f, 0.40f, 0.60f, 1);
        c[ImGuiCol_TextDisabled] = ImVec4(0.60f, 0.60f, 0.60f, 1);  // ImGui's 0.50 reads at 4.4:1
    }
    style.WindowRounding = 4;
    style.ChildRounding = 4;
    style.FrameRounding = 3;
    style.GrabRounding = 3;
    style.TabRounding = 3;
    style.PopupRounding = 3;
    style.WindowPadding = ImVec2(10, 10);
    style.FramePadding = ImVec2(7, 4);
    style.ItemSpacing = ImVec2(8, 6);
    // Child windows draw no background of their own: with software OpenGL
    // (llvmpipe) every full-window fill costs milliseconds a frame.
    c[ImGuiCol_ChildBg].w = 0;
    style.ScaleAllSizes(scale);
    style.AntiAliasedLines = antialias;
    style.AntiAliasedFill = antialias;
    ImGui::GetStyle() = style;
}

ImVec4 tone_colour(Tone tone, bool light) {
    switch (tone) {
        case Tone::error:
            return light ? ImVec4(0.70f, 0.08f, 0.06f, 1) : ImVec4(1.00f, 0.45f, 0.40f, 1);
        case Tone::warning:
            return light ? ImVec4(0.50f, 0.30f, 0.00f, 1) : ImVec4(0.95f, 0.78f, 0.30f, 1);
        case Tone::ok:
            return light ? ImVec4(0.05f, 0.42f, 0.05f, 1) : ImVec4(0.40f, 0.85f, 0.40f, 1);
        case Tone::accent:
            return light ? ImVec4(0.45f, 0.27f, 0.00f, 1) : ImVec4(0.95f, 0.80f, 0.35f, 1);
    }
    return ImGui::GetStyle().Colors[ImGuiCol_Text];
}

ImVec4 tone_colour(Tone tone) {
    return tone_colour(tone,
                       relative_luminance(ImGui::GetStyle().Colors[ImGuiCol_WindowBg]) > 0.5f);
}

float relative_luminance(const ImVec4& colour) {
    const auto linear = [](float v) {
        v = std::clamp(v, 0.0f, 1.0f);
        return v <= 0.04045f ? v / 12.92f : std::pow((v + 0.055f) / 1.055f, 2.4f);
    };
    return 0.2126f * linear(colour.x) + 0.7152f * linear(colour.y) + 0.0722f * linear(colour.z);
}

float contrast_ratio(const ImVec4& a, const ImVec4& b) {
    const float la = relative_luminance(a), lb = relative_luminance(b);
    return (std::max(la, lb) + 0.05f) / (std::min(la, lb) + 0.05f);
}

}  // namespace ganvas::gui
