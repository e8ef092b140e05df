// The window's tabs come from the panel registry: every panel once, names that
// agree (file, class, tab), and shortcuts, menus and help generated from it so
// that each key shown does what it says. The key queue that keeps quick taps,
// and View → Restore defaults' choice of what to forget, are tested here too.
#include <gtest/gtest.h>

#include <GLFW/glfw3.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "gui/key_queue.h"
#include "gui/settings.h"
#include "gui/shortcuts.h"
#include "gui/workspaces.h"
#include "panels/panel.h"

namespace ganvas::gui {
namespace {

// The source tree, from the golden folder's absolute path (tests/golden).
const std::filesystem::path kPanelsDir =
    std::filesystem::path(GANVAS_GOLDEN_DIR).parent_path().parent_path() / "app" / "panels";

// "VQ Stage 2", "VqStage2Panel" and "vq_stage2_panel.cpp" all say "vqstage2".
std::string squeezed(std::string name, const std::string& drop_suffix) {
    if (name.size() >= drop_suffix.size() &&
        name.compare(name.size() - drop_suffix.size(), drop_suffix.size(), drop_suffix) == 0)
        name.resize(name.size() - drop_suffix.size());
    std::string out;
    for (char c : name)
        if (std::isalnum(static_cast<unsigned char>(c)))
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

TEST(PanelRegistry, HoldsEveryPanelOnceWithUniqueTitlesAndOrders) {
    const std::vector<PanelEntry> entries = registered_panels();
    std::set<std::string> titles, lower_titles, classes;
    std::set<int> orders;
    for (const PanelEntry& e : entries) {
        EXPECT_TRUE(titles.insert(e.title).second) << "two panels are called " << e.title;
        EXPECT_TRUE(lower_titles.insert(squeezed(e.title, "")).second)
            << e.title;  // --tab ignores case
        EXPECT_TRUE(classes.insert(e.class_name).second) << e.class_name << " twice";
        EXPECT_TRUE(orders.insert(e.order).second) << "order " << e.order << " twice";
        EXPECT_TRUE(e.make) << e.title;
    }
    // Every *_panel.cpp but the sidebar's is a tab, registered from its own file.
    std::set<std::string> files;
    for (const auto& f : std::filesystem::directory_iterator(kPanelsDir)) {
        const std::string name = f.path().filename().string();
        if (name.size() > 10 && name.ends_with("_panel.cpp") && name != "experiment_panel.cpp")
            files.insert(name);
    }
    std::set<std::string> registered_files;
    for (const PanelEntry& e : entries)
        registered_files.insert(std::filesystem::path(e.file).filename().string());
    EXPECT_EQ(registered_files, files);
    EXPECT_EQ(entries.size(), files.size());
    EXPECT_EQ(entries.front().title, "Losses");  // the tab a new user sees first
}

TEST(PanelRegistry, FileClassAndTabNamesAgree) {
    for (const PanelEntry& e : registered_panels()) {
        const std::string file = std::filesystem::path(e.file).filename().string();
        EXPECT_EQ(squeezed(file, "_panel.cpp"), squeezed(e.class_name, "Panel"))
            << file << " holds " << e.class_name;
        EXPECT_EQ(squeezed(e.title, ""), squeezed(e.class_name, "Panel"))
            << "the tab " << e.title << " is drawn by " << e.class_name;
    }
}

TEST(PanelRegistry, EachPanelCallsItselfWhatTheRegistrySays) {
    const std::vector<PanelEntry> entries = registered_panels();
    const auto panels = make_panels(entries, PanelStart{});
    ASSERT_EQ(panels.size(), entries.size());
    for (size_t i = 0; i < entries.size(); ++i) {
        ASSERT_TRUE(panels[i]) << entries[i].title;
        EXPECT_EQ(std::string(panels[i]->title()), entries[i].title);
    }
}

TEST(PanelRegistry, PanelsComeInTheirOrderWhateverTheRegistrationOrder) {
    const std::vector<PanelEntry> entries = registered_panels();
    for (size_t i = 1; i < entries.size(); ++i)
        EXPECT_LT(entries[i - 1].order, entries[i].order) << entries[i].title;
}

// ---- shortcuts, menus and help from the registry ----

KeyPress press_of(const Chord& c, bool repeat = false) {
    return {c.key, (c.ctrl ? GLFW_MOD_CONTROL : 0) | (c.shift ? GLFW_MOD_SHIFT : 0), repeat};
}

// The window's table: its workspaces, every tab, the most tabs in one workspace.
std::vector<Shortcut> window_table() {
    const Arrangement a = arrange_workspaces(registered_panels());
    size_t most = 0;
    std::vector<std::string> names;
    for (const Workspace& w : a.workspaces) {
        names.push_back(w.name);
        most = std::max(most, w.tabs.size());
    }
    return window_shortcuts(names, static_cast<int>(a.entries.size()), static_cast<int>(most));
}

TEST(Shortcuts, EveryShortcutShownIsOneThatWorks) {
    const std::vector<Shortcut> table = window_table();
    std::set<std::string> shown;
    for (const Shortcut& s : table) {
        ASSERT_FALSE(s.chords.empty());
        for (const Chord& c : s.chords) {
            const Shortcut* found = find_shortcut(table, press_of(c));
            ASSERT_NE(found, nullptr) << chord_text(c);
            EXPECT_EQ(found, &s) << chord_text(c) << " does something else";
            EXPECT_TRUE(shown.insert(chord_text(c)).second) << chord_text(c) << " twice";
        }
    }
    // The help lists exactly the table, first chord of each.
    const auto rows = help_rows(table);
    ASSERT_EQ(rows.size(), table.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i].first, chord_text(table[i].chords.front()));
        EXPECT_EQ(rows[i].second, table[i].what);
    }
}

TEST(Shortcuts, EachWorkspaceKeyShownInTheViewMenuLeadsToThatWorkspace) {
    const Arrangement a = arrange_workspaces(registered_panels());
    const std::vector<Shortcut> table = window_table();
    const auto rows = help_rows(table);
    for (int w = 0; w < static_cast<int>(a.workspaces.size()); ++w) {
        const std::string label = menu_shortcut(table, Action::ShowWorkspace, w);
        ASSERT_EQ(label, "Ctrl+" + std::to_string(w + 1));
        const Shortcut* s = find_shortcut(table, {GLFW_KEY_1 + w, GLFW_MOD_CONTROL, false});
        ASSERT_NE(s, nullptr);
        EXPECT_EQ(s->action, Action::ShowWorkspace);
        EXPECT_EQ(s->index, w);
        // The help names the workspace beside its key.
        EXPECT_TRUE(std::any_of(rows.begin(), rows.end(), [&](const auto& r) {
            return r.first == label && r.second.find(a.workspaces[w].name) != std::string::npos;
        })) << a.workspaces[w].name;
    }
    EXPECT_EQ(find_shortcut(table, {GLFW_KEY_1 + static_cast<int>(a.workspaces.size()),
                                    GLFW_MOD_CONTROL, false}),
              nullptr);
}

TEST(Shortcuts, DigitsShowTheTabsOfAWorkspaceAndPageKeysStepThroughAll) {
    const std::vector<Shortcut> table = window_shortcuts({"A", "B"}, 5, 3);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(menu_shortcut(table, Action::ShowTab, i), std::to_string(i + 1));
        const Shortcut* s = find_shortcut(table, {GLFW_KEY_1 + i, 0, false});
        ASSERT_NE(s, nullptr);
        EXPECT_EQ(tab_after(*s, 0, 3), i);   // the i-th tab of a workspace of three
        EXPECT_EQ(tab_after(*s, 0, i), -1);  // a workspace with fewer has no such tab
    }
    EXPECT_EQ(find_shortcut(table, {GLFW_KEY_4, 0, false}), nullptr);
    EXPECT_EQ(find_shortcut(table, {GLFW_KEY_0, 0, false}), nullptr);
    for (const auto& [keys, what] : help_rows(table)) EXPECT_NE(keys, "4") << what;
    EXPECT_EQ(menu_shortcut(table, Action::NextTab), "Ctrl+PageDown");
    EXPECT_EQ(menu_shortcut(table, Action::PreviousTab), "Ctrl+PageUp");
    const Shortcut* next = find_shortcut(table, {GLFW_KEY_PAGE_DOWN, GLFW_MOD_CONTROL, false});
    const Shortcut* previous = find_shortcut(table, {GLFW_KEY_PAGE_UP, GLFW_MOD_CONTROL, false});
    ASSERT_TRUE(next && previous);
    std::set<int> reached;
    for (int tab = 0, k = 0; k < 5; ++k) reached.insert(tab = tab_after(*next, tab, 5));
    EXPECT_EQ(reached.size(), 5u);
    EXPECT_EQ(tab_after(*next, 4, 5), 0);
    EXPECT_EQ(tab_after(*previous, 0, 5), 4);
    EXPECT_NE(next->what.find("5"), std::string::npos) << next->what;
    // One tab has nothing to step through.
    EXPECT_EQ(menu_shortcut(window_shortcuts({"A"}, 1, 1), Action::NextTab), "");
}

