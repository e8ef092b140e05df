#include "io/printable.h"

#include <cstdint>
#include <cstdio>

namespace ganvas {
namespace {

// Length of the valid UTF-8 sequence at `s`, or 0 if it is not one (overlong
// forms, surrogates and code points past U+10FFFF are invalid too).
size_t utf8_length(std::string_view s, char32_t& code) {
    const auto byte = [&](size_t i) { return static_cast<uint8_t>(s[i]); };
    const uint8_t b0 = byte(0);
    size_t n;
    char32_t min;
    if (b0 < 0x80) {
        code = b0;
        return 1;
    } else if ((b0 & 0xE0) == 0xC0) {
        n = 2, min = 0x80, code = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
        n = 3, min = 0x800, code = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
        n = 4, min = 0x10000, code = b0 & 0x07;
    } else {
        return 0;
    }
    if (s.size() < n) return 0;
    for (size_t i = 1; i < n; ++i) {
        if ((byte(i) & 0xC0) != 0x80) return 0;
        code = (code << 6) | (byte(i) & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
    return n;
}

// Characters that reorder or hide text on screen ("Trojan Source").
bool is_bidi_control(char32_t c) {
    return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E ||
           c == 0x200F || c == 0x061C || c == 0x2028 || c == 0x2029;
}

std::string hex_byte(uint8_t b) {
    char buf[5];
    std::snprintf(buf, sizeof buf, "\\x%02x", b);
    return buf;
}

}  // namespace

std::string printable(std::string_view bytes, size_t max) {
    std::string out;
    size_t shown = 0;  // characters, not bytes, so "…" lands at the same place for any script
    for (size_t i = 0; i < bytes.size();) {
        if (shown >= max) {
            out += "…";
            break;
        }
        char32_t code = 0;
        const size_t n = utf8_length(bytes.substr(i), code);
        std::string piece;
        if (n == 0) {
            piece = hex_byte(static_cast<uint8_t>(bytes[i]));
        } else if (code == '\n') {
            piece = "\\n";
        } else if (code == '\r') {
            piece = "\\r";
        } else if (code == '\t') {
            piece = "\\t";
        } else if (code < 0x20 || code == 0x7F || (code >= 0x80 && code < 0xA0)) {
            for (size_t k = 0; k < n; ++k) piece += hex_byte(static_cast<uint8_t>(bytes[i + k]));
        } else if (is_bidi_control(code)) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "\\u{%04x}", static_cast<unsigned>(code));
            piece = buf;
        } else {
            piece = std::string(bytes.substr(i, n));
        }
        out += piece;
        i += n == 0 ? 1 : n;
        ++shown;
    }
    return out;
}

}  // namespace ganvas
