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

#include "gui/dialogs.h"
#include "gui/fonts.h"
#include "gui/presentation.h"
#include "gui/scripted_run.h"
#include "gui/settings.h"
#include "gui/shortcuts.h"
#include "gui/status_bar.h"
#include "gui/tab_set.h"
#include "gui/theme.h"
#include "gui/window.h"
#include "gui/workspaces.h"
#include "i18n/tr.h"
#include "lessons/lesson_card.h"
#include "panels/experiment_panel.h"
#include "train/live_trainer.h"

namespace ganvas::gui {
namespace {

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

class App : public lessons::LessonHost {
public:
    App(const GuiOptions& options, Window& window, Settings& settings, bool persist)
        : options_(options),
          window_(window),
          settings_(settings),
          persist_(persist),
          tabs_(arrange_workspaces(registered_panels()),
                PanelStart{options.lab, options.tensorboard}) {
        if (!options.audit_layout.empty())
            tour_ = std::make_unique<LayoutTour>(options.audit_layout);
        for (const std::string& problem : arrange_workspaces(registered_panels()).problems)
            std::fprintf(stderr, "ganvas: %s\n", problem.c_str());
        // --tab wins, then --workspace, then the tab last shown.
        if (!options.tab.empty())
            tabs_.want(tabs_.index(options.tab));
        else if (!options.tensorboard.empty())
            tabs_.want(tabs_.index("TensorBoard"));
        else if (!options.workspace.empty())
            tabs_.want_workspace(find_workspace(tabs_.workspaces(), options.workspace));
        else
            tabs_.want(tabs_.index(settings.text("window.tab", "")));
        ui_scale_ = static_cast<float>(std::clamp(
            options.scale > 0 ? options.scale : settings.number("ui.scale", 1.0), 0.5, 3.0));
        sidebar_folded_ = settings.number("ui.sidebar_folded", 0) != 0;
        // The command line wins, then the language last chosen, then $LANG.
        const auto chosen = i18n::parse_language(
            !options.lang.empty() ? options.lang : settings.text("ui.language", ""));
        set_language(chosen ? *chosen : i18n::language_from_environment());
        if (options.presentation) set_presentation(true);

        TrainerOptions t;
        // The command line wins, then the session the user last applied, then the default.
        t.config.model =
            !options.model.empty() ? options.model : settings.text("session.model", "dcgan28");
        t.config.data =
            !options.data.empty() ? options.data : settings.text("session.data", "fashion-mnist");
        t.config.batch = static_cast<int64_t>(settings.number("session.batch", 64));
        t.config.seed = static_cast<uint64_t>(settings.number("session.seed", 0));
        // --device, else the device last applied; where its GPU is gone the session says
        // so in one line.
        t.config.device =
            options.device
                ? *options.device
                : parse_device(settings.text("session.device", "cpu")).value_or(Device::cpu);
        t.checkpoint = options.checkpoint;
        t.settings = options.settings;
        t.work_dir = (std::filesystem::path(config_dir()) / "session").string();
        t.budget = 3000;
        if (scripted()) {
            t.work_dir = make_screenshot_work_dir();
            if (options.train_steps > 0) t.budget = options.train_steps;
            t.start_running = options.train_steps > 0;
        }
        trainer_ = std::make_unique<LiveTrainer>(t);
        screenshot_work_dir_ = scripted() ? t.work_dir : "";
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
            // A scripted run behaves like a watched window until training is done.
            const bool active =
                options_.continuous ||
                (scripted() && training_done(*trainer_->snapshot()) && !panels_working_) ||
                animating_ || scale_dirty_ || window_.replaying_keys() ||
                ms_between(last_input, Clock::now()) < 1000;
            window_.wait_events(active ? 0 : 0.02);
            if (window_.input_events() != seen_events) {
                seen_events = window_.input_events();
                last_input = Clock::now();
            }
            const auto snapshot = trainer_->snapshot();
            // Training's news is drawn at up to 10 frames a second: a fast model
            // publishes a snapshot every step, and with software OpenGL each
            // frame takes CPU from training (scripts/bench_window.sh).
            const double since_render = ms_between(last_render, Clock::now());
            const bool new_snapshot = snapshot->version != rendered_version;
            if (!active && since_render < (new_snapshot ? kSnapshotFrameMs : 250)) continue;
            const auto frame_start = Clock::now();
            last_render = frame_start;
            rendered_version = snapshot->version;
            // Presentation type follows the window's height through a resize.
            if (presentation_.on() && window_height() != font_height_) scale_dirty_ = true;
            if (scale_dirty_ || font_glyphs_pending()) apply_scale();
            // Keep the pointer off the panels so a screenshot shows no stray hover or tooltip.
            if (scripted()) window_.park_cursor();

            const TrainerSnapshot& s = *snapshot;
            const bool touring = tour_ && training_done(s);
            if (touring) tour_->before_frame(tabs_);
            window_.begin_frame();
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
            if (touring && tour_->after_frame(tabs_)) {
                window_.size(&w, &h);
                exit_code =
                    tour_->write(i18n::language_code(i18n::current_language()), w, h, ui_scale_);
                break;
            }
            if (scripted() && ms_between(started_, Clock::now()) > 20 * 60 * 1000.0) {
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
        // The size to come back to is the window's, not the full screen's.
        if (presentation_.on()) set_presentation(false);
        if (persist_) {
            int ww = 0, wh = 0;
            window_.size(&ww, &wh);
            settings_.set_number("window.width", ww);
            settings_.set_number("window.height", wh);
            save_settings();
        }
        if (!options_.timing.empty())
            write_timing_json(options_.timing, frame_ms_, *trainer_->snapshot());
        return exit_code;
    }

private:
    // A screenshot or a layout audit: default settings, a private session, then exit.
    bool scripted() const { return !options_.screenshot.empty() || tour_; }

    int window_height() const {
        int w = 0, h = 0;
        window_.size(&w, &h);
        return h;
    }

    // The scale everything is drawn at: the user's, or in presentation mode the
    // one that makes type about 3% of the window's height.
    float effective_scale() const {
        return presentation_.on() ? presentation_font_pixels(font_height_) / kBaseFontPixels
                                  : ui_scale_;
    }

    void apply_scale() {
        font_height_ = window_height();
        const float scale = effective_scale();
        window_.set_font(std::round(kBaseFontPixels * scale),
                         i18n::current_language() == i18n::Language::Chinese);
        apply_theme(settings_.text("ui.theme", "dark"), scale, antialias());
        // A large pointer that students can follow; ImGui draws it (and hides the system's).
        ImGui::GetIO().MouseDrawCursor = presentation_.on();
        ImGui::GetStyle().MouseCursorScale = 1.6f * scale;
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
        if (language == i18n::current_language() && !scale_dirty_ && !shortcuts_.empty()) return;
        i18n::set_language(language);
        for (const std::string& error : i18n::ensure_catalog_loaded())
            std::fprintf(stderr, "ganvas: %s\n", error.c_str());
        // The help's descriptions are in the language.
        shortcuts_ = window_shortcuts(tabs_.workspace_names(),
                                      static_cast<int>(tabs_.entries().size()), tabs_.most_tabs());
        scale_dirty_ = true;
    }

    // Full screen (not for a screenshot, which keeps its --size), large type and
    // pointer, the sidebar folded. Leaving gives back the window as it was.
    void set_presentation(bool on) {
        if (on == presentation_.on()) return;
        presentation_.set(on);
        if (!scripted()) window_.set_fullscreen(on);
        scale_dirty_ = true;
    }

    bool sidebar_shown() const {
        if (!tabs_.target_shows_session()) return false;  // a lab has its own controls
        return presentation_.on() ? presentation_.sidebar_shown() : !sidebar_folded_;
    }

    void toggle_sidebar() {
        if (presentation_.on()) {
            presentation_.toggle_sidebar();
            return;
        }
        sidebar_folded_ = !sidebar_folded_;
        settings_.set_number("ui.sidebar_folded", sidebar_folded_ ? 1 : 0);
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
            if (const Shortcut* s = find_shortcut(shortcuts_, press)) {
                if (!lab_transport(s->action)) perform(*s);
            }
    }

    // Space, S and R on a lab with its own Play, Step and Reset act on that lab; in any
    // other lab they do nothing, as the session they would steer is not on screen. The
    // Training menu always steers the session.
    bool lab_transport(Action action) {
        Transport t;
        if (action == Action::RunPause)
            t = Transport::RunPause;
        else if (action == Action::Step)
            t = Transport::Step;
        else if (action == Action::Reset)
            t = Transport::Reset;
        else
            return false;
        if (Panel* panel = tabs_.target_panel(); panel && panel->transport(t)) return true;
        return !tabs_.target_shows_session();
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
            case Action::ToggleSidebar:
                toggle_sidebar();
                break;
            case Action::Presentation:
                set_presentation(!presentation_.on());
                break;
            case Action::ShowWorkspace:
            case Action::ShowTab:
            case Action::NextTab:
            case Action::PreviousTab:
                tabs_.step(s);
                break;
        }
    }