TEST(Shortcuts, TheSidebarPresentationModeAndThemeHaveKeys) {
    const std::vector<Shortcut> table = window_table();
    EXPECT_EQ(menu_shortcut(table, Action::Presentation), "F11");
    EXPECT_EQ(menu_shortcut(table, Action::ToggleSidebar), "Ctrl+B");
    EXPECT_EQ(menu_shortcut(table, Action::ToggleTheme), "Ctrl+Shift+L");
    const Shortcut* theme =
        find_shortcut(table, {GLFW_KEY_L, GLFW_MOD_CONTROL | GLFW_MOD_SHIFT, false});
    ASSERT_NE(theme, nullptr);
    EXPECT_EQ(theme->action, Action::ToggleTheme);
    EXPECT_EQ(find_shortcut(table, {GLFW_KEY_L, 0, false}), nullptr);  // a plain L stays text
    const Shortcut* s = find_shortcut(table, {GLFW_KEY_F11, 0, false});
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->action, Action::Presentation);
}

TEST(Shortcuts, ModifiersAndRepeatsAreTakenIntoAccount) {
    const std::vector<Shortcut> table = window_shortcuts({"A", "B"}, 2, 2);
    const Shortcut* s = find_shortcut(table, {GLFW_KEY_S, 0, false});
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->action, Action::Step);
    s = find_shortcut(table, {GLFW_KEY_S, GLFW_MOD_CONTROL, false});
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->action, Action::SaveExperiment);
    EXPECT_EQ(find_shortcut(table, {GLFW_KEY_1, GLFW_MOD_ALT, false}), nullptr);
    EXPECT_EQ(find_shortcut(table, {GLFW_KEY_S, 0, true}), nullptr);     // held S: one step
    s = find_shortcut(table, {GLFW_KEY_EQUAL, GLFW_MOD_CONTROL, true});  // held Ctrl+=: grows
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->action, Action::LargerUi);
    s = find_shortcut(table, {GLFW_KEY_EQUAL, GLFW_MOD_CONTROL | GLFW_MOD_SHIFT, false});
    ASSERT_NE(s, nullptr);  // Ctrl++ on most layouts
    EXPECT_EQ(s->action, Action::LargerUi);
    EXPECT_EQ(chord_text({GLFW_KEY_PAGE_DOWN, true, true}), "Ctrl+Shift+PageDown");
    EXPECT_EQ(chord_text({GLFW_KEY_SPACE}), "Space");
    EXPECT_EQ(chord_text({GLFW_KEY_F1}), "F1");
}

