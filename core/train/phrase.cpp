#include "train/phrase.h"

namespace ganvas {

std::string Phrase::english() const {
    return fill_phrase(pattern, words);
}

Phrase verbatim(std::string text) {
    return {"%s", {std::move(text)}};
}

std::string fill_phrase(std::string_view pattern, const std::vector<std::string>& words) {
    std::string out;
    size_t next = 0;
    for (size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '%' && i + 1 < pattern.size()) {
            if (pattern[i + 1] == 's') {
                if (next < words.size()) out += words[next++];
                ++i;
                continue;
            }
            if (pattern[i + 1] == '%') {
                out += '%';
                ++i;
                continue;
            }
        }
        out += pattern[i];
    }
    return out;
}

}  // namespace ganvas
