#include "gui/gui_app.h"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <thread>
#include <variant>
#include <vector>

#include "gui/fonts.h"
#include "gui/settings.h"
#include "gui/shortcuts.h"
#include "gui/status_bar.h"
#include "gui/tab_set.h"
#include "gui/theme.h"
#include "gui/window.h"
#include "i18n/tr.h"
#include "io/image_png.h"
#include "lessons/lesson_card.h"
#include "panels/experiment_panel.h"
#include "train/live_trainer.h"

namespace ganvas::gui {
namespace {

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

class App : public lessons::LessonHost {
public:
    App(const GuiOptions& options, Window& window, Settings& settings, bool persist)
        : options_(options),
          window_(window),
          settings_(settings),
          persist_(persist),
          tabs_(registered_panels(), PanelStart{options.lab}),
          shortcuts_(window_shortcuts(tabs_.titles())) {
        tabs_.want(
            tabs_.index(options.tab.empty() ? settings.text("window.tab", "") : options.tab));
        ui_scale_ = static_cast<float>(std::clamp(settings.number("ui.scale", 1.0), 0.5, 3.0));
        // The command line wins, then the language last chosen, then $LANG.
        const auto chosen = i18n::parse_language(
            !options.lang.empty() ? options.lang : settings.text("ui.language", ""));
        set_language(chosen ? *chosen : i18n::language_from_environment());

        TrainerOptions t;
        // The command line wins, then the session the user last applied, then the default.
        t.config.model =
            !options.model.empty() ? options.model : settings.text("session.model", "dcgan28");
        t.config.data =
            !options.data.empty() ? options.data : settings.text("session.data", "fashion-mnist");
        t.config.batch = static_cast<int64_t>(settings.number("session.batch", 64));
        t.config.seed = static_cast<uint64_t>(settings.number("session.seed", 0));
        t.checkpoint = options.checkpoint;
        t.settings = options.settings;
        t.work_dir = (std::filesystem::path(config_dir()) / "session").string();
        t.budget = 3000;
        if (!options.screenshot.empty()) {
            t.work_dir = make_screenshot_work_dir();
            if (options.train_steps > 0) t.budget = options.train_steps;
            t.start_running = options.train_steps > 0;
        }
        trainer_ = std::make_unique<LiveTrainer>(t);
        screenshot_work_dir_ = options.screenshot.empty() ? "" : t.work_dir;
        if (!options.lesson.empty())
            lesson_.open(lessons::lesson_path(options.lesson), options.lesson_step - 1);
    }

    // A fresh private folder: a name built from the pid could be planted or left from before.
    static std::string make_screenshot_work_dir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "ganvas-screenshot-XXXXXX").string();
        if (!::mkdtemp(pattern.data()))
            throw std::runtime_error(
                pattern + ": cannot create the screenshot's work folder: " + std::strerror(errno));
        return pattern;
    }

    ~App() {
        trainer_.reset();
        if (!screenshot_work_dir_.empty()) std::filesystem::remove_all(screenshot_work_dir_);
    }