// ---- every key press counts ----

TEST(KeyQueue, AQuickTapWithinOneFrameIsStillAPress) {
    KeyQueue q;
    q.on_key(GLFW_KEY_2, GLFW_PRESS, 0);
    q.on_key(GLFW_KEY_2, GLFW_RELEASE, 0);  // up again before the next frame
    const auto presses = q.take();
    ASSERT_EQ(presses.size(), 1u);
    EXPECT_EQ(presses[0].key, GLFW_KEY_2);
    EXPECT_FALSE(presses[0].repeat);
    EXPECT_TRUE(q.take().empty());  // taken once
}

TEST(KeyQueue, TenTapsInOneFrameAreTenPressesInOrder) {
    KeyQueue q;
    for (int i = 0; i < 10; ++i) {
        q.on_key(GLFW_KEY_PAGE_DOWN, GLFW_PRESS, GLFW_MOD_CONTROL);
        q.on_key(GLFW_KEY_PAGE_DOWN, GLFW_RELEASE, GLFW_MOD_CONTROL);
    }
    q.on_key(GLFW_KEY_EQUAL, GLFW_REPEAT, GLFW_MOD_CONTROL);
    const auto presses = q.take();
    ASSERT_EQ(presses.size(), 11u);
    for (int i = 0; i < 10; ++i) EXPECT_EQ(presses[i].mods, GLFW_MOD_CONTROL);
    EXPECT_TRUE(presses[10].repeat);
    // And the tab shortcuts walk ten tabs on from them.
    const std::vector<Shortcut> table = window_table();
    const int n = static_cast<int>(registered_panels().size());
    int tab = 0;
    for (const KeyPress& p : presses)
        if (const Shortcut* s = find_shortcut(table, p))
            if (const int to = tab_after(*s, tab, n); to >= 0) tab = to;
    EXPECT_EQ(tab, 10);
}

TEST(KeyQueue, AQueueNobodyDrainsStopsGrowing) {
    KeyQueue q;
    for (size_t i = 0; i < 10 * KeyQueue::kCapacity; ++i) q.on_key(GLFW_KEY_A, GLFW_PRESS, 0);
    EXPECT_EQ(q.size(), KeyQueue::kCapacity);
    q.on_key(GLFW_KEY_UNKNOWN, GLFW_PRESS, 0);
    EXPECT_EQ(q.size(), KeyQueue::kCapacity);
}

