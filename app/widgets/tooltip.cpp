#include "widgets/tooltip.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "gui/fonts.h"
#include "gui/theme.h"
#include "i18n/error_text.h"
#include "widgets/fit_text.h"

namespace ganvas::gui {

void wrapped_tooltip(const char* text) {
    ImGui::BeginTooltip();
    const float wrap_at = ImGui::GetFontSize() * 28;
    ImGui::PushTextWrapPos(wrap_at);
    text_wrapped(text, wrap_at - ImGui::GetCursorPosX());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

void item_tooltip(const char* text) {
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) wrapped_tooltip(text);
}

void help_marker(const char* text) {
    ImGui::TextDisabled("(?)");
    if (ImGui::IsItemHovered()) wrapped_tooltip(text);
}

void heading_with_help(const char* title, const char* help) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float marker = ImGui::CalcTextSize("(?)").x + style.ItemSpacing.x;
    const float room = ImGui::GetContentRegionAvail().x - marker;
    if (ImGui::CalcTextSize(title).x <= room) {
        ImGui::TextUnformatted(title);
    } else {
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + std::max(room, ImGui::GetFontSize()));
        text_wrapped(title, room);
        ImGui::PopTextWrapPos();
    }
    ImGui::SameLine();
    help_marker(help);
}

void hint(const char* text) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    text_wrapped(text);
    ImGui::PopStyleColor();
}

void text_wrapped(const char* text, float width) {
    if (!has_cjk(text)) {
        ImGui::TextWrapped("%s", text);
        return;
    }
    if (width <= 0) width = ImGui::GetContentRegionAvail().x;
    ImGui::TextUnformatted(wrap_lines(text, std::max(width, ImGui::GetFontSize())).c_str());
}

void error_text(std::string_view english) {
    failure_text(tr_error(english));
}

void failure_text(const std::string& shown) {
    note_glyphs(shown);  // a file or folder name may be in any script
    ImGui::PushStyleColor(ImGuiCol_Text, tone_colour(Tone::error));
    text_wrapped(shown.c_str());
    ImGui::PopStyleColor();
}

void colour_label(uint32_t colour, const char* name) {
    const float h = ImGui::GetTextLineHeight();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddLine(ImVec2(at.x, at.y + h / 2), ImVec2(at.x + h, at.y + h / 2),
                                        colour, std::max(1.0f, std::round(h / 5)));
    ImGui::Dummy(ImVec2(h, h));
    ImGui::SameLine();
    ImGui::TextUnformatted(name);
}

void copy_to_buffer(char* buf, size_t size, const std::string& s) {
    if (size == 0) return;
    std::strncpy(buf, s.c_str(), size - 1);
    buf[size - 1] = '\0';
}

}  // namespace ganvas::gui
