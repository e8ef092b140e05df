// Clicking a panel headless: one panel drawn in a window of fixed place and
// size, frame by frame, with the mouse where the test puts it. A click is a
// press, a release and a frame with the mouse gone, as a user's would be.
#pragma once

#include <imgui.h>
#include <imgui_internal.h>

#include "panels/panel.h"

namespace ganvas::testing {

class PanelWindow {
public:
    PanelWindow(const char* name, ImVec2 size) : name_(name), size_(size) {}

    void frame(gui::Panel& panel, gui::PanelContext& ctx, ImVec2 mouse, bool down) {
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = mouse;
        io.MouseDown[0] = down;
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(size_);
        ImGui::Begin(name_);
        panel.draw(ctx);
        ImGui::End();
        ImGui::Render();
    }
    void click(gui::Panel& panel, gui::PanelContext& ctx, ImVec2 at) {
        frame(panel, ctx, at, true);
        frame(panel, ctx, at, false);
        frame(panel, ctx, ImVec2(-1, -1), false);
    }
    // The window as ImGui keeps it (its cursor start, work rect), after a frame.
    ImGuiWindow* window() const { return ImGui::FindWindowByName(name_); }
    // The ID of a widget labelled `label` drawn directly in the window.
    ImGuiID id_of(const char* label) const { return window()->GetID(label); }
    // Where that widget is: the mouse moved down the window at x until ImGui says
    // the widget is under it; (-1, -1) if it never is.
    ImVec2 find(gui::Panel& panel, gui::PanelContext& ctx, const char* label, float x = 24) {
        for (float y = 0; y < size_.y; y += 4) {
            frame(panel, ctx, ImVec2(x, y), false);
            if (ImGui::GetCurrentContext()->HoveredId == id_of(label)) return ImVec2(x, y);
        }
        return ImVec2(-1, -1);
    }

private:
    const char* name_;
    ImVec2 size_;
};

}  // namespace ganvas::testing