// ImGui 1.86's own test for a press: down at this frame's start, up at the last.
struct ImGuiKeyView {
    bool down[512] = {};
    bool before[512] = {};
    int presses(int key) {
        const int pressed = down[key] && !before[key];
        std::copy(std::begin(down), std::end(down), std::begin(before));
        return pressed;
    }
};

TEST(KeyReplay, TapsBetweenFramesReachImGuiOneFrameEach) {
    KeyReplay replay;
    ImGuiKeyView imgui;
    auto up = [](int) { return false; };
    // Three taps of → between two frames: ImGui's own callback set and cleared the key.
    for (int i = 0; i < 3; ++i) replay.on_key(GLFW_KEY_RIGHT, GLFW_PRESS);
    replay.on_key(GLFW_KEY_RIGHT, GLFW_RELEASE);
    int seen = 0;
    for (int frame = 0; frame < 10; ++frame) {
        replay.apply(imgui.down, 512, up);
        seen += imgui.presses(GLFW_KEY_RIGHT);
    }
    EXPECT_EQ(seen, 3);
    EXPECT_FALSE(replay.pending());
    EXPECT_FALSE(imgui.down[GLFW_KEY_RIGHT]);  // and left up
}

TEST(KeyReplay, AKeyStillHeldIsImGuisOwnPress) {
    KeyReplay replay;
    ImGuiKeyView imgui;
    bool held = true;
    replay.on_key(GLFW_KEY_LEFT, GLFW_PRESS);
    imgui.down[GLFW_KEY_LEFT] = true;  // ImGui's callback saw the press
    int seen = 0;
    for (int frame = 0; frame < 5; ++frame) {
        replay.apply(imgui.down, 512, [&](int) { return held; });
        seen += imgui.presses(GLFW_KEY_LEFT);
    }
    held = false;  // released: ImGui's callback cleared it
    imgui.down[GLFW_KEY_LEFT] = false;
    for (int frame = 0; frame < 5; ++frame) {
        replay.apply(imgui.down, 512, [&](int) { return held; });
        seen += imgui.presses(GLFW_KEY_LEFT);
    }
    EXPECT_EQ(seen, 1);  // not replayed a second time
    EXPECT_FALSE(replay.pending());
    replay.on_key(GLFW_KEY_LEFT, GLFW_REPEAT);  // the system's repeats are not taps
    EXPECT_FALSE(replay.pending());
}

// ---- View → Restore defaults ----

TEST(RestoreDefaults, ForgetsTheViewAndKeepsTheSessionAndFiles) {
    Settings s;
    s.set_number("ui.scale", 1.7);
    s.set_text("ui.theme", "light");
    s.set_number("ui.antialias", 0);
    s.set_text("window.tab", "Model");
    s.set_number("losses.smoothing", 0.2);
    s.set_number("samples.play_fps", 30);
    s.set_text("rf.network", "G");
    s.set_text("session.model", "vqgan28");
    s.set_number("session.batch", 16);
    s.set_number("window.width", 1600);
    s.set_text("samples.png_path", "mine/grid.png");
    s.set_text("experiment.path", "mine/exp.json");
    const std::string file =
        (std::filesystem::temp_directory_path() / ("ganvas-restore-" + std::to_string(getpid())))
            .string();
    s.save(file);
    EXPECT_FALSE(s.changed());

    s.restore_view_defaults();
    EXPECT_TRUE(s.changed());  // so the window saves it
    EXPECT_EQ(s.number("ui.scale", -1), -1);
    EXPECT_EQ(s.text("ui.theme", "?"), "?");
    EXPECT_EQ(s.number("ui.antialias", -1), -1);
    EXPECT_EQ(s.text("window.tab", "?"), "?");
    EXPECT_EQ(s.number("losses.smoothing", -1), -1);
    EXPECT_EQ(s.number("samples.play_fps", -1), -1);
    EXPECT_EQ(s.text("rf.network", "?"), "?");
    EXPECT_EQ(s.text("session.model", "?"), "vqgan28");
    EXPECT_EQ(s.number("session.batch", -1), 16);
    EXPECT_EQ(s.number("window.width", -1), 1600);
    EXPECT_EQ(s.text("samples.png_path", "?"), "mine/grid.png");
    EXPECT_EQ(s.text("experiment.path", "?"), "mine/exp.json");

    // Saved and read back, the defaults stay restored.
    s.save(file);
    Settings back = Settings::load(file);
    EXPECT_EQ(back.number("ui.scale", -1), -1);
    EXPECT_EQ(back.text("session.model", "?"), "vqgan28");
    std::filesystem::remove(file);

    s.restore_view_defaults();  // nothing left to forget: no change to save
    EXPECT_FALSE(s.changed());
}

}  // namespace
}  // namespace ganvas::gui