    // Does what the shortcut for `action` (and `index`) does.
    void run_action(Action action, int index = -1) {
        for (const Shortcut& s : shortcuts_)
            if (s.action == action && s.index == index) return perform(s);
    }

    // A menu item that does what shortcut `action` does, labelled with its key.
    bool menu_item(const char* label, Action action, int index = -1, bool selected = false) {
        const std::string keys = menu_shortcut(shortcuts_, action, index);
        return ImGui::MenuItem(label, keys.empty() ? nullptr : keys.c_str(), selected);
    }

    void set_scale(float scale) {
        ui_scale_ = std::clamp(std::round(scale * 10) / 10, 0.5f, 3.0f);
        settings_.set_number("ui.scale", ui_scale_);
        scale_dirty_ = true;
    }

    // ---- the menu bar: one function a menu ----

    void draw_menu_bar() {
        if (!ImGui::BeginMenuBar()) return;
        draw_file_menu();
        draw_training_menu();
        draw_view_menu();
        lesson_.draw_menu();
        draw_help_menu();
        ImGui::EndMenuBar();
    }

    void draw_file_menu() {
        if (!ImGui::BeginMenu(tr_id("File"))) return;
        if (menu_item(tr("Save experiment"), Action::SaveExperiment))
            run_action(Action::SaveExperiment);
        if (menu_item(tr("Load experiment"), Action::LoadExperiment))
            run_action(Action::LoadExperiment);
        ImGui::Separator();
        // The tab holds the folder field: the log opens there.
        if (ImGui::MenuItem(tr("Open TensorBoard log…"))) tabs_.want(tabs_.index("TensorBoard"));
        ImGui::Separator();
        if (menu_item(tr("Quit"), Action::Quit)) run_action(Action::Quit);
        ImGui::EndMenu();
    }

