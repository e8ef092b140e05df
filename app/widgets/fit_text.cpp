#include "widgets/fit_text.h"

#include <imgui.h>

#include <cctype>

namespace ganvas::gui {

float imgui_text_width(const std::string& text) {
    return ImGui::CalcTextSize(text.c_str()).x;
}

std::string fit_text(std::string text, float width, const TextMeasure& measure) {
    if (measure(text) <= width) return text;
    const char* ellipsis = "\u2026";
    while (!text.empty() && measure(text + ellipsis) > width) {
        // One whole UTF-8 character: its continuation bytes (10xxxxxx), then its first byte.
        unsigned char last;
        do {
            last = static_cast<unsigned char>(text.back());
            text.pop_back();
        } while (!text.empty() && (last & 0xC0) == 0x80);
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();  // "Ankle…", not "Ankle …"
    return text + ellipsis;
}

std::string fit_name(const std::string& name, float width, const TextMeasure& measure) {
    if (measure(name) <= width) return name;
    std::string shorter = name.substr(0, name.find('/'));
    if (!shorter.empty() && shorter != name && measure(shorter) <= width) return shorter;
    const size_t space = shorter.find_last_of(' ');
    if (space != std::string::npos && space + 1 < shorter.size()) {
        std::string word = shorter.substr(space + 1);
        word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
        if (measure(word) <= width) return word;
    }
    return fit_text(shorter, width, measure);
}

}  // namespace ganvas::gui