    int run() {
        apply_scale();
        int exit_code = 0;
        Clock::time_point last_input = Clock::now(), last_render = Clock::now();
        uint64_t seen_events = window_.input_events(), rendered_version = 0;
        while (!window_.should_close()) {
            // Frames cost CPU that training wants (much of it with software OpenGL),
            // so a frame is drawn only when something changed: input (then at full
            // rate for a second, for hover and animations), a new training snapshot,
            // a panel that animates, or a slow tick. Otherwise the loop sleeps.
            const bool screenshot = !options_.screenshot.empty();
            // A screenshot run behaves like a watched window until training is done.
            const bool active =
                options_.continuous ||
                (screenshot && training_done(*trainer_->snapshot()) && !panels_working_) ||
                animating_ || scale_dirty_ || window_.replaying_keys() ||
                ms_between(last_input, Clock::now()) < 1000;
            window_.wait_events(active ? 0 : 0.02);
            if (window_.input_events() != seen_events) {
                seen_events = window_.input_events();
                last_input = Clock::now();
            }
            const auto snapshot = trainer_->snapshot();
            const bool changed = snapshot->version != rendered_version ||
                                 ms_between(last_input, Clock::now()) < 1000;
            if (!active && !changed && ms_between(last_render, Clock::now()) < 250) continue;
            const auto frame_start = Clock::now();
            last_render = frame_start;
            rendered_version = snapshot->version;
            if (scale_dirty_ || font_glyphs_pending()) apply_scale();
            // Keep the pointer off the panels so a screenshot shows no stray hover or tooltip.
            if (screenshot) window_.park_cursor();

            window_.begin_frame();
            const TrainerSnapshot& s = *snapshot;
            handle_shortcuts();
            draw(s);
            std::vector<uint8_t> pixels;
            int w = 0, h = 0;
            const bool capture = screenshot_due(s);
            window_.end_frame(capture ? &pixels : nullptr, &w, &h);
            const auto frame_end = Clock::now();
            record_frame(ms_between(frame_start, frame_end), frame_end);

            if (capture) {
                exit_code = write_screenshot(pixels, w, h, s);
                break;
            }
            if (!options_.screenshot.empty() &&
                ms_between(started_, Clock::now()) > 20 * 60 * 1000.0) {
                std::fprintf(stderr, "ganvas: the screenshot timed out waiting for training\n");
                exit_code = 1;
                break;
            }
            if (persist_ && settings_.changed() && ms_between(last_save_, Clock::now()) > 1000)
                save_settings();
            // No vsync under Xvfb and on some drivers: cap at 60 frames per second.
            const auto next = frame_start + std::chrono::microseconds(16667);
            if (Clock::now() < next) std::this_thread::sleep_until(next);
        }
        if (persist_) {
            int ww = 0, wh = 0;
            window_.size(&ww, &wh);
            settings_.set_number("window.width", ww);
            settings_.set_number("window.height", wh);
            save_settings();
        }
        write_timing();
        return exit_code;
    }

private:
    void apply_scale() {
        window_.set_font(std::round(15.0f * ui_scale_),
                         i18n::current_language() == i18n::Language::Chinese);
        apply_theme(settings_.text("ui.theme", "dark"), ui_scale_, antialias());
        scale_dirty_ = false;
    }

    // Smooth lines by default, except on a software renderer, where the frame rate matters more.
    bool antialias() const {
        return settings_.number("ui.antialias", window_.software_renderer() ? 0 : 1) != 0;
    }

    // Switched live: the labels change next frame, the font gains the catalog's glyphs.
    void set_language(i18n::Language language) {
        // Chinese without a font to draw it would be boxes: stay in English.
        if (language == i18n::Language::Chinese && cjk_font_path().empty())
            language = i18n::Language::English;
        if (language == i18n::current_language() && !scale_dirty_) return;
        i18n::set_language(language);
        for (const std::string& error : i18n::ensure_catalog_loaded())
            std::fprintf(stderr, "ganvas: %s\n", error.c_str());
        scale_dirty_ = true;
    }

    void draw_language_menu() {
        if (!ImGui::BeginMenu(tr_id("Language"))) return;
        const bool chinese = i18n::current_language() == i18n::Language::Chinese;
        if (ImGui::MenuItem("English", nullptr, !chinese)) {
            set_language(i18n::Language::English);
            settings_.set_text("ui.language", "en");
        }
        const bool have_font = !cjk_font_path().empty();
        if (ImGui::MenuItem("简体中文", nullptr, chinese, have_font)) {
            set_language(i18n::Language::Chinese);
            settings_.set_text("ui.language", "zh-CN");
        }
        if (!have_font)
            ImGui::TextDisabled("%s",
                                tr("Chinese needs a CJK font: apt-get install fonts-noto-cjk"));
        ImGui::EndMenu();
    }