    void draw_training_menu() {
        if (!ImGui::BeginMenu(tr_id("Training"))) return;
        if (menu_item(tr("Run / pause"), Action::RunPause)) run_action(Action::RunPause);
        if (menu_item(tr("Single step"), Action::Step)) run_action(Action::Step);
        if (menu_item(tr("Reset…"), Action::Reset)) run_action(Action::Reset);
        if (ImGui::MenuItem(tr("Restore last good checkpoint"))) trainer_->restore_last_good();
        ImGui::EndMenu();
    }

    void draw_view_menu() {
        if (!ImGui::BeginMenu(tr_id("View"))) return;
        const std::vector<Workspace>& spaces = tabs_.workspaces();
        const int shown = tabs_.target_workspace();
        for (size_t w = 0; w < spaces.size(); ++w)
            if (menu_item(tr(spaces[w].name.c_str()), Action::ShowWorkspace, static_cast<int>(w),
                          static_cast<int>(w) == shown))
                tabs_.want_workspace(static_cast<int>(w));
        ImGui::Separator();
        if (shown >= 0) {
            const std::vector<int>& tabs = spaces[shown].tabs;
            for (size_t i = 0; i < tabs.size(); ++i)
                if (menu_item(tr(tabs_.entries()[tabs[i]].title.c_str()), Action::ShowTab,
                              static_cast<int>(i), tabs[i] == tabs_.target_tab()))
                    tabs_.want(tabs[i]);
        }
        if (menu_item(tr("Next tab"), Action::NextTab)) run_action(Action::NextTab);
        if (menu_item(tr("Previous tab"), Action::PreviousTab)) run_action(Action::PreviousTab);
        ImGui::Separator();
        if (menu_item(tr("Experiment sidebar"), Action::ToggleSidebar, -1, sidebar_shown()))
            toggle_sidebar();
        if (menu_item(tr("Presentation"), Action::Presentation, -1, presentation_.on()))
            set_presentation(!presentation_.on());
        float scale = ui_scale_;
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
        if (ImGui::SliderFloat(tr("UI scale"), &scale, 0.5f, 3.0f, "%.1f")) set_scale(scale);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(tr("%s and %s too"),
                              menu_shortcut(shortcuts_, Action::LargerUi).c_str(),
                              menu_shortcut(shortcuts_, Action::SmallerUi).c_str());
        const std::string theme = settings_.text("ui.theme", "dark");
        if (ImGui::MenuItem(tr("Dark theme"), nullptr, theme == "dark")) {
            settings_.set_text("ui.theme", "dark");
            scale_dirty_ = true;
        }
        if (ImGui::MenuItem(tr("Light theme"), nullptr, theme == "light")) {
            settings_.set_text("ui.theme", "light");
            scale_dirty_ = true;
        }
        if (ImGui::MenuItem(tr("Smooth lines"), nullptr, antialias())) {
            settings_.set_number("ui.antialias", antialias() ? 0 : 1);
            scale_dirty_ = true;
        }
        if (ImGui::IsItemHovered())
            // tr()'s literal stays whole, for tests/app/test_translations.cpp to find.
            // clang-format off
            ImGui::SetTooltip(tr("Anti-aliased lines and edges. Off by default with software OpenGL (%s), where it costs frame rate."),
                              window_.renderer().c_str());
        // clang-format on
        draw_language_menu();
        ImGui::Separator();
        if (ImGui::MenuItem(tr("Restore defaults…"))) ask_restore_ = true;
        ImGui::EndMenu();
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

    void draw_help_menu() {
        if (!ImGui::BeginMenu(tr_id("Help"))) return;
        if (menu_item(tr("Keyboard shortcuts"), Action::Help)) show_help_ = true;
        ImGui::EndMenu();
    }

    // View → Restore defaults asks first: it forgets every view choice the user made.
    void draw_restore_defaults() {
        if (draw_restore_defaults_question(&ask_restore_)) restore_pending_ = true;
    }

    // Between frames' panels: the old panels are gone before any draws again.
    void restore_defaults() {
        restore_pending_ = false;
        settings_.restore_view_defaults();
        ui_scale_ = 1.0f;
        sidebar_folded_ = false;
        scale_dirty_ = true;
        tabs_.rebuild();
    }

    void draw_alarm(const TrainerSnapshot& s) {
        switch (draw_alarm_banner(s)) {
            case AlarmChoice::RestoreLastGood:
                trainer_->restore_last_good();
                break;
            case AlarmChoice::Reset:
                experiment_.ask_reset();
                break;
            case AlarmChoice::None:
                break;
        }
    }

    void draw_help() {
        if (show_help_) draw_shortcut_help(&show_help_, shortcuts_);
    }

    // The workspace bar, and at its right the sidebar's fold button where the
    // shown tab has the sidebar.
    void draw_workspace_row() {
        tabs_.draw_workspace_bar();
        if (!tabs_.target_shows_session()) return;
        const char* label = sidebar_shown() ? tr("◂ Experiment") : tr("▸ Experiment");
        const ImVec2 padding = workspace_button_padding();
        const float w = ImGui::CalcTextSize(label).x + 2 * padding.x;
        ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - w));
        ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, padding);
        if (ImGui::Button(label)) toggle_sidebar();
        ImGui::PopStyleVar();
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(tr("Show or hide the Experiment sidebar (%s)"),
                              menu_shortcut(shortcuts_, Action::ToggleSidebar).c_str());
    }

