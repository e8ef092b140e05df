#include "widgets/path_field.h"

#include <string>

#include "widgets/fit_text.h"
#include "widgets/tooltip.h"

namespace ganvas::gui {

bool path_field(const char* id, char* buf, size_t size, float width, ImGuiInputTextFlags flags) {
    ImGuiStorage* storage = ImGui::GetStateStorage();
    const ImGuiID editing_id = ImGui::GetID(id);
    const float text_room = width - 2 * ImGui::GetStyle().FramePadding.x;
    // 0: not being edited; else the frame the user clicked the field.
    const int began = storage->GetInt(editing_id, 0);
    const int frame = ImGui::GetFrameCount();
    const bool editing = began != 0;
    if (!editing && ImGui::CalcTextSize(buf).x > text_room) {
        // A frame drawn as the input field looks, holding the path's end.
        ImGui::PushID(id);
        ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_FrameBg));
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered,
                              ImGui::GetStyleColorVec4(ImGuiCol_FrameBgHovered));
        ImGui::PushStyleColor(ImGuiCol_ButtonActive,
                              ImGui::GetStyleColorVec4(ImGuiCol_FrameBgActive));
        ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0, 0.5f));
        const std::string shown = fit_path(buf, text_room);
        if (ImGui::Button((shown + "###shown").c_str(), ImVec2(width, 0)))
            storage->SetInt(editing_id, frame);
        ImGui::PopStyleVar();
        ImGui::PopStyleColor(3);
        ImGui::PopID();
        if (ImGui::IsItemHovered()) wrapped_tooltip(buf);
        return false;
    }
    if (editing && frame - began <= 1) ImGui::SetKeyboardFocusHere();
    ImGui::SetNextItemWidth(width);
    const bool changed = ImGui::InputText(id, buf, size, flags);
    // Editing ends when the field lets go of the keyboard (or never took it).
    if (editing && !ImGui::IsItemActive() && frame - began > 2) storage->SetInt(editing_id, 0);
    return changed;
}

}  // namespace ganvas::gui
