// What a panel leaves in ImGui's state that must not depend on the language:
// the names of the windows it opened (child windows are named by their ID) and
// the IDs of the tabs it drew. A label that should go through tr_id() but went
// through tr() gives a different tab or window in Chinese, and a switch of
// language would lose the user's choice of tab.
#pragma once

#include <imgui.h>
#include <imgui_internal.h>

#include <set>
#include <string>

#include "i18n/tr.h"

namespace ganvas::testing {

struct ImGuiIds {
    std::set<std::string> windows;
    std::set<ImGuiID> tabs;
    bool operator==(const ImGuiIds& o) const { return windows == o.windows && tabs == o.tabs; }
};

// The windows and tabs drawn in the frame just rendered.
inline ImGuiIds ids_of_last_frame() {
    ImGuiContext& g = *ImGui::GetCurrentContext();
    ImGuiIds ids;
    for (ImGuiWindow* w : g.Windows)
        if (w->Active) ids.windows.insert(w->Name);
    for (int i = 0; i < g.TabBars.GetMapSize(); ++i)
        if (ImGuiTabBar* bar = g.TabBars.TryGetMapData(i))
            for (const ImGuiTabItem& tab : bar->Tabs)
                if (tab.LastFrameVisible == g.FrameCount) ids.tabs.insert(tab.ID);
    return ids;
}

// Sizes the current window to the whole display, as a tab gets it: in a small
// window most of a panel is clipped and never reaches ImGui's checks.
inline void fill_display() {
    ImGui::SetWindowPos(ImVec2(0, 0));
    ImGui::SetWindowSize(ImGui::GetIO().DisplaySize);
}

// Switches the interface language for a test's scope and back to English after.
struct LanguageScope {
    explicit LanguageScope(i18n::Language language) { i18n::set_language(language); }
    ~LanguageScope() { i18n::set_language(i18n::Language::English); }
};

}  // namespace ganvas::testing