    void save_settings() {
        try {
            settings_.save((std::filesystem::path(config_dir()) / "settings.json").string());
        } catch (const std::exception& e) {
            std::fprintf(stderr, "ganvas: settings not saved: %s\n", e.what());
        }
        last_save_ = Clock::now();
    }

    // Every key press since the last frame counts, however quick (gui/key_queue.h).
    void handle_shortcuts() {
        const std::vector<KeyPress> presses = window_.take_key_presses();
        // Keys typed into a text field are text, not commands.
        if (ImGui::GetIO().WantTextInput) return;
        for (const KeyPress& press : presses)
            if (const Shortcut* s = find_shortcut(shortcuts_, press)) perform(*s);
    }

    void perform(const Shortcut& s) {
        switch (s.action) {
            case Action::RunPause:
                trainer_->toggle_run();
                break;
            case Action::Step:
                trainer_->step_once();
                break;
            case Action::Reset:
                experiment_.ask_reset();
                break;
            case Action::SaveExperiment:
                trainer_->save_experiment(experiment_.experiment_path(settings_));
                break;
            case Action::LoadExperiment:
                trainer_->load_experiment(experiment_.experiment_path(settings_));
                break;
            case Action::LargerUi:
                set_scale(ui_scale_ + 0.1f);
                break;
            case Action::SmallerUi:
                set_scale(ui_scale_ - 0.1f);
                break;
            case Action::Help:
                show_help_ = !show_help_;
                break;
            case Action::Quit:
                window_.request_close();
                break;
            case Action::ShowTab:
            case Action::NextTab:
            case Action::PreviousTab:
                tabs_.step(s);
                break;
        }
    }

    // A menu item that does what shortcut `action` does, labelled with its key.
    bool menu_item(const char* label, Action action, int tab = -1) {
        const std::string keys = menu_shortcut(shortcuts_, action, tab);
        return ImGui::MenuItem(label, keys.empty() ? nullptr : keys.c_str());
    }

    void set_scale(float scale) {
        ui_scale_ = std::clamp(std::round(scale * 10) / 10, 0.5f, 3.0f);
        settings_.set_number("ui.scale", ui_scale_);
        scale_dirty_ = true;
    }

    void draw_menu() {
        if (!ImGui::BeginMenuBar()) return;
        auto run = [&](Action action) {
            for (const Shortcut& s : shortcuts_)
                if (s.action == action) return perform(s);
        };
        if (ImGui::BeginMenu("File")) {
            if (menu_item("Save experiment", Action::SaveExperiment)) run(Action::SaveExperiment);
            if (menu_item("Load experiment", Action::LoadExperiment)) run(Action::LoadExperiment);
            ImGui::Separator();
            if (menu_item("Quit", Action::Quit)) run(Action::Quit);
            ImGui::EndMenu();
        }
        if (ImGui::BeginMenu("Training")) {
            if (menu_item("Run / pause", Action::RunPause)) run(Action::RunPause);
            if (menu_item("Single step", Action::Step)) run(Action::Step);
            if (menu_item("Reset…", Action::Reset)) run(Action::Reset);
            if (ImGui::MenuItem("Restore last good checkpoint")) trainer_->restore_last_good();
            ImGui::EndMenu();
        }
        if (ImGui::BeginMenu("View")) {
            for (size_t i = 0; i < tabs_.entries().size(); ++i)
                if (menu_item(tabs_.entries()[i].title.c_str(), Action::ShowTab,
                              static_cast<int>(i)))
                    tabs_.want(static_cast<int>(i));
            if (menu_item("Next tab", Action::NextTab)) run(Action::NextTab);
            if (menu_item("Previous tab", Action::PreviousTab)) run(Action::PreviousTab);
            ImGui::Separator();
            float scale = ui_scale_;
            ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
            if (ImGui::SliderFloat("UI scale", &scale, 0.5f, 3.0f, "%.1f")) set_scale(scale);
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("%s and %s too",
                                  menu_shortcut(shortcuts_, Action::LargerUi).c_str(),
                                  menu_shortcut(shortcuts_, Action::SmallerUi).c_str());
            const std::string theme = settings_.text("ui.theme", "dark");
            if (ImGui::MenuItem("Dark theme", nullptr, theme == "dark")) {
                settings_.set_text("ui.theme", "dark");
                scale_dirty_ = true;
            }
            if (ImGui::MenuItem("Light theme", nullptr, theme == "light")) {
                settings_.set_text("ui.theme", "light");
                scale_dirty_ = true;
            }
            if (ImGui::MenuItem("Smooth lines", nullptr, antialias())) {
                settings_.set_number("ui.antialias", antialias() ? 0 : 1);
                scale_dirty_ = true;
            }
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip(
                    "Anti-aliased lines and edges. Off by default with software "
                    "OpenGL (%s), where it costs frame rate.",
                    window_.renderer().c_str());
            draw_language_menu();
            ImGui::Separator();
            if (ImGui::MenuItem("Restore defaults…")) ask_restore_ = true;
            ImGui::EndMenu();
        }
        lesson_.draw_menu();
        if (ImGui::BeginMenu("Help")) {
            if (menu_item("Keyboard shortcuts", Action::Help)) show_help_ = true;
            ImGui::EndMenu();
        }
        ImGui::EndMenuBar();
    }

