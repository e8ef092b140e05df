#include "widgets/fit_text.h"

#include <imgui.h>

#include <cctype>
#include <vector>

#include "gui/fonts.h"

namespace ganvas::gui {
namespace {

bool is_cjk(unsigned c) {
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
           (c >= 0xFF00 && c <= 0xFFEF);
}

// Marks a line may not start with, and marks a line may not end with.
bool is_closing(unsigned c) {
    for (unsigned m : {0xFF0Cu, 0x3002u, 0x3001u, 0xFF1Bu, 0xFF1Au, 0xFF01u, 0xFF1Fu, 0xFF09u,
                       0x300Bu, 0x300Du, 0x300Fu, 0x3011u, 0x201Du, 0x2019u, 0x2026u, 0x00B7u})
        if (c == m) return true;
    return c == ')' || c == ']' || c == ',' || c == '.' || c == ';' || c == ':' || c == '!' ||
           c == '?' || c == '%';
}
bool is_opening(unsigned c) {
    for (unsigned m : {0xFF08u, 0x300Au, 0x300Cu, 0x300Eu, 0x3010u, 0x201Cu, 0x2018u})
        if (c == m) return true;
    return c == '(' || c == '[';
}

// The UTF-8 length of the character that starts with byte `b`.
size_t char_length(unsigned char b) {
    return b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 1;
}

// One paragraph (no '\n') wrapped into `out`.
void wrap_paragraph(std::string_view text, float width, const TextMeasure& measure,
                    std::string& out) {
    struct Char {
        size_t at, size;
        unsigned code;
    };
    std::vector<Char> chars;
    for (size_t i = 0; i < text.size();) {
        const size_t n =
            std::min(char_length(static_cast<unsigned char>(text[i])), text.size() - i);
        const std::vector<unsigned> code = decode_utf8(text.substr(i, n));
        chars.push_back({i, n, code.empty() ? 0xFFFDu : code[0]});
        i += n;
    }
    auto line = [&](size_t from, size_t to) {  // chars [from, to) as text
        const size_t begin = chars[from].at;
        const size_t end = to < chars.size() ? chars[to].at : text.size();
        return std::string(text.substr(begin, end - begin));
    };
    size_t start = 0;
    while (start < chars.size() && chars[start].code == ' ') ++start;
    while (start < chars.size()) {
        size_t cut = chars.size(), next = chars.size();  // the last break that fits
        size_t i = start + 1;
        for (; i <= chars.size(); ++i) {
            if (measure(line(start, i)) > width) break;
            if (i == chars.size()) continue;
            // [start, i) fits: may the line end before char i?
            const unsigned prev = chars[i - 1].code, cur = chars[i].code;
            if (cur == ' ')  // spaces at a line's end take no room
                cut = i, next = i;
            else if (prev == ' ')
                cut = i - 1, next = i;
            else if (prev != ' ' && cur != ' ' && (is_cjk(prev) || is_cjk(cur)) &&
                     !is_closing(cur) && !is_opening(prev))
                cut = i, next = i;
        }
        if (i > chars.size()) {  // the rest fits
            cut = chars.size();
            next = chars.size();
        } else if (cut == chars.size() || cut <= start) {  // no break fits: cut the word
            cut = next = std::max(start + 1, i - 1);
        }
        while (cut > start && chars[cut - 1].code == ' ') --cut;
        out += line(start, cut);
        start = next;
        while (start < chars.size() && chars[start].code == ' ') ++start;
        if (start < chars.size()) out += '\n';
    }
}

}  // namespace

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

std::string fit_path(std::string_view path, float width, const TextMeasure& measure) {
    if (measure(std::string(path)) <= width) return std::string(path);
    const std::string ellipsis = "\u2026";
    // The longest tail that fits after the ellipsis, starting at a whole UTF-8 character.
    size_t start = 0;
    while (start < path.size() && (measure(ellipsis + std::string(path.substr(start))) > width ||
                                   (static_cast<unsigned char>(path[start]) & 0xC0) == 0x80))
        ++start;
    const std::string_view tail = path.substr(start);
    // Prefer to begin at a folder boundary ("…/demo/x", not "…mo/x").
    if (const size_t slash = tail.find('/'); slash != std::string_view::npos && slash > 0)
        return ellipsis + std::string(tail.substr(slash));
    return ellipsis + std::string(tail);
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

std::string wrap_lines(std::string_view text, float width, const TextMeasure& measure) {
    std::string out;
    for (size_t begin = 0;;) {
        const size_t end = std::min(text.find('\n', begin), text.size());
        wrap_paragraph(text.substr(begin, end - begin), width, measure, out);
        if (end == text.size()) break;
        out += '\n';
        begin = end + 1;
    }
    return out;
}

bool has_cjk(std::string_view text) {
    for (unsigned c : decode_utf8(text))
        if (is_cjk(c)) return true;
    return false;
}

}  // namespace ganvas::gui
