// GuiApp's main loop (gui/gui_app_internal.h): draws a frame only when something
// changed, times the frames and saves the settings now and then.
#include "gui/gui_app_internal.h"

#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <thread>

#include "gui/fonts.h"

namespace ganvas::gui {
namespace {

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

}  // namespace

int GuiApp::run() {
    apply_scale();
    int exit_code = 0;
    Clock::time_point last_input = Clock::now(), last_render = Clock::now();
    uint64_t seen_events = window_.input_events(), rendered_version = 0;
    const double news_ms =
        window_.software_renderer() ? kSoftwareSnapshotFrameMs : kSnapshotFrameMs;
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
        // Training's news is drawn at most once every news_ms: a fast model
        // publishes a snapshot every step, and with software OpenGL each
        // frame takes CPU from training (scripts/bench_window.sh).
        const double since_render = ms_between(last_render, Clock::now());
        const bool new_snapshot = snapshot->version != rendered_version;
        if (!active && since_render < (new_snapshot ? news_ms : 250)) continue;
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

void GuiApp::record_frame(double ms, Clock::time_point now) {
    frame_ms_.push_back(ms);
    const double period = ms_between(last_frame_end_, now);
    last_frame_end_ = now;
    clock_.frame_ms = clock_.frame_ms == 0 ? ms : 0.95 * clock_.frame_ms + 0.05 * ms;
    if (period > 0)
        clock_.fps = clock_.fps == 0 ? 1000 / period : 0.95 * clock_.fps + 0.05 * 1000 / period;
}

void GuiApp::save_settings() {
    try {
        settings_.save((std::filesystem::path(config_dir()) / "settings.json").string());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ganvas: settings not saved: %s\n", e.what());
    }
    last_save_ = Clock::now();
}

}  // namespace ganvas::gui
