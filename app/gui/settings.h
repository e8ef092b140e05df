// Settings that outlive a run: UI scale, theme, window size, the chosen tab and
// each panel's view choices, as JSON in the user's config directory
// ($XDG_CONFIG_HOME/ganvas or ~/.config/ganvas), beside ImGui's own imgui.ini.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace ganvas::gui {

class Settings {
public:
    // Values a panel reads with a default and writes back when the user changes them:
    // settings.number("losses.smoothing", 0.6).
    double number(const std::string& key, double fallback) const;
    // A whole number in [lo, hi] (a count, an index, a size): the stored value
    // clamped and rounded toward zero; `fallback` where it is missing or not
    // finite. The file may have been edited by hand or written by a lesson, and
    // casting an out-of-range double to an integer is undefined in C++.
    int64_t integer(const std::string& key, int64_t fallback, int64_t lo, int64_t hi) const;
    void set_number(const std::string& key, double value);
    std::string text(const std::string& key, const std::string& fallback) const;
    void set_text(const std::string& key, const std::string& value);

    bool changed() const { return changed_; }

    // View → Restore defaults: forgets every view choice (UI scale, theme, the
    // tab, each panel's choices) and keeps what is not one: the session to start
    // with (session.*), the language, the window's size and the files the user
    // named (*_path).
    void restore_view_defaults();
    static bool is_view_setting(const std::string& key);

    // A missing or unreadable file gives the defaults (and a message in `error`):
    // settings must never stop the window from opening.
    static Settings load(const std::string& path, std::string* error = nullptr);
    void save(const std::string& path);  // atomic; throws std::runtime_error

private:
    std::map<std::string, double> numbers_;
    std::map<std::string, std::string> texts_;
    bool changed_ = false;
};

// $XDG_CONFIG_HOME/ganvas, else $HOME/.config/ganvas, else ./.ganvas.
std::string config_dir();

}  // namespace ganvas::gui