    // View → Restore defaults asks first: it forgets every view choice the user made.
    void draw_restore_defaults() {
        const char* title = "Restore defaults?";
        if (ask_restore_) {
            ImGui::OpenPopup(title);
            ask_restore_ = false;
        }
        ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 26, 0), ImGuiCond_Appearing);
        if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_NoSavedSettings)) return;
        ImGui::TextWrapped(
            "The UI scale, the theme, the tab shown and every tab's view choices go back to "
            "their defaults, and each tab starts afresh (a lab there starts over).");
        ImGui::TextWrapped("The session (model, data, training) and the files you named are kept.");
        ImGui::Spacing();
        if (ImGui::Button("Restore defaults")) {
            restore_pending_ = true;
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))
            ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }

    // Between frames' panels: the old panels are gone before any draws again.
    void restore_defaults() {
        restore_pending_ = false;
        settings_.restore_view_defaults();
        ui_scale_ = 1.0f;
        scale_dirty_ = true;
        tabs_.rebuild();
    }

    void draw_alarm(const TrainerSnapshot& s) {
        if (s.alarm.empty()) return;
        ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.45f, 0.08f, 0.08f, 1));
        const float h = ImGui::GetFrameHeightWithSpacing() * 1.6f;
        ImGui::BeginChild("alarm", ImVec2(0, h), true);
        ImGui::TextWrapped("%s", s.alarm.c_str());
        ImGui::SameLine();
        if (s.last_good_step >= 0 && ImGui::Button("Restore last good checkpoint"))
            trainer_->restore_last_good();
        ImGui::SameLine();
        if (ImGui::Button("Reset")) experiment_.ask_reset();
        ImGui::EndChild();
        ImGui::PopStyleColor();
    }

    void draw_help() {
        if (!show_help_) return;
        ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 27, 0), ImGuiCond_Appearing);
        if (ImGui::Begin("Keyboard shortcuts", &show_help_, ImGuiWindowFlags_NoCollapse)) {
            std::vector<std::pair<std::string, std::string>> rows = help_rows(shortcuts_);
            // The panels' own keys, while the pointer is over them.
            rows.emplace_back("← / →", "earlier / later grid or page (Samples, Data)");
            if (ImGui::BeginTable("keys", 2)) {
                for (const auto& [keys, what] : rows) {
                    ImGui::TableNextRow();
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(keys.c_str());
                    ImGui::TableNextColumn();
                    ImGui::TextWrapped("%s", what.c_str());
                }
                ImGui::EndTable();
            }
        }
        ImGui::End();
    }

    void draw(const TrainerSnapshot& s) {
        const ImGuiViewport* vp = ImGui::GetMainViewport();
        ImGui::SetNextWindowPos(vp->WorkPos);
        ImGui::SetNextWindowSize(vp->WorkSize);
        const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                       ImGuiWindowFlags_NoSavedSettings |
                                       ImGuiWindowFlags_NoBringToFrontOnFocus |
                                       ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_MenuBar;
        ImGui::Begin("Ganvas", nullptr, flags);
        if (restore_pending_) restore_defaults();
        draw_menu();
        draw_restore_defaults();
        draw_alarm(s);
        PanelContext ctx{s, *trainer_, settings_, ui_scale_};
        animating_ = false;
        const float status_h =
            ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().WindowPadding.y;
        const float sidebar_w = std::round(330 * ui_scale_);
        ImGui::BeginChild("sidebar", ImVec2(sidebar_w, -status_h), true);
        experiment_.draw(ctx);
        ImGui::EndChild();
        ImGui::SameLine();
        // A lesson step sets the window up before the tabs draw (app/lessons).
        lesson_.runner().apply_pending(*this);
        const float card_w = lesson_.visible() ? std::round(340 * ui_scale_) : 0;
        ImGui::BeginChild("tabs", ImVec2(card_w > 0 ? -card_w : 0, -status_h), false);
        tabs_.draw(ctx);
        settings_.set_text("window.tab", tabs_.shown_title());
        ImGui::EndChild();
        if (card_w > 0) {
            ImGui::SameLine();
            ImGui::BeginChild("lesson", ImVec2(0, -status_h), true);
            lesson_.draw(ui_scale_);
            ImGui::EndChild();
        }
        animating_ = ctx.animating;
        panels_working_ = ctx.working;
        ImGui::Separator();
        draw_status_bar(s, clock_);
        ImGui::End();
        draw_help();
    }

    // lessons::LessonHost: what a lesson step sets up.
    void start_session(const lessons::LessonAction& a) override {
        if (!a.checkpoint.empty()) {
            trainer_->open_checkpoint(a.checkpoint);
        } else {
            SessionConfig config;
            config.model = a.model;
            config.data = a.data;
            config.batch = a.batch.value_or(64);
            config.seed = a.seed.value_or(0);
            trainer_->configure(config);
        }
        for (const auto& [name, value] : a.settings) trainer_->set_hyper(name, value);
        if (a.train_steps > 0) {
            trainer_->set_budget(a.train_steps);
            trainer_->run();
        }
    }
    void set_view(const std::string& key, const std::variant<double, std::string>& value) override {
        if (const double* number = std::get_if<double>(&value))
            settings_.set_number(key, *number);
        else
            settings_.set_text(key, std::get<std::string>(value));
    }
    void start_lab(const std::string& spec) override {
        const PanelStart start{spec};
        tabs_.remake(tabs_.index("GAN Lab"), &start);
    }
    void reload_tab(const std::string& title) override { tabs_.remake(tabs_.index(title)); }
    void show_tab(const std::string& title) override { tabs_.want(tabs_.index(title)); }

    void record_frame(double ms, Clock::time_point now) {
        frame_ms_.push_back(ms);
        const double period = ms_between(last_frame_end_, now);
        last_frame_end_ = now;
        clock_.frame_ms = clock_.frame_ms == 0 ? ms : 0.95 * clock_.frame_ms + 0.05 * ms;
        if (period > 0)
            clock_.fps = clock_.fps == 0 ? 1000 / period : 0.95 * clock_.fps + 0.05 * 1000 / period;
    }

    // For screenshots: the session is loaded and has trained the steps asked for.
    bool training_done(const TrainerSnapshot& s) const {
        if (options_.train_steps <= 0) return s.state != TrainerState::Loading;
        return s.state == TrainerState::Finished || s.state == TrainerState::Failed ||
               !s.alarm.empty();
    }

    bool screenshot_due(const TrainerSnapshot& s) {
        if (options_.screenshot.empty() || !training_done(s) || panels_working_) return false;
        return ++frames_after_ready_ >= std::max(2, options_.frames);
    }

    int write_screenshot(const std::vector<uint8_t>& pixels, int w, int h,
                         const TrainerSnapshot& s) {
        try {
            if (auto dir = std::filesystem::path(options_.screenshot).parent_path(); !dir.empty())
                std::filesystem::create_directories(dir);
            save_png(options_.screenshot, w, h, 4, pixels.data());
        } catch (const std::exception& e) {
            std::fprintf(stderr, "ganvas: %s\n", e.what());
            return 1;
        }
        if (!options_.tab.empty() &&
            tabs_.index(tabs_.shown_title()) != tabs_.index(options_.tab)) {
            std::fprintf(stderr, "ganvas: no tab named '%s'\n", options_.tab.c_str());
            return 2;
        }
        if (s.state == TrainerState::Failed) {
            std::fprintf(stderr, "ganvas: training could not start: %s\n", s.notice.c_str());
            return 1;
        }
        std::fprintf(stderr, "ganvas: wrote %s (%dx%d, step %lld)\n", options_.screenshot.c_str(),
                     w, h, static_cast<long long>(s.step));
        return 0;
    }

    void write_timing() {
        if (options_.timing.empty()) return;
        const auto s = trainer_->snapshot();
        // The first frames upload fonts and textures: leave them out of the figures.
        std::vector<double> frames(frame_ms_.begin() + std::min<size_t>(frame_ms_.size(), 10),
                                   frame_ms_.end());
        char json[512];
        std::snprintf(json, sizeof json,
                      "{\"frames\": %zu, \"frame_ms_median\": %.3f, \"frame_ms_p95\": %.3f, "
                      "\"steps\": %lld, \"ms_per_step\": %.2f, \"ms_per_step_wall\": %.2f, "
                      "\"threads\": %d}\n",
                      frames.size(), percentile(frames, 0.5), percentile(frames, 0.95),
                      static_cast<long long>(s->step),
                      s->step > 0 ? 1000 * s->train_seconds / s->step : 0.0,
                      s->step > 0 ? 1000 * s->loop_seconds / s->step : 0.0, s->threads);
        if (options_.timing == "-") {
            std::fputs(json, stdout);
        } else {
            std::ofstream(options_.timing) << json;
        }
    }

    GuiOptions options_;
    Window& window_;
    Settings& settings_;
    bool persist_;
    std::unique_ptr<LiveTrainer> trainer_;
    std::string screenshot_work_dir_;
    ExperimentPanel experiment_;
    TabSet tabs_;
    lessons::LessonCard lesson_{lessons::window_vocabulary()};
    std::vector<Shortcut> shortcuts_;
    bool ask_restore_ = false, restore_pending_ = false;
    float ui_scale_ = 1.0f;
    bool scale_dirty_ = true;
    bool show_help_ = false;
    bool animating_ = false;       // a panel asked for frames at full rate
    bool panels_working_ = false;  // a panel is still computing what a screenshot should show
    FrameClock clock_;
    std::vector<double> frame_ms_;
    Clock::time_point started_ = Clock::now(), last_frame_end_ = Clock::now(),
                      last_save_ = Clock::now();
    int frames_after_ready_ = 0;
};

}  // namespace

int run_gui(const GuiOptions& options, std::string* why) {
    // A screenshot is taken with the defaults and leaves the user's settings alone.
    const bool persist = options.screenshot.empty();
    const std::string dir = config_dir();
    std::string settings_error;
    Settings settings =
        persist ? Settings::load((std::filesystem::path(dir) / "settings.json").string(),
                                 &settings_error)
                : Settings();
    if (!settings_error.empty()) std::fprintf(stderr, "ganvas: %s\n", settings_error.c_str());
    int width = options.width, height = options.height;
    if (persist) {
        width = static_cast<int>(settings.number("window.width", width));
        height = static_cast<int>(settings.number("window.height", height));
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
    }
    auto window =
        Window::open(width, height, "Ganvas",
                     persist ? (std::filesystem::path(dir) / "imgui.ini").string() : "", why);
    if (!window) return -1;
    App app(options, *window, settings, persist);
    return app.run();
}

}  // namespace ganvas::gui
