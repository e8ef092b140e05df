// Presentation mode's pieces without a window: the type follows the window's
// height, a click leaves a ripple that grows and then goes, and the sidebar's
// state while presenting stays apart from the user's own.
#include <gtest/gtest.h>
#include <imgui.h>

#include "gui/presentation.h"
#include "support/headless_imgui.h"

namespace ganvas::gui {
namespace {

TEST(Presentation, TypeIsThreePercentOfTheWindowsHeight) {
    EXPECT_EQ(presentation_font_pixels(1080), 32);
    EXPECT_EQ(presentation_font_pixels(720), 22);
    EXPECT_EQ(presentation_font_pixels(2160), 65);
    EXPECT_EQ(presentation_font_pixels(200), 13);  // never below readable
}

// Vertices drawn over everything in the frame just rendered.
int foreground_vertices() {
    const ImDrawData* d = ImGui::GetDrawData();
    int n = 0;
    for (int i = 0; i < d->CmdListsCount; ++i)
        if (d->CmdLists[i] == ImGui::GetForegroundDrawList()) n += d->CmdLists[i]->VtxBuffer.Size;
    return n;
}

TEST(Presentation, AClickLeavesARippleThatGrowsAndGoes) {
    testing::HeadlessImGui imgui;
    Presentation p;
    p.set(true);
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(400, 300);
    bool alive = false;
    imgui.frame([&] { alive = p.draw_click_ripples(); });
    EXPECT_FALSE(alive);
    EXPECT_EQ(foreground_vertices(), 0);
    io.MouseDown[0] = true;  // a click
    imgui.frame([&] { alive = p.draw_click_ripples(); });
    EXPECT_TRUE(alive);
    EXPECT_GT(foreground_vertices(), 0);
    io.MouseDown[0] = false;
    for (int frame = 0; frame < 20; ++frame) imgui.frame([&] { alive = p.draw_click_ripples(); });
    EXPECT_TRUE(alive);  // a third of a second on: still growing
    for (int frame = 0; frame < 40; ++frame) imgui.frame([&] { alive = p.draw_click_ripples(); });
    EXPECT_FALSE(alive);  // gone after 0.6 s
    EXPECT_EQ(foreground_vertices(), 0);
}

TEST(Presentation, EnteringFoldsTheSidebarAndOneKeyBringsItBack) {
    Presentation p;
    p.set(true);
    EXPECT_FALSE(p.sidebar_shown());
    p.toggle_sidebar();
    EXPECT_TRUE(p.sidebar_shown());
    p.set(false);
    p.set(true);
    EXPECT_FALSE(p.sidebar_shown());  // each time folded again
}

}  // namespace
}  // namespace ganvas::gui
