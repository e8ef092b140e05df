// Both themes keep their text legible when projected: every text colour the
// window uses reads at WCAG's 4.5:1 or more against the backgrounds it sits on.
#include <gtest/gtest.h>

#include <string>

#include "gui/theme.h"
#include "support/headless_imgui.h"

namespace ganvas::gui {
namespace {

TEST(Theme, ContrastRatioFollowsWcag) {
    EXPECT_NEAR(contrast_ratio(ImVec4(0, 0, 0, 1), ImVec4(1, 1, 1, 1)), 21.0f, 1e-3f);
    EXPECT_NEAR(contrast_ratio(ImVec4(0.5f, 0.5f, 0.5f, 1), ImVec4(0.5f, 0.5f, 0.5f, 1)), 1.0f,
                1e-6f);
    // #767676 on white is the lightest grey WCAG's examples give for 4.5:1.
    const float g = 0x76 / 255.0f;
    EXPECT_NEAR(contrast_ratio(ImVec4(g, g, g, 1), ImVec4(1, 1, 1, 1)), 4.54f, 0.01f);
    EXPECT_EQ(contrast_ratio(ImVec4(1, 0, 0, 1), ImVec4(0, 0, 1, 1)),
              contrast_ratio(ImVec4(0, 0, 1, 1), ImVec4(1, 0, 0, 1)));
}

TEST(Theme, EveryTextColourReadsOnEveryBackgroundOfBothThemes) {
    testing::HeadlessImGui imgui;
    for (const std::string theme : {"dark", "light"}) {
        apply_theme(theme, 1.0f, true);
        const ImVec4* c = ImGui::GetStyle().Colors;
        const bool light = theme == "light";
        for (const Tone tone : {Tone::error, Tone::warning, Tone::ok, Tone::accent}) {
            const ImVec4 in_use = tone_colour(tone), expected = tone_colour(tone, light);
            EXPECT_TRUE(in_use.x == expected.x && in_use.y == expected.y && in_use.z == expected.z)
                << theme << " theme: the tone in use is the other theme's";
        }
        const std::pair<const char*, ImVec4> texts[] = {
            {"text", c[ImGuiCol_Text]},          {"disabled text", c[ImGuiCol_TextDisabled]},
            {"error", tone_colour(Tone::error)}, {"warning", tone_colour(Tone::warning)},
            {"ok", tone_colour(Tone::ok)},       {"accent", tone_colour(Tone::accent)}};
        const std::pair<const char*, ImVec4> backgrounds[] = {{"window", c[ImGuiCol_WindowBg]},
                                                              {"popup", c[ImGuiCol_PopupBg]},
                                                              {"menu bar", c[ImGuiCol_MenuBarBg]}};
        for (const auto& [text_name, text] : texts)
            for (const auto& [bg_name, bg] : backgrounds)
                EXPECT_GE(contrast_ratio(text, bg), 4.5f)
                    << theme << " theme: " << text_name << " on the " << bg_name << " background";
    }
}

TEST(Theme, TonesDifferFromPlainTextAndFromEachOther) {
    for (const bool light : {false, true}) {
        const ImVec4 tones[] = {tone_colour(Tone::error, light), tone_colour(Tone::warning, light),
                                tone_colour(Tone::ok, light)};
        for (int a = 0; a < 3; ++a)
            for (int b = a + 1; b < 3; ++b) {
                const float d = std::abs(tones[a].x - tones[b].x) +
                                std::abs(tones[a].y - tones[b].y) +
                                std::abs(tones[a].z - tones[b].z);
                EXPECT_GT(d, 0.3f) << "tones " << a << " and " << b << (light ? " (light)" : "");
            }
    }
}

}  // namespace
}  // namespace ganvas::gui