    // A fraction of the window, so that the panels keep most of a small screen,
    // and no wider than the sidebar needs.
    float sidebar_width(float available) const {
        const float scale = effective_scale();
        return std::round(std::clamp(0.3f * available, 250 * scale, 330 * scale));
    }

    // The main area: the workspace row, then the sidebar (where the shown tab
    // shows the session) beside the workspace's tabs, then the status bar.
    void draw_main_area(const TrainerSnapshot& s, PanelContext& ctx) {
        draw_workspace_row();
        const float status_h =
            ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().WindowPadding.y;
        if (sidebar_shown()) {
            ImGui::BeginChild("sidebar",
                              ImVec2(sidebar_width(ImGui::GetContentRegionAvail().x), -status_h),
                              true);
            experiment_.draw(ctx);
            ImGui::EndChild();
            ImGui::SameLine();
        }
        // A lesson step sets the window up before the tabs draw (app/lessons).
        lesson_.runner().apply_pending(*this);
        const float card_w = lesson_.visible() ? std::round(340 * effective_scale()) : 0;
        ImGui::BeginChild("tabs", ImVec2(card_w > 0 ? -card_w : 0, -status_h), false);
        tabs_.draw(ctx);
        settings_.set_text("window.tab", tabs_.shown_title());
        if (const int w = tabs_.target_workspace(); w >= 0)
            settings_.set_text("window.workspace", tabs_.workspaces()[w].name);
        ImGui::EndChild();
        if (card_w > 0) {
            ImGui::SameLine();
            ImGui::BeginChild("lesson", ImVec2(0, -status_h), true);
            lesson_.draw(effective_scale());
            ImGui::EndChild();
        }
        ImGui::Separator();
        draw_status_bar(s, clock_);
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
        draw_menu_bar();
        draw_restore_defaults();
        draw_alarm(s);
        PanelContext ctx{s, *trainer_, settings_, effective_scale()};
        draw_main_area(s, ctx);
        animating_ = ctx.animating;
        panels_working_ = ctx.working;
        ImGui::End();
        draw_help();
        if (presentation_.on() && presentation_.draw_click_ripples()) animating_ = true;
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
        const PanelStart start{spec, ""};
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
        // A step that threw pauses the run with its error: the screenshot shows it, not waits.
        const bool stopped = s.state == TrainerState::Paused && s.notice_is_error;
        return s.state == TrainerState::Finished || s.state == TrainerState::Failed || stopped ||
               !s.alarm.empty();
    }

