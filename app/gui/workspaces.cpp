#include "gui/workspaces.h"

#include <set>

#include "io/printable.h"

namespace ganvas::gui {

const std::vector<WorkspaceSpec>& workspace_table() {
    using enum PanelRole;
    static const std::vector<WorkspaceSpec> table = {
        {"Train",
         {{"Losses", Session},
          {"Samples", Session},
          {"Model", Session},
          {"Data", Session},
          // It reads any TFRecord file, but sits beside Data, with the session's data.
          {"Feature columns", Session},
          {"TensorBoard", Session}}},
        {"GAN & WGAN", {{"GAN Lab", Lab}, {"Perceptron", Lab}}},
        // The analytic view explains the session's own model; the sandbox builds its own.
        {"Receptive fields", {{"Receptive Field", Session}, {"RF Sandbox", Lab}}},
        {"Upsampling", {{"Upsampling", Lab}, {"Checkerboard", Lab}, {"Learned upsampling", Lab}}},
        // Stage 1 trains as the session (vqgan28); stage 2 trains its own prior.
        {"VQGAN", {{"VQ Stage 1", Session}, {"VQ Stage 2", Lab}}},
    };
    return table;
}

Arrangement arrange_workspaces(const std::vector<PanelEntry>& entries,
                               const std::vector<WorkspaceSpec>& table) {
    Arrangement out;
    std::set<std::string> placed;
    auto find_entry = [&](const std::string& title) -> const PanelEntry* {
        for (const PanelEntry& e : entries)
            if (e.title == title) return &e;
        return nullptr;
    };
    for (const WorkspaceSpec& spec : table) {
        Workspace ws{spec.name, {}, {}};
        for (const WorkspacePanel& p : spec.panels) {
            const PanelEntry* e = find_entry(p.title);
            if (!e) {
                out.problems.push_back(std::string("the workspace ") + spec.name + " names \"" +
                                       p.title + "\", which no panel registers");
                continue;
            }
            if (!placed.insert(p.title).second) {
                out.problems.push_back(std::string("\"") + p.title + "\" is in two workspaces");
                continue;
            }
            ws.tabs.push_back(static_cast<int>(out.entries.size()));
            ws.roles.push_back(p.role);
            out.entries.push_back(*e);
        }
        if (!ws.tabs.empty()) out.workspaces.push_back(std::move(ws));
    }
    Workspace other{"Other", {}, {}};
    for (const PanelEntry& e : entries) {
        if (placed.count(e.title)) continue;
        out.problems.push_back("the panel \"" + e.title + "\" (" + e.file +
                               ") is in no workspace: add it to app/gui/workspaces.cpp");
        other.tabs.push_back(static_cast<int>(out.entries.size()));
        other.roles.push_back(PanelRole::Session);
        out.entries.push_back(e);
    }
    if (!other.tabs.empty()) out.workspaces.push_back(std::move(other));
    return out;
}

int workspace_of(const std::vector<Workspace>& workspaces, int tab) {
    for (size_t w = 0; w < workspaces.size(); ++w)
        for (int t : workspaces[w].tabs)
            if (t == tab) return static_cast<int>(w);
    return -1;
}

int find_workspace(const std::vector<Workspace>& workspaces, const std::string& name) {
    for (size_t w = 0; w < workspaces.size(); ++w)
        if (!name.empty() && ascii_lower(workspaces[w].name) == ascii_lower(name))
            return static_cast<int>(w);
    return -1;
}

}  // namespace ganvas::gui
