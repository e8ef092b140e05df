// Text from a file, made safe to quote in a one-line error message.
//
// Bytes read from a file are untrusted: a newline breaks the one-line message
// contract, and an escape sequence (ESC, or the one-character C1 CSI) lets a
// crafted file drive the terminal that prints the error. Everything outside
// printable UTF-8 is spelled as an escape instead.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ganvas {

// `bytes` as one safe line: \n, \r and \t as those two-character escapes,
// other control characters (C0, DEL, C1) and bytes that are not valid UTF-8 as
// \xNN, invisible bidirectional controls as \u{NNNN}. Longer than `max`
// characters, it is cut and ends in "…".
std::string printable(std::string_view bytes, size_t max = 60);

// A whole error message as one safe line: printable() with no length limit.
inline std::string one_line(std::string_view message) {
    return printable(message, std::string_view::npos);
}

// `text` with A-Z as a-z and every other byte kept: names compared in any case
// (tab titles, workspace names, language codes), UTF-8 left as it is.
inline std::string ascii_lower(std::string text) {
    for (char& c : text)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return text;
}

}  // namespace ganvas
