#include "lessons/lesson_card.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "gui/fonts.h"
#include "gui/theme.h"
#include "i18n/tr.h"
#include "lessons/text_wrap.h"
#include "widgets/tooltip.h"

namespace ganvas::lessons {
namespace {

// Text from the lesson file: its glyphs join the font atlas (Chinese above all).
const char* shown(const Text& text) {
    const std::string& s = text.in(i18n::current_language());
    gui::note_glyphs(s);
    return s.c_str();
}

// Lesson text wrapped to the space left, breaking Chinese between characters.
std::vector<std::string> lines_of(const char* text, float width) {
    return wrap_lines(text, width, [](std::string_view piece) {
        return ImGui::CalcTextSize(piece.data(), piece.data() + piece.size()).x;
    });
}

void wrapped(const char* text, const ImVec4* colour = nullptr) {
    for (const std::string& line : lines_of(text, ImGui::GetContentRegionAvail().x)) {
        if (colour)
            ImGui::TextColored(*colour, "%s", line.c_str());
        else
            ImGui::TextUnformatted(line.c_str());
    }
}

// Each file's name, size and time of last change, in name order.
std::string folder_signature(const std::string& dir) {
    std::vector<std::string> lines;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        std::error_code e;
        lines.push_back(entry.path().string() + '|' + std::to_string(entry.file_size(e)) + '|' +
                        std::to_string(entry.last_write_time(e).time_since_epoch().count()));
    }
    std::sort(lines.begin(), lines.end());
    std::string signature;
    for (const std::string& line : lines) signature += line + '\n';
    return signature;
}

}  // namespace

void LessonCard::open(const std::string& path, int step) {
    try {
        runner_.open(read_lesson(path, vocabulary_), step);
    } catch (const LessonError& e) {
        runner_.close();
        runner_.set_error(e.what());
    }
}

void LessonCard::draw_menu() {
    if (!ImGui::BeginMenu(tr_id("Lessons"))) {
        menu_open_ = false;
        return;
    }
    if (!menu_open_) {
        const std::string signature = folder_signature(lessons_dir());
        if (!listing_ || signature != listing_signature_) {
            listing_ = list_lessons(lessons_dir(), vocabulary_);
            listing_signature_ = signature;
        }
    }
    menu_open_ = true;
    for (const LessonListing& entry : *listing_) {
        const std::string name = std::filesystem::path(entry.path).stem().string();
        if (entry.lesson) {
            ImGui::PushID(entry.path.c_str());
            if (ImGui::MenuItem(shown(entry.lesson->title))) runner_.open(*entry.lesson);
            if (!entry.lesson->summary.en.empty()) gui::item_tooltip(shown(entry.lesson->summary));
            ImGui::PopID();
        } else {
            ImGui::TextColored(gui::tone_colour(gui::Tone::error), "%s", name.c_str());
            gui::item_tooltip(tr_error(entry.error).c_str());
        }
    }
    if (listing_->empty()) ImGui::TextDisabled("%s", tr("No lesson files in assets/lessons."));
    if (runner_.active()) {
        ImGui::Separator();
        if (ImGui::MenuItem(tr("Close the lesson"))) runner_.close();
    }
    ImGui::EndMenu();
}

void LessonCard::draw(float scale) {
    if (!runner_.active()) {
        // Only a file that failed to open: its error, and a way out.
        ImGui::TextColored(gui::tone_colour(gui::Tone::error), "%s",
                           tr("The lesson could not be opened:"));
        gui::error_text(runner_.error());
        if (ImGui::Button(tr("Close the lesson"))) runner_.set_error("");
        return;
    }
    const Lesson& lesson = runner_.lesson();
    const LessonStep& step = runner_.current();
    ImGui::PushTextWrapPos(0);
    const ImVec4 grey = ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
    wrapped(shown(lesson.title), &grey);
    ImGui::TextDisabled(tr("Step %d of %d"), runner_.step() + 1, runner_.steps());
    ImGui::Separator();
    const ImVec4 accent = gui::tone_colour(gui::Tone::accent);
    wrapped(shown(step.title), &accent);
    ImGui::Spacing();
    wrapped(shown(step.text));
    ImGui::Spacing();

    // What to notice: set apart, so the eye finds it after looking at the tab.
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.95f, 0.8f, 0.35f, 0.13f));
    ImGui::PushStyleColor(ImGuiCol_Border, ImVec4(0.95f, 0.8f, 0.35f, 0.6f));
    const float pad = std::round(8 * scale);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(pad, pad));
    // As tall as its text: ImGui 1.86's children do not fit their contents.
    const char* notice = shown(step.notice);
    const float wrap = ImGui::GetContentRegionAvail().x - 2 * pad;
    const std::vector<std::string> lines = lines_of(notice, wrap);
    const float notice_h = (lines.size() + 1) * ImGui::GetTextLineHeightWithSpacing() + 2 * pad;
    ImGui::BeginChild("notice", ImVec2(0, notice_h), true, ImGuiWindowFlags_NoScrollbar);
    ImGui::TextColored(accent, "%s", tr("What to notice"));
    for (const std::string& line : lines) ImGui::TextUnformatted(line.c_str());
    ImGui::EndChild();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor(2);
    ImGui::PopTextWrapPos();

    if (!runner_.error().empty()) gui::error_text(runner_.error());
    const bool first = runner_.step() == 0, last = runner_.step() + 1 == runner_.steps();
    ImGui::BeginDisabled(first);
    if (ImGui::Button(tr("< Back"))) runner_.back();
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (last) {
        if (ImGui::Button(tr("End the lesson"))) runner_.close();
    } else if (ImGui::Button(tr("Next >"))) {
        runner_.next();
    }
    ImGui::SameLine();
    if (ImGui::Button(tr("Set it up again"))) runner_.redo();
    gui::item_tooltip(tr("This step's model, lab and tab afresh, from the same seed."));
    if (ImGui::Button(tr("Reload the file"))) runner_.reload(vocabulary_);
    gui::item_tooltip(tr("Read the lesson file again, after editing it; a mistake is named here."));
    ImGui::SameLine();
    if (ImGui::Button(tr("Close the lesson"))) runner_.close();
}

}  // namespace ganvas::lessons
