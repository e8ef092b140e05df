// TabSet: the window's workspaces and their tabs, one panel for each entry of
// the panel registry, and which of them is shown. A bar of workspaces sits
// above the shown workspace's own tab bar (gui/workspaces.h). Shortcuts and the
// View menu ask for a tab or a workspace; ImGui selects it at the next frame,
// so several quick requests step on from the tab last asked for, not from the
// one still on screen.
#pragma once

#include <imgui.h>

#include <memory>
#include <string>
#include <vector>

#include "gui/shortcuts.h"
#include "gui/workspaces.h"
#include "panels/panel.h"

namespace ganvas::gui {

// The workspace bar's buttons' padding, for buttons that stand beside them.
ImVec2 workspace_button_padding();

class TabSet {
public:
    // `arrangement`: arrange_workspaces(registered_panels()) in the window, a few
    // stand-ins in tests.
    TabSet(Arrangement arrangement, PanelStart start);
    // Fresh panels, none keeping a view choice (View → Restore defaults); the first tab.
    void rebuild();
    // Tab `tab` afresh (a lesson's preset): it rereads its view choices; `start`
    // replaces the command line's (the GAN Lab's preset). Between frames only.
    void remake(int tab, const PanelStart* start = nullptr);

    const std::vector<PanelEntry>& entries() const { return entries_; }
    const std::vector<Workspace>& workspaces() const { return workspaces_; }
    const std::vector<std::unique_ptr<Panel>>& panels() const { return panels_; }
    std::vector<std::string> workspace_names() const;
    int most_tabs() const;                     // the most tabs one workspace holds
    int index(const std::string& name) const;  // the tab called `name` (any case), or -1

    void want(int tab) { wanted_ = tab; }  // shown from the next frame
    // The workspace's tab shown last (its first at start); -1 does nothing.
    void want_workspace(int workspace);
    // A workspace or tab shortcut; other shortcuts do nothing here.
    void step(const Shortcut& shortcut);

    // The tab asked for, else the one shown; its workspace; whether it shows the session.
    int target_tab() const { return wanted_ >= 0 ? wanted_ : shown_; }
    int target_workspace() const;
    bool target_shows_session() const;
    Panel* target_panel() const;  // the panel of target_tab(), or nullptr

    // The first-level bar: a button for each workspace.
    void draw_workspace_bar();
    // The shown workspace's tab bar with the shown panel; tells the panels when
    // the shown tab changes.
    void draw(PanelContext& ctx);
    const std::string& shown_title() const { return shown_title_; }

private:
    std::vector<PanelEntry> entries_;  // workspace after workspace
    std::vector<Workspace> workspaces_;
    PanelStart start_;
    std::vector<std::unique_ptr<Panel>> panels_;  // one for each entry
    std::vector<int> last_tab_;                   // each workspace's tab shown last
    int wanted_ = -1;     // the tab to select at the next frame; -1: none asked for
    int shown_ = -1;      // the tab drawn last frame
    int announced_ = -1;  // the tab the panels were last told is shown
    std::string shown_title_;
};

}  // namespace ganvas::gui
