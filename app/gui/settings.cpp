#include "gui/settings.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "io/atomic_file.h"
#include "io/regular_file.h"

namespace ganvas::gui {

using json = nlohmann::json;

double Settings::number(const std::string& key, double fallback) const {
    auto it = numbers_.find(key);
    return it == numbers_.end() ? fallback : it->second;
}

int64_t Settings::integer(const std::string& key, int64_t fallback, int64_t lo, int64_t hi) const {
    const double v = number(key, static_cast<double>(fallback));
    if (!std::isfinite(v)) return std::clamp(fallback, lo, hi);
    // Compared as doubles first: only a value strictly inside them is cast (a bound
    // such as INT64_MAX rounds up to 2^63 as a double, which no int64_t holds).
    if (v <= static_cast<double>(lo)) return lo;
    if (v >= static_cast<double>(hi)) return hi;
    return std::clamp(static_cast<int64_t>(v), lo, hi);
}

void Settings::set_number(const std::string& key, double value) {
    auto it = numbers_.find(key);
    if (it != numbers_.end() && it->second == value) return;
    numbers_[key] = value;
    changed_ = true;
}

std::string Settings::text(const std::string& key, const std::string& fallback) const {
    auto it = texts_.find(key);
    return it == texts_.end() ? fallback : it->second;
}

void Settings::set_text(const std::string& key, const std::string& value) {
    auto it = texts_.find(key);
    if (it != texts_.end() && it->second == value) return;
    texts_[key] = value;
    changed_ = true;
}

bool Settings::is_view_setting(const std::string& key) {
    auto starts = [&](const char* p) { return key.rfind(p, 0) == 0; };
    auto ends = [&](const std::string& suffix) {
        return key.size() >= suffix.size() &&
               key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    // The language is the user's, not a view choice: Restore defaults keeps it.
    return !starts("session.") && key != "window.width" && key != "window.height" &&
           key != "ui.language" && !ends("_path") && !ends(".path");
}

void Settings::restore_view_defaults() {
    auto is_view = [](const auto& entry) { return is_view_setting(entry.first); };
    const size_t forgotten = std::erase_if(numbers_, is_view) + std::erase_if(texts_, is_view);
    if (forgotten > 0) changed_ = true;
}

Settings Settings::load(const std::string& path, std::string* error) {
    Settings s;
    std::error_code absent;
    if (!std::filesystem::exists(path, absent)) return s;  // first run
    if (const std::string why = why_not_readable(path); !why.empty()) {
        if (error) *error = path + ": ignored, cannot open: " + why;
        return s;
    }
    std::ifstream in(path);
    try {
        json j = json::parse(in);
        // Named locals: items() of a temporary would outlive it.
        const json numbers = j.value("numbers", json::object());
        const json texts = j.value("texts", json::object());
        for (auto& [k, v] : numbers.items())
            if (v.is_number()) s.numbers_[k] = v.get<double>();
        for (auto& [k, v] : texts.items())
            if (v.is_string()) s.texts_[k] = v.get<std::string>();
    } catch (const json::exception& e) {
        if (error) *error = path + ": ignored, not valid settings (" + e.what() + ")";
        return Settings();
    }
    return s;
}

void Settings::save(const std::string& path) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    json j = {{"numbers", numbers_}, {"texts", texts_}};
    write_file_atomic(path, [&](std::ostream& out) { out << j.dump(2) << "\n"; });
    changed_ = false;
}

std::string config_dir() {
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
        return (std::filesystem::path(xdg) / "ganvas").string();
    if (const char* home = std::getenv("HOME"); home && *home)
        return (std::filesystem::path(home) / ".config" / "ganvas").string();
    return ".ganvas";
}

}  // namespace ganvas::gui
