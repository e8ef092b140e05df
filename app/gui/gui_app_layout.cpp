// GuiApp's frame (gui/gui_app_internal.h): the menu bar, the alarm banner, then
// the workspace row, the Experiment sidebar beside the workspace's tabs and the
// lesson card, and the status bar.
#include "gui/gui_app_internal.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "gui/dialogs.h"

namespace ganvas::gui {

void GuiApp::draw_alarm(const TrainerSnapshot& s) {
    switch (draw_alarm_banner(s)) {
        case AlarmChoice::RestoreLastGood:
            trainer_->restore_last_good();
            break;
        case AlarmChoice::Reset:
            experiment_.ask_reset();
            break;
        case AlarmChoice::None:
            break;
    }
}

void GuiApp::draw_help() {
    if (show_help_) draw_shortcut_help(&show_help_, shortcuts_);
}

// The workspace bar, and at its right the sidebar's fold button where the
// shown tab has the sidebar.
void GuiApp::draw_workspace_row() {
    tabs_.draw_workspace_bar();
    if (!tabs_.target_shows_session()) return;
    const char* label = sidebar_shown() ? tr("◂ Experiment") : tr("▸ Experiment");
    const ImVec2 padding = workspace_button_padding();
    const float w = ImGui::CalcTextSize(label).x + 2 * padding.x;
    ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - w));
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, padding);
    if (ImGui::Button(label)) toggle_sidebar();
    ImGui::PopStyleVar();
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(tr("Show or hide the Experiment sidebar (%s)"),
                          menu_shortcut(shortcuts_, Action::ToggleSidebar).c_str());
}

// A fraction of the window, so that the panels keep most of a small screen,
// and no wider than the sidebar needs.
float GuiApp::sidebar_width(float available) const {
    const float scale = effective_scale();
    return std::round(std::clamp(0.3f * available, 250 * scale, 330 * scale));
}

// The main area: the workspace row, then the sidebar (where the shown tab
// shows the session) beside the workspace's tabs, then the status bar.
void GuiApp::draw_main_area(const TrainerSnapshot& s, PanelContext& ctx) {
    draw_workspace_row();
    const float status_h = ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().WindowPadding.y;
    if (sidebar_shown()) {
        ImGui::BeginChild("sidebar",
                          ImVec2(sidebar_width(ImGui::GetContentRegionAvail().x), -status_h), true);
        experiment_.draw(ctx);
        ImGui::EndChild();
        ImGui::SameLine();
    }
    // A lesson step sets the window up before the tabs draw (app/lessons).
    lesson_.runner().apply_pending(*this);
    const float card_w = lesson_.visible() ? std::round(340 * effective_scale()) : 0;
    ImGui::BeginChild("tabs", ImVec2(card_w > 0 ? -card_w : 0, -status_h), false);
    tabs_.draw(ctx);
    settings_.set_text("window.tab", tabs_.shown_title());
    if (const int w = tabs_.target_workspace(); w >= 0)
        settings_.set_text("window.workspace", tabs_.workspaces()[w].name);
    ImGui::EndChild();
    if (card_w > 0) {
        ImGui::SameLine();
        ImGui::BeginChild("lesson", ImVec2(0, -status_h), true);
        lesson_.draw(effective_scale());
        ImGui::EndChild();
    }
    ImGui::Separator();
    draw_status_bar(s, clock_);
}

void GuiApp::draw(const TrainerSnapshot& s) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoSavedSettings |
                                   ImGuiWindowFlags_NoBringToFrontOnFocus |
                                   ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_MenuBar;
    ImGui::Begin("Ganvas", nullptr, flags);
    if (restore_pending_) restore_defaults();
    draw_menu_bar();
    draw_restore_defaults();
    draw_alarm(s);
    PanelContext ctx{s, *trainer_, settings_, effective_scale()};
    draw_main_area(s, ctx);
    animating_ = ctx.animating;
    panels_working_ = ctx.working;
    ImGui::End();
    draw_help();
    if (presentation_.on() && presentation_.draw_click_ripples()) animating_ = true;
}

}  // namespace ganvas::gui
