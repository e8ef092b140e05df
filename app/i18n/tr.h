// The interface's languages: English, and Simplified Chinese from the catalog
// in assets/i18n/zh-CN/*.json (one JSON object per area of the window, English
// text → Chinese text, in the terms of shared/GLOSSARY.zh-CN.md).
//
// Every string a person reads in the window goes through tr(), gettext-style,
// keyed by its English text:
//
//     ImGui::Button(tr("Reset"));
//     ImGui::Text(tr("step %lld of %lld"), step, total);   // same specifiers in both
//     ImGui::BeginTabItem(tr_id("Samples"));  // "样本###Samples": the same ID in both
//
// The literal stays whole inside tr("...") so tests/app/test_translations.cpp can
// find it in the sources and fail when its translation is missing. A "##suffix"
// (ImGui's hidden ID part) is kept as it is and not translated.
// Called from the UI thread only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "i18n/error_text.h"
#include "train/phrase.h"

namespace ganvas::i18n {

enum class Language { English, Chinese };

Language current_language();
void set_language(Language language);

// "en", "zh-CN".
const char* language_code(Language language);
// "en", "zh-CN" (also "zh", "zh_CN", any case); nullopt for anything else.
std::optional<Language> parse_language(std::string_view code);
// The language $LC_ALL, $LC_MESSAGES or $LANG asks for (the first one set): zh* → Chinese.
Language language_from_environment();

// The text in the current language; the English itself where the catalog has
// no entry. The pointer stays valid for the program's life.
const char* tr(const char* english);
// tr(english) + "###" + english: a label whose ImGui ID is the same in every
// language, for tabs, windows and headers whose state must survive a switch.
const char* tr_id(const char* english);

// A sentence from the trainer (train/phrase.h) in the current language: its
// pattern through the catalog, its words filled in as they are; a verbatim
// one (an error from a file, a library) through tr_error.
std::string tr_phrase(const Phrase& phrase);

// The Chinese catalog, loaded once from `dir` (default GANVAS_ASSETS_DIR/i18n/zh-CN).
// A file that does not parse, a key in two files or a value that is not a string
// is left out and named in the returned messages; the rest still loads.
// errors.json holds the patterns of error messages (i18n/error_text.h).
struct Catalog {
    std::vector<std::pair<std::string, std::string>> entries;  // English → Chinese
    ErrorPatterns error_patterns;                              // from errors.json
    std::vector<std::string> errors;                           // one line each
};
Catalog read_catalog(const std::string& dir);
std::string default_catalog_dir();
// Installs `catalog` as the Chinese table (tests install their own). Texts tr()
// returned in Chinese before are freed: call it before a frame is drawn.
void use_catalog(const Catalog& catalog);
// Loads the default catalog the first time it is called; returns its errors.
const std::vector<std::string>& ensure_catalog_loaded();

// Every Chinese text of the loaded catalog (for the font atlas's glyphs).
std::vector<std::string> chinese_texts();
// The loaded catalog's error patterns (i18n/error_text.h).
const ErrorPatterns& chinese_error_patterns();

// The key tr() looks up for a literal: the text before any "##".
std::string_view catalog_key(std::string_view literal);

// The printf conversions of a format string in order ("%d", "%.2f", "%s"...),
// so a translation can be checked to take the same arguments.
std::vector<std::string> format_conversions(std::string_view format);

}  // namespace ganvas::i18n

// The short names every panel uses.
using ganvas::i18n::tr;
using ganvas::i18n::tr_id;
using ganvas::i18n::tr_phrase;
