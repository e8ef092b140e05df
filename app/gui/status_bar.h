// The status bar: state, step and budget, steps/s, elapsed, ETA, UI frame
// rate, and the latest command's result.
#pragma once

#include "train/live_trainer.h"

namespace ganvas::gui {

struct FrameClock {
    double fps = 0;       // frames per second, smoothed
    double frame_ms = 0;  // work per frame (not counting the wait for the next), smoothed
};

void draw_status_bar(const TrainerSnapshot& s, const FrameClock& clock);

// "1:02:03", "4:05", "12 s" for an ETA or elapsed time.
std::string format_duration(double seconds);

}  // namespace ganvas::gui
