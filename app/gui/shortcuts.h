// The window's keyboard shortcuts as one table. The key handling, the menus'
// shortcut labels and the F1 help are all read from it, and the workspace and
// tab rows are made from the workspaces (gui/workspaces.h), so a shortcut shown
// anywhere is one that works. The descriptions are in the current language:
// build the table again after a switch.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "gui/key_queue.h"

namespace ganvas::gui {

enum class Action {
    RunPause,
    Step,
    Reset,
    SaveExperiment,
    LoadExperiment,
    LargerUi,
    SmallerUi,
    Help,
    Quit,
    ShowWorkspace,  // Shortcut::index says which
    ShowTab,        // Shortcut::index: the tab's place in the shown workspace
    NextTab,        // through every tab of every workspace, in turn
    PreviousTab,
    ToggleSidebar,
    Presentation,
    ToggleTheme,  // dark <-> light
};

struct Chord {
    int key = 0;  // GLFW_KEY_*
    bool ctrl = false;
    bool shift = false;
};

struct Shortcut {
    std::vector<Chord> chords;  // the first is the one shown; the others are alternatives
    Action action = Action::Help;
    int index = -1;        // ShowWorkspace: the workspace; ShowTab: the tab in its workspace
    std::string what;      // what it does, as the F1 help says it
    bool repeats = false;  // a held key keeps doing it (the UI scale)
};

// "Ctrl+Shift+PageDown", "Space", "1", "F1".
std::string chord_text(const Chord& chord);

// Every shortcut of a window with these workspaces (English names) holding
// `tab_count` tabs in all, at most `most_tabs` in one, in the order the help
// lists them: Ctrl+1–9 show a workspace, 1–9 a tab of the shown workspace,
// Ctrl+PageDown / Ctrl+PageUp step through every tab of every workspace.
std::vector<Shortcut> window_shortcuts(const std::vector<std::string>& workspace_names,
                                       int tab_count, int most_tabs);

// The shortcut a key press sets off, or nullptr.
const Shortcut* find_shortcut(const std::vector<Shortcut>& table, const KeyPress& press);

// The label a menu item shows for `action` (and `index`); "" when no key does it.
std::string menu_shortcut(const std::vector<Shortcut>& table, Action action, int index = -1);

// The F1 help's rows: the keys, what they do.
std::vector<std::pair<std::string, std::string>> help_rows(const std::vector<Shortcut>& table);

// The tab a tab shortcut leads to from tab `from` of `count` (ShowTab: of the
// workspace's `count`; NextTab, PreviousTab: of all); -1 for another action.
int tab_after(const Shortcut& shortcut, int from, int count);

}  // namespace ganvas::gui
