// GuiApp: the window behind run_gui (gui/gui_app.h), its state and what a frame
// does. Only the gui_app*.cpp files include this; each holds one part of it:
//   gui_app.cpp              startup choices (tab, scale, language, session) and run_gui
//   gui_app_frame_loop.cpp   the main loop: when to draw, frame timing, saving settings
//   gui_app_view_state.cpp   scale, theme, language, presentation mode, the sidebar
//   gui_app_shortcuts.cpp    key presses and menu items turned into actions
//   gui_app_menu_bar.cpp     the menu bar, one function a menu
//   gui_app_layout.cpp       the frame's layout: sidebar, tabs, lesson card, status bar
//   gui_app_lesson_host.cpp  what a lesson step sets up (lessons::LessonHost)
//   gui_app_screenshot.cpp   when a scripted run's screenshot is due, and writing it
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "gui/gui_app.h"
#include "gui/presentation.h"
#include "gui/scripted_run.h"
#include "gui/settings.h"
#include "gui/shortcuts.h"
#include "gui/status_bar.h"
#include "gui/tab_set.h"
#include "gui/window.h"
#include "i18n/tr.h"
#include "lessons/lesson_card.h"
#include "lessons/lesson_file.h"
#include "panels/experiment_panel.h"
#include "train/live_trainer.h"

namespace ganvas::gui {

class GuiApp : public lessons::LessonHost {
public:
    GuiApp(const GuiOptions& options, Window& window, Settings& settings, bool persist);
    static std::string make_screenshot_work_dir();
    ~GuiApp();

    int run();

private:
    using Clock = std::chrono::steady_clock;

    // A screenshot or a layout audit: default settings, a private session, then exit.
    bool scripted() const { return !options_.screenshot.empty() || tour_; }

    // gui_app_frame_loop.cpp
    void record_frame(double ms, Clock::time_point now);
    void save_settings();

    // gui_app_view_state.cpp
    int window_height() const;
    float effective_scale() const;
    void apply_scale();
    bool antialias() const;
    void set_language(i18n::Language language);
    void set_presentation(bool on);
    void set_theme(const std::string& name);  // "dark" or "light", kept in the settings
    bool sidebar_shown() const;
    void toggle_sidebar();
    void set_scale(float scale);
    void restore_defaults();

    // gui_app_shortcuts.cpp
    void handle_shortcuts();
    bool lab_transport(Action action);
    void perform(const Shortcut& s);
    void run_action(Action action, int index = -1);
    bool menu_item(const char* label, Action action, int index = -1, bool selected = false);

    // gui_app_menu_bar.cpp
    void draw_menu_bar();
    void draw_file_menu();
    void draw_training_menu();
    void draw_view_menu();
    void draw_language_menu();
    void draw_help_menu();
    void draw_restore_defaults();

    // gui_app_layout.cpp
    void draw_alarm(const TrainerSnapshot& s);
    void draw_help();
    void draw_workspace_row();
    float sidebar_width(float available) const;
    void draw_main_area(const TrainerSnapshot& s, PanelContext& ctx);
    void draw(const TrainerSnapshot& s);

    // gui_app_lesson_host.cpp
    void start_session(const lessons::LessonAction& a) override;
    void set_view(const std::string& key, const std::variant<double, std::string>& value) override;
    void start_lab(const std::string& spec) override;
    void reload_tab(const std::string& title) override;
    void show_tab(const std::string& title) override;

    // gui_app_screenshot.cpp
    bool training_done(const TrainerSnapshot& s) const;
    bool screenshot_due(const TrainerSnapshot& s);
    int write_screenshot(const std::vector<uint8_t>& pixels, int w, int h,
                         const TrainerSnapshot& s);

    static constexpr float kBaseFontPixels = 15.0f;  // the font at UI scale 1
    // Training's news (a new snapshot, each step for a fast model): up to 10
    // frames a second, 5 with software OpenGL, whose frames take CPU from training.
    static constexpr double kSnapshotFrameMs = 100.0, kSoftwareSnapshotFrameMs = 200.0;

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

}  // namespace ganvas::gui
