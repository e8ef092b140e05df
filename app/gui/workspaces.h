// Workspaces: the window's panels grouped by topic, a first-level bar above
// each workspace's own tabs. One table here names the panels of each workspace
// and whether a panel shows the training session (then the Experiment sidebar,
// which steers that session, stands beside it) or runs a lab with its own
// controls (then the sidebar would only be in the way, and is left out).
//
// The table names panels by their registered title; a title the registry does
// not hold, or a registered panel no workspace holds, is a mistake that
// arrange_workspaces() reports and tests/app/test_gui_workspaces.cpp fails on.
#pragma once

#include <string>
#include <vector>

#include "panels/panel_registry.h"

namespace ganvas::gui {

enum class PanelRole {
    Session,  // draws the session's training: the sidebar is shown beside it
    Lab,      // runs its own lab with its own Play/Reset: no sidebar
};

struct WorkspacePanel {
    const char* title;  // as registered (GANVAS_REGISTER_PANEL)
    PanelRole role;
};

struct WorkspaceSpec {
    const char* name;  // English; shown through tr_id()
    std::vector<WorkspacePanel> panels;
};

// Train, GAN & WGAN, Receptive fields, Upsampling, VQGAN: the window's workspaces.
const std::vector<WorkspaceSpec>& workspace_table();

// A workspace as the window holds it: its panels as indices into the tab list.
struct Workspace {
    std::string name;
    std::vector<int> tabs;         // indices into the entries arrange_workspaces() returns
    std::vector<PanelRole> roles;  // one for each tab
};

struct Arrangement {
    std::vector<PanelEntry> entries;    // every panel, workspace after workspace
    std::vector<Workspace> workspaces;  // in the table's order
    std::vector<std::string> problems;  // one line each: unknown titles, panels in none
};

// `entries` (the registry's, or a test's) grouped as `table` says. A panel the
// table misses still gets a tab, in a last workspace "Other", so nothing is lost.
Arrangement arrange_workspaces(const std::vector<PanelEntry>& entries,
                               const std::vector<WorkspaceSpec>& table = workspace_table());

// The workspace holding tab `tab`, or -1.
int workspace_of(const std::vector<Workspace>& workspaces, int tab);

// The workspace called `name` (any case), or -1.
int find_workspace(const std::vector<Workspace>& workspaces, const std::string& name);

}  // namespace ganvas::gui
