// A row of controls that wraps instead of running past the window's edge (the
// Checkerboard tab's sliders at 1024x768 in presentation mode ran 221 pixels past it).
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <vector>

#include "support/headless_imgui.h"
#include "widgets/flow_row.h"

namespace ganvas::gui {
namespace {

struct Rect {
    ImVec2 Min, Max;
};

class FlowRowTest : public ::testing::Test {
protected:
    // Three 120-pixel buttons in a window `width` pixels wide, joined by
    // same_line_if_fits (or, with `plain`, by ImGui::SameLine): their rectangles.
    std::vector<Rect> buttons(float width, bool plain = false) {
        std::vector<Rect> rects;
        for (int frame = 0; frame < 2; ++frame) {
            rects.clear();
            ImGui::NewFrame();
            ImGui::SetNextWindowPos(ImVec2(0, 0));
            ImGui::SetNextWindowSize(ImVec2(width, 300));
            ImGui::Begin("row", nullptr, ImGuiWindowFlags_NoScrollbar);
            for (int i = 0; i < 3; ++i) {
                if (i > 0) {
                    if (plain)
                        ImGui::SameLine();
                    else
                        same_line_if_fits(120);
                }
                ImGui::PushID(i);
                ImGui::Button("b", ImVec2(120, 0));
                ImGui::PopID();
                rects.push_back({ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
            }
            laid_out_to_ = ImGui::GetCurrentWindow()->DC.CursorMaxPos.x;
            content_edge_ = ImGui::GetWindowPos().x + ImGui::GetContentRegionMax().x;
            ImGui::End();
            ImGui::Render();
        }
        return rects;
    }
    float laid_out_to_ = 0, content_edge_ = 0;  // the last frame's, in screen pixels
    testing::HeadlessImGui imgui_;
};

TEST_F(FlowRowTest, ItemsThatFitStayOnOneLine) {
    const auto r = buttons(600);
    EXPECT_EQ(r[1].Min.y, r[0].Min.y);
    EXPECT_EQ(r[2].Min.y, r[0].Min.y);
    EXPECT_GT(r[2].Min.x, r[1].Max.x);
}

TEST_F(FlowRowTest, AnItemThatWouldPassTheEdgeStartsTheNextLine) {
    // Two buttons and their spacing fit 300 pixels; the third does not.
    const auto r = buttons(300);
    EXPECT_EQ(r[1].Min.y, r[0].Min.y);
    EXPECT_EQ(r[2].Min.x, r[0].Min.x);
    EXPECT_EQ(r[2].Min.y, r[0].Max.y + ImGui::GetStyle().ItemSpacing.y);
    // Nothing counts as laid out past the edge (the layout audit's "cut at the
    // window's edge" reads this), not even the spacing after the second button.
    EXPECT_EQ(laid_out_to_, r[1].Max.x);
    EXPECT_LE(laid_out_to_, content_edge_);
    // ImGui's own SameLine puts it past the window's edge.
    const auto plain = buttons(300, true);
    EXPECT_GT(plain[2].Max.x, 300);
}

TEST_F(FlowRowTest, AWidgetsWidthCountsItsVisibleLabel) {
    ImGui::NewFrame();
    const ImGuiStyle& st = ImGui::GetStyle();
    const float name = ImGui::CalcTextSize("kernel").x;
    EXPECT_EQ(labelled_width(100, "kernel##ov"), 100 + st.ItemInnerSpacing.x + name);
    EXPECT_EQ(labelled_width(100, "##hidden"), 100);
    EXPECT_EQ(button_width("kernel"), name + 2 * st.FramePadding.x);
    EXPECT_EQ(checkbox_width("kernel"), ImGui::GetFrameHeight() + st.ItemInnerSpacing.x + name);
    ImGui::EndFrame();
}

}  // namespace
}  // namespace ganvas::gui
