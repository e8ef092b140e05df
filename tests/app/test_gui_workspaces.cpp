// The workspaces' table against the panel registry: every panel in exactly one
// workspace, no workspace naming a panel that is not there, and the sidebar
// beside the panels that show the session, not beside a lab.
#include <gtest/gtest.h>

#include <set>

#include "gui/workspaces.h"
#include "i18n/tr.h"
#include "panels/panel.h"

namespace ganvas::gui {
namespace {

TEST(Workspaces, EveryPanelIsInExactlyOneWorkspaceAndEveryNameIsAPanel) {
    const Arrangement a = arrange_workspaces(registered_panels());
    for (const std::string& problem : a.problems) ADD_FAILURE() << problem;
    EXPECT_EQ(a.entries.size(), registered_panels().size());
    std::set<std::string> seen;
    for (const Workspace& w : a.workspaces) {
        EXPECT_FALSE(w.tabs.empty()) << w.name;
        EXPECT_EQ(w.tabs.size(), w.roles.size()) << w.name;
        for (int t : w.tabs) EXPECT_TRUE(seen.insert(a.entries[t].title).second);
    }
    EXPECT_EQ(seen.size(), a.entries.size());
    ASSERT_FALSE(a.workspaces.empty());
    EXPECT_EQ(a.workspaces[0].name, "Train");  // what a new user sees first
    EXPECT_EQ(a.entries[a.workspaces[0].tabs[0]].title, "Losses");
}

TEST(Workspaces, AMistakeInTheTableIsReportedAndNoPanelIsLost) {
    std::vector<PanelEntry> entries;
    for (const char* title : {"A", "B", "C"}) entries.push_back({0, title, "X", __FILE__, {}});
    using enum PanelRole;
    const Arrangement a = arrange_workspaces(
        entries, {{"One", {{"A", Session}, {"Nowhere", Lab}}}, {"Two", {{"B", Lab}, {"A", Lab}}}});
    ASSERT_EQ(a.problems.size(), 3u);
    EXPECT_NE(a.problems[0].find("Nowhere"), std::string::npos);
    EXPECT_NE(a.problems[1].find("\"A\" is in two"), std::string::npos);
    EXPECT_NE(a.problems[2].find("\"C\""), std::string::npos);
    // C still gets a tab, in a last workspace.
    ASSERT_EQ(a.workspaces.size(), 3u);
    EXPECT_EQ(a.workspaces[2].name, "Other");
    ASSERT_EQ(a.entries.size(), 3u);
    EXPECT_EQ(a.entries[2].title, "C");
    EXPECT_EQ(workspace_of(a.workspaces, 2), 2);
    EXPECT_EQ(find_workspace(a.workspaces, "two"), 1);
    EXPECT_EQ(find_workspace(a.workspaces, "three"), -1);
}

TEST(Workspaces, TheSessionSidebarStandsOnlyBesideTheSessionsViews) {
    // The labs run their own workers with their own Play/Reset; the sidebar's
    // Run/Step/Reset would act on another model there.
    const std::set<std::string> session = {"Losses", "Samples",         "Model",
                                           "Data",   "Receptive Field", "VQ Stage 1"};
    const std::set<std::string> labs = {"GAN Lab",           "Perceptron",   "RF Sandbox",
                                        "Upsampling",        "Checkerboard", "VQ Stage 2",
                                        "Learned upsampling"};
    for (const WorkspaceSpec& spec : workspace_table())
        for (const WorkspacePanel& p : spec.panels) {
            if (session.count(p.title)) {
                EXPECT_EQ(p.role, PanelRole::Session) << p.title;
            }
            if (labs.count(p.title)) {
                EXPECT_EQ(p.role, PanelRole::Lab) << p.title;
            }
        }
    // Train is only the session's; a lab workspace has none of it.
    for (const WorkspacePanel& p : workspace_table()[0].panels)
        EXPECT_EQ(p.role, PanelRole::Session) << p.title;
}

TEST(Workspaces, EveryWorkspaceHasAChineseName) {
    const i18n::Catalog catalog = i18n::read_catalog(i18n::default_catalog_dir());
    std::set<std::string> keys;
    for (const auto& [english, chinese] : catalog.entries) keys.insert(english);
    for (const Workspace& w : arrange_workspaces(registered_panels()).workspaces)
        EXPECT_TRUE(keys.count(w.name)) << w.name << " has no entry in assets/i18n/zh-CN/";
    EXPECT_TRUE(keys.count("Other"));  // the workspace of a panel the table forgot
}

}  // namespace
}  // namespace ganvas::gui
