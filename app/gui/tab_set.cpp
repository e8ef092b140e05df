#include "gui/tab_set.h"

#include "i18n/tr.h"

#include <imgui.h>

#include <cctype>

namespace ganvas::gui {
namespace {

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

TabSet::TabSet(std::vector<PanelEntry> entries, PanelStart start)
    : entries_(std::move(entries)), start_(std::move(start)) {
    rebuild();
    wanted_ = -1;
}

void TabSet::rebuild() {
    panels_ = make_panels(entries_, start_);
    wanted_ = 0;
    shown_ = announced_ = -1;
}

void TabSet::remake(int tab, const PanelStart* start) {
    if (tab < 0 || tab >= static_cast<int>(panels_.size())) return;
    panels_[tab] = entries_[tab].make(start ? *start : start_);
    announced_ = -1;  // the new panel learns whether it is shown
}

std::vector<std::string> TabSet::titles() const {
    std::vector<std::string> titles;
    for (const PanelEntry& e : entries_) titles.push_back(e.title);
    return titles;
}

int TabSet::index(const std::string& name) const {
    for (size_t i = 0; i < entries_.size(); ++i)
        if (!name.empty() && lower(entries_[i].title) == lower(name)) return static_cast<int>(i);
    return -1;
}

void TabSet::step(const Shortcut& shortcut) {
    // From the tab already asked for, so three quick presses go three tabs on.
    const int from = wanted_ >= 0 ? wanted_ : shown_;
    const int to = tab_after(shortcut, from, static_cast<int>(panels_.size()));
    if (to >= 0) wanted_ = to;
}

void TabSet::draw(PanelContext& ctx) {
    if (!ImGui::BeginTabBar(
            "panels", ImGuiTabBarFlags_FittingPolicyScroll | ImGuiTabBarFlags_TabListPopupButton))
        return;
    for (size_t i = 0; i < panels_.size(); ++i) {
        const char* title = entries_[i].title.c_str();
        const bool select = wanted_ == static_cast<int>(i);
        if (ImGui::BeginTabItem(tr_id(title), nullptr,
                                select ? ImGuiTabItemFlags_SetSelected : 0)) {
            shown_ = static_cast<int>(i);
            shown_title_ = title;
            ImGui::BeginChild(title);
            panels_[i]->draw(ctx);
            ImGui::EndChild();
            ImGui::EndTabItem();
        }
    }
    ImGui::EndTabBar();
    if (wanted_ == shown_) wanted_ = -1;
    // Once at start-up and at every change, so a lab can pause while nobody looks at it.
    if (shown_ != announced_) {
        announced_ = shown_;
        for (size_t i = 0; i < panels_.size(); ++i)
            panels_[i]->set_shown(static_cast<int>(i) == shown_);
    }
}

}  // namespace ganvas::gui
