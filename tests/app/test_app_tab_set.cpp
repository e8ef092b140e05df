// The window's workspaces and tabs without a window: which tab is shown after
// quick requests, what a workspace remembers, and that panels hear when their
// tab is shown and when it stops being shown.
#include <gtest/gtest.h>
#include <imgui.h>

#include <GLFW/glfw3.h>

#include <map>

#include "gui/tab_set.h"
#include "support/headless_imgui.h"

namespace ganvas::gui {
namespace {

using ganvas::testing::HeadlessImGui;

// Records every set_shown call its panels receive.
std::map<std::string, std::vector<bool>> calls;

class Spy : public Panel {
public:
    explicit Spy(std::string title) : title_(std::move(title)) {}
    const char* title() const override { return title_.c_str(); }
    void draw(PanelContext&) override { ImGui::TextUnformatted(title_.c_str()); }
    void set_shown(bool shown) override { calls[title_].push_back(shown); }

private:
    std::string title_;
};

std::vector<PanelEntry> spies(int n) {
    std::vector<PanelEntry> entries;
    for (int i = 0; i < n; ++i) {
        const std::string title = "Tab " + std::to_string(i);
        entries.push_back({10 * i, title, "Spy", __FILE__,
                           [title](const PanelStart&) { return std::make_unique<Spy>(title); }});
    }
    return entries;
}

// n spies in one workspace.
Arrangement one_workspace(int n) {
    std::vector<WorkspacePanel> panels;
    static std::vector<std::string> titles;  // the table points at them
    titles.clear();
    for (int i = 0; i < n; ++i) titles.push_back("Tab " + std::to_string(i));
    for (const std::string& t : titles) panels.push_back({t.c_str(), PanelRole::Session});
    return arrange_workspaces(spies(n), {{"All", panels}});
}

// Five spies: "Session" holds tabs 0 and 1 (the session's), "Labs" 2, 3, 4 (labs).
Arrangement two_workspaces() {
    using enum PanelRole;
    return arrange_workspaces(spies(5),
                              {{"Session", {{"Tab 0", Session}, {"Tab 1", Session}}},
                               {"Labs", {{"Tab 2", Lab}, {"Tab 3", Lab}, {"Tab 4", Lab}}}});
}

class TabSetTest : public ::testing::Test {
protected:
    void SetUp() override { calls.clear(); }
    void frames(TabSet& tabs, int n) {
        for (int i = 0; i < n; ++i)
            imgui_.frame([&] {
                tabs.draw_workspace_bar();
                tabs.draw(ctx_);
            });
    }
    HeadlessImGui imgui_;
    LiveTrainer trainer_{ganvas::testing::idle_trainer_options("ganvas-test-tab-set")};
    TrainerSnapshot snapshot_;
    Settings settings_;
    PanelContext ctx_{snapshot_, trainer_, settings_, 1.0f};
};

const Shortcut* key(const std::vector<Shortcut>& table, int glfw_key, int mods = 0) {
    return find_shortcut(table, {glfw_key, mods, false});
}

std::vector<Shortcut> table_of(const TabSet& tabs) {
    return window_shortcuts(tabs.workspace_names(), static_cast<int>(tabs.entries().size()),
                            tabs.most_tabs());
}

TEST_F(TabSetTest, EveryPanelHearsAtStartUpAndAtEachChange) {
    TabSet tabs(one_workspace(3), {});
    frames(tabs, 3);
    EXPECT_EQ(tabs.shown_title(), "Tab 0");
    EXPECT_EQ(calls["Tab 0"], (std::vector<bool>{true}));  // once, at start-up
    EXPECT_EQ(calls["Tab 1"], (std::vector<bool>{false}));
    EXPECT_EQ(calls["Tab 2"], (std::vector<bool>{false}));
    tabs.want(2);
    frames(tabs, 3);
    EXPECT_EQ(tabs.shown_title(), "Tab 2");
    EXPECT_EQ(calls["Tab 0"], (std::vector<bool>{true, false}));
    EXPECT_EQ(calls["Tab 2"], (std::vector<bool>{false, true}));
    frames(tabs, 3);  // no change, no calls
    EXPECT_EQ(calls["Tab 2"].size(), 2u);
}

TEST_F(TabSetTest, QuickRequestsStepOnFromTheTabLastAskedFor) {
    TabSet tabs(one_workspace(5), {});
    const std::vector<Shortcut> table = table_of(tabs);
    frames(tabs, 2);
    // Three Ctrl+PageDown in one frame, before ImGui has shown any of them.
    for (int i = 0; i < 3; ++i) tabs.step(*key(table, GLFW_KEY_PAGE_DOWN, GLFW_MOD_CONTROL));
    frames(tabs, 3);
    EXPECT_EQ(tabs.shown_title(), "Tab 3");
    tabs.step(*key(table, GLFW_KEY_PAGE_UP, GLFW_MOD_CONTROL));
    tabs.step(*key(table, GLFW_KEY_2));
    tabs.step(*key(table, GLFW_KEY_PAGE_UP, GLFW_MOD_CONTROL));
    frames(tabs, 3);
    EXPECT_EQ(tabs.shown_title(), "Tab 0");
}

TEST_F(TabSetTest, TabsAreFoundInAnyCaseAndRebuiltFresh) {
    TabSet tabs(one_workspace(3), {});
    EXPECT_EQ(tabs.index("tab 2"), 2);
    EXPECT_EQ(tabs.index("Nowhere"), -1);
    EXPECT_EQ(tabs.index(""), -1);
    tabs.want(1);
    frames(tabs, 3);
    const Panel* before = tabs.panels()[0].get();
    tabs.rebuild();  // View → Restore defaults: new panels, the first tab
    EXPECT_NE(tabs.panels()[0].get(), before);
    frames(tabs, 3);
    EXPECT_EQ(tabs.shown_title(), "Tab 0");
    EXPECT_EQ(calls["Tab 0"].back(), true);  // the new panels hear it too
}

TEST_F(TabSetTest, AWorkspaceOpensOnItsTabShownLast) {
    TabSet tabs(two_workspaces(), {});
    const std::vector<Shortcut> table = table_of(tabs);
    frames(tabs, 2);
    EXPECT_EQ(tabs.target_workspace(), 0);
    tabs.step(*key(table, GLFW_KEY_2, GLFW_MOD_CONTROL));  // Labs: its first tab
    frames(tabs, 3);
    EXPECT_EQ(tabs.shown_title(), "Tab 2");
    EXPECT_EQ(calls["Tab 0"], (std::vector<bool>{true, false}));  // the hidden one hears it
    tabs.step(*key(table, GLFW_KEY_3));                           // the third tab of Labs
    frames(tabs, 3);
    EXPECT_EQ(tabs.shown_title(), "Tab 4");
    tabs.step(*key(table, GLFW_KEY_1, GLFW_MOD_CONTROL));
    frames(tabs, 3);
    EXPECT_EQ(tabs.shown_title(), "Tab 0");
    tabs.step(*key(table, GLFW_KEY_3));  // Session has two tabs: nothing happens
    frames(tabs, 3);
    EXPECT_EQ(tabs.shown_title(), "Tab 0");
    tabs.step(*key(table, GLFW_KEY_2, GLFW_MOD_CONTROL));  // back where Labs was left
    frames(tabs, 3);
    EXPECT_EQ(tabs.shown_title(), "Tab 4");
}

// A workspace's tab bar, new on screen, would show its first tab for a frame
// before the one asked for: that tab's lab must not hear it was shown.
TEST_F(TabSetTest, OpeningAWorkspaceOnALaterTabShowsNoOtherOnTheWay) {
    TabSet tabs(two_workspaces(), {});
    frames(tabs, 2);
    tabs.want(4);
    frames(tabs, 3);
    EXPECT_EQ(tabs.shown_title(), "Tab 4");
    EXPECT_EQ(calls["Tab 2"], (std::vector<bool>{false, false}));  // never told it is shown
    EXPECT_EQ(calls["Tab 4"], (std::vector<bool>{false, true}));
}

TEST_F(TabSetTest, PageKeysCrossFromOneWorkspaceToTheNext) {
    TabSet tabs(two_workspaces(), {});
    const std::vector<Shortcut> table = table_of(tabs);
    frames(tabs, 2);
    tabs.want(1);
    frames(tabs, 3);
    tabs.step(*key(table, GLFW_KEY_PAGE_DOWN, GLFW_MOD_CONTROL));
    frames(tabs, 3);
    EXPECT_EQ(tabs.shown_title(), "Tab 2");
    EXPECT_EQ(tabs.target_workspace(), 1);
    tabs.step(*key(table, GLFW_KEY_PAGE_UP, GLFW_MOD_CONTROL));
    tabs.step(*key(table, GLFW_KEY_PAGE_UP, GLFW_MOD_CONTROL));
    tabs.step(*key(table, GLFW_KEY_PAGE_UP, GLFW_MOD_CONTROL));  // round to the last
    frames(tabs, 3);
    EXPECT_EQ(tabs.shown_title(), "Tab 4");
}

TEST_F(TabSetTest, TheSidebarBelongsOnlyBesideTheSessionsPanels) {
    TabSet tabs(two_workspaces(), {});
    frames(tabs, 2);
    EXPECT_TRUE(tabs.target_shows_session());
    tabs.want(3);
    EXPECT_FALSE(tabs.target_shows_session());  // asked for: the next frame's layout
    frames(tabs, 3);
    EXPECT_FALSE(tabs.target_shows_session());
    tabs.want_workspace(0);
    EXPECT_TRUE(tabs.target_shows_session());
}

}  // namespace
}  // namespace ganvas::gui
