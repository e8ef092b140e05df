// The window's keyboard shortcuts as one table. The key handling, the menus'
// shortcut labels and the F1 help are all read from it, and the tab rows are
// made from the panel registry, so a shortcut shown anywhere is one that works.
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
    ShowTab,  // Shortcut::tab says which
    NextTab,
    PreviousTab,
};

struct Chord {
    int key = 0;  // GLFW_KEY_*
    bool ctrl = false;
    bool shift = false;
};

struct Shortcut {
    std::vector<Chord> chords;  // the first is the one shown; the others are alternatives
    Action action = Action::Help;
    int tab = -1;          // ShowTab: the tab's index in the panel list
    std::string what;      // what it does, as the F1 help says it
    bool repeats = false;  // a held key keeps doing it (the UI scale)
};

// "Ctrl+Shift+PageDown", "Space", "1", "F1".
std::string chord_text(const Chord& chord);

// Every shortcut of a window whose tabs are `tab_titles`, in the order the help lists them:
// 1–9 show the first nine tabs, Ctrl+PageDown / Ctrl+PageUp step through all of them.
std::vector<Shortcut> window_shortcuts(const std::vector<std::string>& tab_titles);

// The shortcut a key press sets off, or nullptr.
const Shortcut* find_shortcut(const std::vector<Shortcut>& table, const KeyPress& press);

// The label a menu item shows for `action` (and `tab`); "" when no key does it.
std::string menu_shortcut(const std::vector<Shortcut>& table, Action action, int tab = -1);

// The F1 help's rows: the keys, what they do.
std::vector<std::pair<std::string, std::string>> help_rows(const std::vector<Shortcut>& table);

// The tab a tab shortcut leads to from tab `from` of `count`; -1 for another action.
int tab_after(const Shortcut& shortcut, int from, int count);

}  // namespace ganvas::gui
