#include "i18n/tr.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

#include "io/printable.h"

namespace ganvas::i18n {
namespace {

Language g_language = Language::English;

// English key → Chinese text.
std::unordered_map<std::string, std::string>& chinese() {
    static std::unordered_map<std::string, std::string> table;
    return table;
}

// English error pattern → Chinese (i18n/error_text.h).
ErrorPatterns& error_patterns() {
    static ErrorPatterns patterns;
    return patterns;
}

// What tr()/tr_id() returned, per literal and language, so pointers stay valid
// (node-based map: inserting never moves a stored string).
std::unordered_map<std::string, std::string>& returned(bool with_id, Language language) {
    static std::unordered_map<std::string, std::string> tables[2][2];
    return tables[with_id][language == Language::Chinese];
}

bool catalog_loaded = false;

const std::string& translated(const char* english, bool with_id) {
    auto& cache = returned(with_id, g_language);
    auto it = cache.find(english);
    if (it != cache.end()) return it->second;
    const std::string_view literal(english);
    const std::string_view key = catalog_key(literal);
    const std::string_view id_part = literal.substr(key.size());  // "##..." or empty
    std::string text(key);
    if (g_language == Language::Chinese) {
        ensure_catalog_loaded();
        auto found = chinese().find(std::string(key));
        if (found != chinese().end()) text = found->second;
    }
    // tr_id: the English names the ID, whatever language shows ("样本###Samples").
    std::string out =
        with_id && id_part.empty() ? text + "###" + std::string(key) : text + std::string(id_part);
    return cache.emplace(english, std::move(out)).first->second;
}

}  // namespace

Language current_language() {
    return g_language;
}

void set_language(Language language) {
    g_language = language;
    if (language == Language::Chinese) ensure_catalog_loaded();
}

const char* language_code(Language language) {
    return language == Language::Chinese ? "zh-CN" : "en";
}

std::optional<Language> parse_language(std::string_view code) {
    const std::string c = ascii_lower(std::string(code));
    if (c == "en" || c == "en-us" || c == "en_us" || c == "english") return Language::English;
    if (c == "zh-cn" || c == "zh_cn" || c == "zh" || c == "zh-hans") return Language::Chinese;
    return std::nullopt;
}

Language language_from_environment() {
    for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
        const char* value = std::getenv(name);
        if (!value || !*value) continue;
        return ascii_lower(value).rfind("zh", 0) == 0 ? Language::Chinese : Language::English;
    }
    return Language::English;
}

const char* tr(const char* english) {
    return translated(english, false).c_str();
}
const char* tr_id(const char* english) {
    return translated(english, true).c_str();
}

std::string tr_phrase(const Phrase& phrase) {
    if (phrase.pattern == "%s" && phrase.words.size() == 1) return tr_error(phrase.words[0]);
    return fill_phrase(tr(phrase.pattern.c_str()), phrase.words);
}

std::string_view catalog_key(std::string_view literal) {
    const size_t hashes = literal.find("##");
    return hashes == std::string_view::npos ? literal : literal.substr(0, hashes);
}

std::vector<std::string> format_conversions(std::string_view f) {
    std::vector<std::string> out;
    for (size_t i = 0; i < f.size(); ++i) {
        if (f[i] != '%') continue;
        if (i + 1 < f.size() && f[i + 1] == '%') {
            ++i;
            continue;
        }
        size_t j = i + 1;
        while (j < f.size() && std::strchr("0123456789.-+ #*'", f[j]) && f[j] != '\0') ++j;
        while (j < f.size() && std::strchr("hlLqjzt", f[j]) && f[j] != '\0') ++j;
        if (j < f.size()) out.emplace_back(f.substr(i, j - i + 1));
        i = j;
    }
    return out;
}

std::string default_catalog_dir() {
    return std::string(GANVAS_ASSETS_DIR) + "/i18n/zh-CN";
}

Catalog read_catalog(const std::string& dir) {
    Catalog catalog;
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
        if (entry.path().extension() == ".json") files.push_back(entry.path());
    if (ec) {
        catalog.errors.push_back(dir + ": cannot read the Chinese catalog: " + ec.message());
        return catalog;
    }
    std::sort(files.begin(), files.end());
    std::map<std::string, std::string> seen_in;  // key → the file that gave it
    for (const auto& file : files) {
        std::ifstream in(file, std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            catalog.errors.push_back(file.string() +
                                     ": not a JSON object of English → Chinese texts");
            continue;
        }
        for (const auto& [key, value] : j.items()) {
            if (!value.is_string()) {
                catalog.errors.push_back(file.string() + ": \"" + key + "\" is not a string");
                continue;
            }
            auto [it, fresh] = seen_in.emplace(key, file.filename().string());
            if (!fresh) {
                catalog.errors.push_back(file.string() + ": \"" + key + "\" is also in " +
                                         it->second);
                continue;
            }
            (file.filename() == "errors.json" ? catalog.error_patterns : catalog.entries)
                .emplace_back(key, value.get<std::string>());
        }
    }
    return catalog;
}

void use_catalog(const Catalog& catalog) {
    chinese().clear();
    for (const auto& [english, text] : catalog.entries) chinese()[english] = text;
    for (bool with_id : {false, true}) returned(with_id, Language::Chinese).clear();
    error_patterns() = catalog.error_patterns;
    forget_translated_errors();
    catalog_loaded = true;
}

std::vector<std::string> chinese_texts() {
    ensure_catalog_loaded();
    std::vector<std::string> out;
    for (const auto& entry : chinese()) out.push_back(entry.second);
    for (const auto& entry : error_patterns()) out.push_back(entry.second);
    return out;
}

const ErrorPatterns& chinese_error_patterns() {
    return error_patterns();
}

const std::vector<std::string>& ensure_catalog_loaded() {
    static std::vector<std::string> errors;
    if (!catalog_loaded) {
        Catalog catalog = read_catalog(default_catalog_dir());
        errors = catalog.errors;
        use_catalog(catalog);
    }
    return errors;
}

}  // namespace ganvas::i18n
