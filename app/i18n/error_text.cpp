#include "i18n/error_text.h"

#include <algorithm>
#include <unordered_map>

#include "i18n/tr.h"
#include "train/phrase.h"

namespace ganvas::i18n {
namespace {

constexpr std::string_view kSeparator = ": ";
constexpr std::string_view kChineseSeparator = "：";
// A run a pattern may cover: no pattern spans more parts, and a path full of
// ": " must not make the search quadratic in its length.
constexpr size_t kMaxRunParts = 8;

// The literal pieces around a pattern's %s: one more than the words.
std::vector<std::string> literal_pieces(std::string_view pattern) {
    std::vector<std::string> pieces(1);
    for (size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '%' && i + 1 < pattern.size() && pattern[i + 1] == 's') {
            pieces.emplace_back();
            ++i;
        } else if (pattern[i] == '%' && i + 1 < pattern.size() && pattern[i + 1] == '%') {
            pieces.back() += '%';
            ++i;
        } else {
            pieces.back() += pattern[i];
        }
    }
    return pieces;
}

// Pieces 0..k matched text[0, pos); matches a word, then the rest, to the end.
// With `within_parts`, no word holds the separator ": ".
bool match_from(std::string_view text, const std::vector<std::string>& pieces, size_t k, size_t pos,
                bool within_parts, std::vector<std::string>& words) {
    if (k + 1 == pieces.size()) return pos == text.size();
    const std::string& next = pieces[k + 1];
    const auto fits = [&](size_t end) {
        return !within_parts ||
               text.substr(pos, end - pos).find(kSeparator) == std::string_view::npos;
    };
    if (k + 2 == pieces.size()) {  // the last word runs up to the closing piece
        if (text.size() < pos + 1 + next.size() || text.substr(text.size() - next.size()) != next ||
            !fits(text.size() - next.size()))
            return false;
        words.emplace_back(text.substr(pos, text.size() - next.size() - pos));
        return true;
    }
    for (size_t at = text.find(next, pos + 1); at != std::string_view::npos && fits(at);
         at = text.find(next, at + 1)) {
        words.emplace_back(text.substr(pos, at - pos));
        if (match_from(text, pieces, k + 1, at + next.size(), within_parts, words)) return true;
        words.pop_back();
    }
    return false;
}

// match_pattern for a pattern's literal_pieces, with words kept within parts
// where `within_parts`.
bool match_words(std::string_view text, const std::vector<std::string>& pieces, bool within_parts,
                 std::vector<std::string>& words) {
    words.clear();
    if (text.substr(0, pieces[0].size()) != pieces[0]) return false;
    if (match_from(text, pieces, 0, pieces[0].size(), within_parts, words)) return true;
    words.clear();
    return false;
}

// A pattern split once for all the runs it is tried on.
struct Compiled {
    std::vector<std::string> pieces;  // literal_pieces
    size_t literal = 0;               // the characters it spells out: all but its words
    const std::string* chinese = nullptr;
};

std::vector<Compiled> compile(const ErrorPatterns& patterns) {
    std::vector<Compiled> out;
    for (const auto& [english, chinese] : patterns) {
        Compiled c{literal_pieces(english), 0, &chinese};
        for (const std::string& piece : c.pieces) c.literal += piece.size();
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<std::string_view> split_parts(std::string_view text) {
    std::vector<std::string_view> parts;
    for (size_t start = 0;;) {
        const size_t at = text.find(kSeparator, start);
        if (at == std::string_view::npos) {
            parts.push_back(text.substr(start));
            return parts;
        }
        parts.push_back(text.substr(start, at - start));
        start = at + kSeparator.size();
    }
}

std::string translate(std::string_view english, const std::vector<Compiled>& patterns);

}  // namespace

bool match_pattern(std::string_view text, std::string_view pattern,
                   std::vector<std::string>& words) {
    return match_words(text, literal_pieces(pattern), false, words);
}

std::string translate_error(std::string_view english, const ErrorPatterns& patterns) {
    return translate(english, compile(patterns));
}

namespace {

std::string translate(std::string_view english, const std::vector<Compiled>& patterns) {
    const std::vector<std::string_view> parts = split_parts(english);
    struct Part {
        std::string text;
        bool translated;
    };
    std::vector<Part> out;
    std::vector<std::string> words, best_words;
    bool any = false;
    for (size_t i = 0; i < parts.size();) {
        // Of the patterns matching a run of parts from i, the one that spells
        // out the most: "record %s (at byte %s) is cut off" over "record %s
        // (at byte %s)", whose last word would swallow the parts after it;
        // of equals, the shortest run. Words keep within a part where any
        // pattern can match so ("column %s" takes "column 0", not "column 0:
        // unknown kind ..."); a word spans parts only where none can (a
        // library's message quoted whole: "not valid JSON (%s)").
        const Compiled* best = nullptr;
        size_t best_end = i;
        for (const bool within_parts : {true, false}) {
            size_t best_literal = 0;
            for (size_t j = i; j < std::min(parts.size(), i + kMaxRunParts); ++j) {
                const size_t begin = parts[i].data() - english.data();
                const size_t end = parts[j].data() + parts[j].size() - english.data();
                const std::string_view run = english.substr(begin, end - begin);
                for (const Compiled& pattern : patterns) {
                    // A pattern of words alone would match anything, its words included.
                    if (pattern.literal == 0 || pattern.literal <= best_literal) continue;
                    if (!match_words(run, pattern.pieces, within_parts, words)) continue;
                    best = &pattern;
                    best_end = j;
                    best_literal = pattern.literal;
                    best_words = words;
                }
            }
            if (best) break;
        }
        if (!best) {
            out.push_back({std::string(parts[i++]), false});
            continue;
        }
        // A word may be a sentence a pattern knows ("%s; use ...").
        for (std::string& word : best_words) word = translate(word, patterns);
        out.push_back({fill_phrase(*best->chinese, best_words), true});
        i = best_end + 1;
        any = true;
    }
    if (!any) return std::string(english);
    std::string text = out[0].text;
    for (size_t i = 1; i < out.size(); ++i) {
        const bool beside = out[i - 1].translated || out[i].translated;
        text += beside ? kChineseSeparator : kSeparator;
        text += out[i].text;
    }
    return text;
}

// A panel shows the same error every frame: each is translated once.
std::unordered_map<std::string, std::string>& translated_errors() {
    static std::unordered_map<std::string, std::string> cache;
    return cache;
}

}  // namespace

void forget_translated_errors() {
    translated_errors().clear();
}

std::string tr_error(std::string_view english) {
    if (current_language() != Language::Chinese || english.empty()) return std::string(english);
    auto& cache = translated_errors();
    const std::string key(english);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
    ensure_catalog_loaded();  // may install the catalog, which empties the cache
    if (cache.size() >= 256) cache.clear();
    return cache.emplace(key, translate_error(english, chinese_error_patterns())).first->second;
}

}  // namespace ganvas::i18n
