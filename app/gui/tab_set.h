// TabSet: the window's tabs, one panel for each entry of the panel registry,
// and which of them is shown. Tab shortcuts and the View menu ask for a tab;
// ImGui selects it at the next frame, so several quick requests step on from
// the tab last asked for, not from the one still on screen.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "gui/shortcuts.h"
#include "panels/panel.h"

namespace ganvas::gui {

class TabSet {
public:
    // `entries`: registered_panels() in the window, a few stand-ins in tests.
    TabSet(std::vector<PanelEntry> entries, PanelStart start);
    // Fresh panels, none keeping a view choice (View → Restore defaults); the first tab.
    void rebuild();
    // Tab `tab` afresh (a lesson's preset): it rereads its view choices; `start`
    // replaces the command line's (the GAN Lab's preset). Between frames only.
    void remake(int tab, const PanelStart* start = nullptr);

    const std::vector<PanelEntry>& entries() const { return entries_; }
    const std::vector<std::unique_ptr<Panel>>& panels() const { return panels_; }
    std::vector<std::string> titles() const;
    int index(const std::string& name) const;  // the tab called `name` (any case), or -1

    void want(int tab) { wanted_ = tab; }  // shown from the next frame
    // A tab shortcut (1–9, next, previous); other shortcuts do nothing here.
    void step(const Shortcut& shortcut);

    // The tab bar with the shown panel; tells the panels when the shown tab changes.
    void draw(PanelContext& ctx);
    const std::string& shown_title() const { return shown_title_; }

private:
    std::vector<PanelEntry> entries_;  // in tab order
    PanelStart start_;
    std::vector<std::unique_ptr<Panel>> panels_;  // one for each entry
    int wanted_ = -1;     // the tab to select at the next frame; -1: none asked for
    int shown_ = -1;      // the tab drawn last frame
    int announced_ = -1;  // the tab the panels were last told is shown
    std::string shown_title_;
};

}  // namespace ganvas::gui
