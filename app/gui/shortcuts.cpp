#include "gui/shortcuts.h"

#include <GLFW/glfw3.h>

#include <cstdio>

#include "i18n/tr.h"

namespace ganvas::gui {
namespace {

std::string key_name(int key) {
    if (key >= GLFW_KEY_A && key <= GLFW_KEY_Z) return std::string(1, char('A' + key - GLFW_KEY_A));
    if (key >= GLFW_KEY_0 && key <= GLFW_KEY_9) return std::string(1, char('0' + key - GLFW_KEY_0));
    if (key >= GLFW_KEY_F1 && key <= GLFW_KEY_F25)
        return std::string("F").append(std::to_string(key - GLFW_KEY_F1 + 1));
    switch (key) {
        case GLFW_KEY_SPACE:
            return "Space";
        case GLFW_KEY_EQUAL:
            return "=";
        case GLFW_KEY_MINUS:
            return "-";
        case GLFW_KEY_KP_ADD:
            return "Keypad +";
        case GLFW_KEY_KP_SUBTRACT:
            return "Keypad -";
        case GLFW_KEY_PAGE_DOWN:
            return "PageDown";
        case GLFW_KEY_PAGE_UP:
            return "PageUp";
        case GLFW_KEY_TAB:
            return "Tab";
        case GLFW_KEY_F11:
            return "F11";
        default:
            return "key " + std::to_string(key);
    }
}

Chord key(int k) {
    return {k, false, false};
}
Chord ctrl(int k) {
    return {k, true, false};
}
Chord ctrl_shift(int k) {
    return {k, true, true};
}

}  // namespace

std::string chord_text(const Chord& chord) {
    std::string text = chord.ctrl ? "Ctrl+" : "";
    if (chord.shift) text += "Shift+";
    return text.append(key_name(chord.key));
}

// printf into a std::string (the help's descriptions with a number or a name in them).
template <class... Args>
std::string formatted(const char* pattern, Args... args) {
    char buf[256];
    std::snprintf(buf, sizeof buf, pattern, args...);
    return buf;
}

std::vector<Shortcut> window_shortcuts(const std::vector<std::string>& workspace_names,
                                       int tab_count, int most_tabs) {
    std::vector<Shortcut> table = {
        {{key(GLFW_KEY_SPACE)},
         Action::RunPause,
         -1,
         tr("run / pause training (in a lab: the lab's)")},
        {{key(GLFW_KEY_S)}, Action::Step, -1, tr("train a single step (in a lab: the lab's)")},
        {{key(GLFW_KEY_R)}, Action::Reset, -1, tr("reset the model (in a lab: the lab)")},
        {{ctrl(GLFW_KEY_S)}, Action::SaveExperiment, -1, tr("save the experiment")},
        {{ctrl(GLFW_KEY_O)}, Action::LoadExperiment, -1, tr("load the experiment")},
        // Ctrl+Shift+= is Ctrl++ on most layouts.
        {{ctrl(GLFW_KEY_EQUAL), ctrl_shift(GLFW_KEY_EQUAL), ctrl(GLFW_KEY_KP_ADD)},
         Action::LargerUi,
         -1,
         tr("larger UI"),
         true},
        {{ctrl(GLFW_KEY_MINUS), ctrl(GLFW_KEY_KP_SUBTRACT)},
         Action::SmallerUi,
         -1,
         tr("smaller UI"),
         true},
    };
    const int workspaces = static_cast<int>(workspace_names.size());
    for (int i = 0; i < workspaces && i < 9; ++i)
        table.push_back({{ctrl(GLFW_KEY_1 + i)},
                         Action::ShowWorkspace,
                         i,
                         formatted(tr("the %s workspace"), tr(workspace_names[i].c_str()))});
    for (int i = 0; i < most_tabs && i < 9; ++i)
        table.push_back({{key(GLFW_KEY_1 + i)},
                         Action::ShowTab,
                         i,
                         formatted(tr("tab %d of the workspace shown"), i + 1)});
    // Ctrl+Tab would be the browsers' choice, but ImGui's keyboard navigation
    // takes it for switching windows; Ctrl+PageDown is the browsers' other one.
    if (tab_count > 1) {
        table.push_back(
            {{ctrl(GLFW_KEY_PAGE_DOWN)},
             Action::NextTab,
             -1,
             formatted(tr("next tab (all %d tabs of every workspace, in turn)"), tab_count)});
        table.push_back(
            {{ctrl(GLFW_KEY_PAGE_UP)},
             Action::PreviousTab,
             -1,
             formatted(tr("previous tab (all %d tabs of every workspace, in turn)"), tab_count)});
    }
    table.push_back(
        {{ctrl(GLFW_KEY_B)}, Action::ToggleSidebar, -1, tr("show / hide the Experiment sidebar")});
    table.push_back({{key(GLFW_KEY_F11)},
                     Action::Presentation,
                     -1,
                     tr("presentation mode: full screen, large type and pointer")});
    table.push_back({{ctrl_shift(GLFW_KEY_L)},
                     Action::ToggleTheme,
                     -1,
                     tr("light / dark theme (the light one suits a projector in a bright room)")});
    table.push_back({{key(GLFW_KEY_F1)}, Action::Help, -1, tr("this help")});
    table.push_back({{ctrl(GLFW_KEY_Q)}, Action::Quit, -1, tr("quit")});
    return table;
}

const Shortcut* find_shortcut(const std::vector<Shortcut>& table, const KeyPress& press) {
    // Alt and Super chords belong to the system and to ImGui, not to us.
    if (press.mods & (GLFW_MOD_ALT | GLFW_MOD_SUPER)) return nullptr;
    const bool ctrl_held = (press.mods & GLFW_MOD_CONTROL) != 0;
    const bool shift_held = (press.mods & GLFW_MOD_SHIFT) != 0;
    for (const Shortcut& s : table) {
        if (press.repeat && !s.repeats) continue;
        for (const Chord& c : s.chords)
            if (c.key == press.key && c.ctrl == ctrl_held && c.shift == shift_held) return &s;
    }
    return nullptr;
}

std::string menu_shortcut(const std::vector<Shortcut>& table, Action action, int index) {
    for (const Shortcut& s : table)
        if (s.action == action && s.index == index && !s.chords.empty())
            return chord_text(s.chords.front());
    return "";
}

std::vector<std::pair<std::string, std::string>> help_rows(const std::vector<Shortcut>& table) {
    std::vector<std::pair<std::string, std::string>> rows;
    for (const Shortcut& s : table)
        if (!s.chords.empty()) rows.emplace_back(chord_text(s.chords.front()), s.what);
    return rows;
}

int tab_after(const Shortcut& shortcut, int from, int count) {
    if (count <= 0) return -1;
    switch (shortcut.action) {
        case Action::ShowTab:
            return shortcut.index >= 0 && shortcut.index < count ? shortcut.index : -1;
        case Action::NextTab:
            return ((from < 0 ? -1 : from) + 1) % count;
        case Action::PreviousTab:
            return ((from < 0 ? 0 : from) - 1 + count) % count;
        default:
            return -1;
    }
}

}  // namespace ganvas::gui