    bool screenshot_due(const TrainerSnapshot& s) {
        if (options_.screenshot.empty() || !training_done(s) || panels_working_) return false;
        return ++frames_after_ready_ >= std::max(2, options_.frames);
    }

    int write_screenshot(const std::vector<uint8_t>& pixels, int w, int h,
                         const TrainerSnapshot& s) {
        if (write_screenshot_png(options_.screenshot, pixels, w, h) != 0) return 1;
        if (!options_.tab.empty() &&
            tabs_.index(tabs_.shown_title()) != tabs_.index(options_.tab)) {
            std::fprintf(stderr, "ganvas: no tab named '%s'\n", options_.tab.c_str());
            return 2;
        }
        if (s.state == TrainerState::Failed) {
            std::fprintf(stderr, "ganvas: training could not start: %s\n", s.notice.c_str());
            return 1;
        }
        if (options_.train_steps > 0 && s.state == TrainerState::Paused && s.notice_is_error) {
            std::fprintf(stderr, "ganvas: %s\n", s.notice.c_str());
            return 1;
        }
        const int ws = tabs_.target_workspace();
        std::fprintf(stderr, "ganvas: wrote %s (%dx%d, %s / %s, step %lld)\n",
                     options_.screenshot.c_str(), w, h,
                     ws >= 0 ? tabs_.workspaces()[ws].name.c_str() : "",
                     tabs_.shown_title().c_str(), static_cast<long long>(s.step));
        return 0;
    }

    static constexpr float kBaseFontPixels = 15.0f;    // the font at UI scale 1
    static constexpr double kSnapshotFrameMs = 100.0;  // training's news: up to 10 fps

    GuiOptions options_;
    Window& window_;
    Settings& settings_;
    bool persist_;
    std::unique_ptr<LiveTrainer> trainer_;
    std::string screenshot_work_dir_;
    std::unique_ptr<LayoutTour> tour_;
    ExperimentPanel experiment_;
    TabSet tabs_;
    lessons::LessonCard lesson_{lessons::window_vocabulary()};
    std::vector<Shortcut> shortcuts_;
    Presentation presentation_;
    bool ask_restore_ = false, restore_pending_ = false;
    float ui_scale_ = 1.0f;
    bool sidebar_folded_ = false;  // the user's choice outside presentation mode
    int font_height_ = 0;          // the window height the font was last built for
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
    // A screenshot or an audit is taken with the defaults and leaves the user's settings alone.
    const bool persist = options.screenshot.empty() && options.audit_layout.empty();
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
