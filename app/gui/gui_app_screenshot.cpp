// GuiApp's scripted run (gui/gui_app_internal.h): when the screenshot is due, and
// writing it with what it shows on stderr.
#include "gui/gui_app_internal.h"

#include <algorithm>
#include <cstdio>

namespace ganvas::gui {

// For screenshots: the session is loaded and has trained the steps asked for.
bool GuiApp::training_done(const TrainerSnapshot& s) const {
    if (options_.train_steps <= 0) return s.state != TrainerState::Loading;
    // A step that threw pauses the run with its error: the screenshot shows it, not waits.
    const bool stopped = s.state == TrainerState::Paused && s.notice_is_error;
    return s.state == TrainerState::Finished || s.state == TrainerState::Failed || stopped ||
           !s.alarm.empty();
}

bool GuiApp::screenshot_due(const TrainerSnapshot& s) {
    if (options_.screenshot.empty() || !training_done(s) || panels_working_) return false;
    return ++frames_after_ready_ >= std::max(2, options_.frames);
}

int GuiApp::write_screenshot(const std::vector<uint8_t>& pixels, int w, int h,
                             const TrainerSnapshot& s) {
    if (write_screenshot_png(options_.screenshot, pixels, w, h) != 0) return 1;
    if (!options_.tab.empty() && tabs_.index(tabs_.shown_title()) != tabs_.index(options_.tab)) {
        std::fprintf(stderr, "ganvas: no tab named '%s'\n", options_.tab.c_str());
        return 2;
    }
    if (s.state == TrainerState::Failed) {
        std::fprintf(stderr, "ganvas: training could not start: %s\n", s.notice.english().c_str());
        return 1;
    }
    if (options_.train_steps > 0 && s.state == TrainerState::Paused && s.notice_is_error) {
        std::fprintf(stderr, "ganvas: %s\n", s.notice.english().c_str());
        return 1;
    }
    const int ws = tabs_.target_workspace();
    std::fprintf(stderr, "ganvas: wrote %s (%dx%d, %s / %s, step %lld)\n",
                 options_.screenshot.c_str(), w, h,
                 ws >= 0 ? tabs_.workspaces()[ws].name.c_str() : "", tabs_.shown_title().c_str(),
                 static_cast<long long>(s.step));
    return 0;
}

}  // namespace ganvas::gui
