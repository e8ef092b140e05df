#include "lessons/text_wrap.h"

namespace ganvas::lessons {
namespace {

// The code point at `i` and its length in bytes (a stray byte counts as one).
char32_t decode(std::string_view s, size_t i, size_t* length) {
    const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = byte(i);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (i + n > s.size()) n = 1;
    *length = n;
    if (n == 1) return c;
    char32_t cp = c & (0x7F >> n);
    for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (byte(i + k) & 0x3F);
    return cp;
}

// Chinese characters and full-width punctuation: a line may break beside each.
bool is_wide(char32_t c) {
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFFEF) || c == 0x201C ||
           c == 0x201D || c == 0x2018 || c == 0x2019;
}
// Never at the start of a line.
bool is_closing(char32_t c) {
    for (char32_t p : U"，。、：；！？）》」』”’…·,.;:!?)]") {
        if (p == c) return true;
    }
    return false;
}
// Never at the end of a line.
bool is_opening(char32_t c) {
    for (char32_t p : U"（《「『“‘([") {
        if (p == c) return true;
    }
    return false;
}

// Pieces no line break may fall inside: a Chinese character with the punctuation
// glued to it, a Latin word, a space, a newline.
std::vector<std::string> atoms(std::string_view s) {
    std::vector<std::string> out;
    char32_t last = ' ';  // the last code point of out.back()
    for (size_t i = 0; i < s.size();) {
        size_t n = 0;
        const char32_t c = decode(s, i, &n);
        const bool breakable = c == ' ' || c == '\n' || last == ' ' || last == '\n';
        const bool latin_word = !is_wide(c) && !is_wide(last);
        const bool glue = !breakable && (is_opening(last) || is_closing(c) || latin_word);
        if (glue)
            out.back() += s.substr(i, n);
        else
            out.emplace_back(s.substr(i, n));
        last = c;
        i += n;
    }
    return out;
}

}  // namespace

std::vector<std::string> wrap_lines(std::string_view utf8, float width,
                                    const std::function<float(std::string_view)>& measure) {
    std::vector<std::string> lines;
    std::string line;
    bool pending_space = false, started = false;
    for (const std::string& atom : atoms(utf8)) {
        if (atom == "\n") {
            lines.push_back(line);
            line.clear();
            pending_space = false;
            started = true;
            continue;
        }
        if (atom == " ") {
            pending_space = !line.empty();
            continue;
        }
        const std::string candidate = line + (pending_space ? " " : "") + atom;
        if (line.empty() || measure(candidate) <= width) {
            line = candidate;
        } else {
            lines.push_back(line);
            line = atom;
        }
        pending_space = false;
        started = true;
    }
    if (!line.empty() || !started) lines.push_back(line);
    return lines;
}

}  // namespace ganvas::lessons
