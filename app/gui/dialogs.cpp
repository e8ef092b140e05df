#include "gui/dialogs.h"

#include <imgui.h>

#include <string>
#include <utility>

#include "i18n/tr.h"

namespace ganvas::gui {

void draw_shortcut_help(bool* open, const std::vector<Shortcut>& shortcuts) {
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 27, 0), ImGuiCond_Appearing);
    if (ImGui::Begin(tr_id("Keyboard shortcuts"), open, ImGuiWindowFlags_NoCollapse)) {
        std::vector<std::pair<std::string, std::string>> rows = help_rows(shortcuts);
        // The panels' own keys, while the pointer is over them.
        rows.emplace_back("← / →", tr("earlier / later grid or page (Samples, Data)"));
        if (ImGui::BeginTable("keys", 2)) {
            for (const auto& [keys, what] : rows) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(keys.c_str());
                ImGui::TableNextColumn();
                ImGui::TextWrapped("%s", what.c_str());
            }
            ImGui::EndTable();
        }
    }
    ImGui::End();
}

bool draw_restore_defaults_question(bool* ask) {
    const char* title = tr_id("Restore defaults?");
    if (*ask) {
        ImGui::OpenPopup(title);
        *ask = false;
    }
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 26, 0), ImGuiCond_Appearing);
    if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_NoSavedSettings)) return false;
    // tr()'s literal stays whole, for tests/app/test_translations.cpp to find.
    // clang-format off
    ImGui::TextWrapped("%s", tr("The UI scale, the theme, the tab shown and every tab's view choices go back to their defaults, and each tab starts afresh (a lab there starts over)."));
    // clang-format on
    ImGui::TextWrapped("%s",
                       tr("The session (model, data, training) and the files you named are kept."));
    ImGui::Spacing();
    bool confirmed = false;
    if (ImGui::Button(tr("Restore defaults"))) {
        confirmed = true;
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button(tr("Don't restore")) ||
        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))
        ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    return confirmed;
}

AlarmChoice draw_alarm_banner(const TrainerSnapshot& s) {
    if (s.alarm.empty()) return AlarmChoice::None;
    AlarmChoice choice = AlarmChoice::None;
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.45f, 0.08f, 0.08f, 1));
    const float h = ImGui::GetFrameHeightWithSpacing() * 1.6f;
    ImGui::BeginChild("alarm", ImVec2(0, h), true);
    // White on the dark red whichever the theme: the light theme's black would read at 1.8:1.
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
    ImGui::TextWrapped("%s", tr_phrase(s.alarm).c_str());
    ImGui::PopStyleColor();
    ImGui::SameLine();
    if (s.last_good_step >= 0 && ImGui::Button(tr("Restore last good checkpoint")))
        choice = AlarmChoice::RestoreLastGood;
    ImGui::SameLine();
    if (ImGui::Button(tr("Reset…"))) choice = AlarmChoice::Reset;
    ImGui::EndChild();
    ImGui::PopStyleColor();
    return choice;
}

}  // namespace ganvas::gui
