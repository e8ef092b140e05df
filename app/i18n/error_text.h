// Error messages in the interface's language.
//
// The core's errors are English sentences built as chains of parts joined by
// ": " — the file, what failed, why:
//
//     runs/x.tfrecord: cannot open: No such file or directory
//     runs/x.tfrecord：无法打开：没有那个文件或目录
//
// tr_error translates each part that the Chinese catalog's errors.json knows:
// a pattern whose %s stand for the words that vary (a number, a name), which
// stay as they are (or are translated in turn, where a word is itself a
// sentence a pattern knows). A pattern may span parts (it may contain ": ").
// Parts no pattern knows, paths among them, stay English.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ganvas::i18n {

// English pattern → Chinese pattern, the same %s in each.
using ErrorPatterns = std::vector<std::pair<std::string, std::string>>;

// The words of `text` where it matches `pattern` whole (each %s at least one
// character; "%%" a percent sign), or false.
bool match_pattern(std::string_view text, std::string_view pattern,
                   std::vector<std::string>& words);

// `english` with every part `patterns` knows translated, joined by "：" beside
// a translated part and by ": " between two English ones; `english` itself
// where no part is known.
std::string translate_error(std::string_view english, const ErrorPatterns& patterns);

// translate_error with the loaded catalog's patterns in the Chinese interface;
// `english` as it is in the English one. Called from the UI thread only.
std::string tr_error(std::string_view english);
// Empties tr_error's memory of what it translated (a new catalog was installed).
void forget_translated_errors();

}  // namespace ganvas::i18n

using ganvas::i18n::tr_error;
