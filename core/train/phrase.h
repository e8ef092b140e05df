// A sentence the trainer says to a person (the status bar's notice, the alarm
// banner): its English pattern, with a %s for each word that varies, and those
// words. The window looks the pattern up in its catalog and fills in the same
// words, so the sentence reads in the interface's language; the words (a
// number, a path, an error from a file) stay as they are.
//
//     say(phrase("Saved step %s to %s.", std::to_string(step), path));
//
// A pattern is written whole, as the literal phrase() is called with, so
// tests/app/test_translations finds it in the sources and fails when it has no
// translation.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ganvas {

struct Phrase {
    std::string pattern;             // "Saved step %s to %s."; "%%" is a percent sign
    std::vector<std::string> words;  // one for each %s, in order

    std::string english() const;
    bool empty() const { return pattern.empty(); }
    void clear() { *this = {}; }
};

template <class... Words>
Phrase phrase(const char* pattern, const Words&... words) {
    return {pattern, {std::string(words)...}};
}

// A text that is not to be translated (an error message from a library):
// the pattern "%s" and the text as its word.
Phrase verbatim(std::string text);

// `pattern` with its %s filled by `words` in order and "%%" made "%"; a %s
// with no word left is dropped, and any other % is kept as it is.
std::string fill_phrase(std::string_view pattern, const std::vector<std::string>& words);

}  // namespace ganvas
