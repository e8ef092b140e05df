#include "gui/tab_set.h"

#include <imgui.h>

#include <algorithm>

#include "i18n/tr.h"
#include "io/printable.h"

namespace ganvas::gui {

TabSet::TabSet(Arrangement arrangement, PanelStart start)
    : entries_(std::move(arrangement.entries)),
      workspaces_(std::move(arrangement.workspaces)),
      start_(std::move(start)) {
    rebuild();
    wanted_ = -1;
}

void TabSet::rebuild() {
    panels_ = make_panels(entries_, start_);
    last_tab_.clear();
    for (const Workspace& w : workspaces_) last_tab_.push_back(w.tabs.empty() ? -1 : w.tabs[0]);
    wanted_ = 0;
    shown_ = announced_ = -1;
}

std::vector<std::string> TabSet::workspace_names() const {
    std::vector<std::string> names;
    for (const Workspace& w : workspaces_) names.push_back(w.name);
    return names;
}

int TabSet::most_tabs() const {
    size_t most = 0;
    for (const Workspace& w : workspaces_) most = std::max(most, w.tabs.size());
    return static_cast<int>(most);
}

void TabSet::remake(int tab, const PanelStart* start) {
    if (tab < 0 || tab >= static_cast<int>(panels_.size())) return;
    panels_[tab] = entries_[tab].make(start ? *start : start_);
    announced_ = -1;  // the new panel learns whether it is shown
}

int TabSet::index(const std::string& name) const {
    for (size_t i = 0; i < entries_.size(); ++i)
        if (!name.empty() && ascii_lower(entries_[i].title) == ascii_lower(name))
            return static_cast<int>(i);
    return -1;
}

void TabSet::want_workspace(int workspace) {
    if (workspace < 0 || workspace >= static_cast<int>(workspaces_.size())) return;
    wanted_ = last_tab_[workspace];
}

int TabSet::target_workspace() const {
    return workspace_of(workspaces_, std::max(0, target_tab()));
}

Panel* TabSet::target_panel() const {
    const int tab = target_tab();
    return tab >= 0 && tab < static_cast<int>(panels_.size()) ? panels_[tab].get() : nullptr;
}

bool TabSet::target_shows_session() const {
    const int w = target_workspace();
    if (w < 0) return true;
    const Workspace& ws = workspaces_[w];
    for (size_t i = 0; i < ws.tabs.size(); ++i)
        if (ws.tabs[i] == std::max(0, target_tab())) return ws.roles[i] == PanelRole::Session;
    return true;
}

void TabSet::step(const Shortcut& shortcut) {
    // From the tab already asked for, so three quick presses go three tabs on.
    const int from = target_tab();
    switch (shortcut.action) {
        case Action::ShowWorkspace:
            want_workspace(shortcut.index);
            return;
        case Action::ShowTab: {
            const int w = target_workspace();
            if (w < 0) return;
            const std::vector<int>& tabs = workspaces_[w].tabs;
            const int to = tab_after(shortcut, -1, static_cast<int>(tabs.size()));
            if (to >= 0) wanted_ = tabs[to];
            return;
        }
        default: {
            const int to = tab_after(shortcut, from, static_cast<int>(panels_.size()));
            if (to >= 0) wanted_ = to;
        }
    }
}

ImVec2 workspace_button_padding() {
    // Larger than a tab: the first choice a person makes, readable from the back of a room.
    const ImGuiStyle& style = ImGui::GetStyle();
    return ImVec2(style.FramePadding.x * 2, style.FramePadding.y * 1.5f);
}

void TabSet::draw_workspace_bar() {
    const int current = target_workspace();
    const ImGuiStyle& style = ImGui::GetStyle();
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, workspace_button_padding());
    for (size_t w = 0; w < workspaces_.size(); ++w) {
        if (w > 0) ImGui::SameLine();
        const bool active = static_cast<int>(w) == current;
        ImGui::PushStyleColor(ImGuiCol_Button,
                              style.Colors[active ? ImGuiCol_TabActive : ImGuiCol_Tab]);
        if (ImGui::Button(tr_id(workspaces_[w].name.c_str())) && !active)
            want_workspace(static_cast<int>(w));
        ImGui::PopStyleColor();
    }
    ImGui::PopStyleVar();
}

void TabSet::draw(PanelContext& ctx) {
    const int w = target_workspace();
    if (w < 0) return;
    const Workspace& ws = workspaces_[w];
    ImGui::PushID(ws.name.c_str());
    // A workspace has a few tabs: they all fit, so no scroll arrows hide any.
    if (ImGui::BeginTabBar("panels", ImGuiTabBarFlags_FittingPolicyScroll)) {
        for (int i : ws.tabs) {
            const char* title = entries_[i].title.c_str();
            const bool select = wanted_ == i;
            if (ImGui::BeginTabItem(tr_id(title), nullptr,
                                    select ? ImGuiTabItemFlags_SetSelected : 0)) {
                // Arriving from another workspace, a new bar shows its first tab
                // for a frame before the one asked for: that frame draws nothing,
                // so no lab starts for a glimpse.
                if (wanted_ >= 0 && wanted_ != i && workspace_of(workspaces_, shown_) != w) {
                    ImGui::EndTabItem();
                    continue;
                }
                shown_ = i;
                shown_title_ = title;
                ImGui::BeginChild(title);
                panels_[i]->draw(ctx);
                ImGui::EndChild();
                ImGui::EndTabItem();
            }
        }
        ImGui::EndTabBar();
    }
    ImGui::PopID();
    if (wanted_ == shown_) wanted_ = -1;
    if (const int sw = workspace_of(workspaces_, shown_); sw >= 0) last_tab_[sw] = shown_;
    // Once at start-up and at every change, so a lab can pause while nobody looks at it.
    if (shown_ != announced_) {
        announced_ = shown_;
        for (size_t i = 0; i < panels_.size(); ++i)
            panels_[i]->set_shown(static_cast<int>(i) == shown_);
    }
}

}  // namespace ganvas::gui
