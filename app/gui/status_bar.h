// The status bar: state, step and budget, steps/s, elapsed, ETA, UI frame
// rate, every background job with work to do (the session's training and the
// labs, from the worker registry) with a pause/resume toggle each, and the
// latest command's result.
#pragma once

#include <string>
#include <vector>

#include "train/live_trainer.h"
#include "train/worker.h"

namespace ganvas::gui {

struct FrameClock {
    double fps = 0;       // frames per second, smoothed
    double frame_ms = 0;  // work per frame (not counting the wait for the next), smoothed
};

void draw_status_bar(const TrainerSnapshot& s, const FrameClock& clock);

// "1:02:03", "4:05", "12 s" for an ETA or elapsed time.
std::string format_duration(double seconds);

// The rate while training runs; once it has stopped (finished, paused or held),
// the average over the steps it ran, since the current rate is then zero.
std::string format_rate(const TrainerSnapshot& s);

// A job as the status bar lists it; workers with nothing to do are left out.
struct JobEntry {
    uint64_t id = 0;
    bool held = false;   // the toggle resumes it (and pins one held by a hidden tab)
    std::string label;   // "GAN Lab 1200 steps, paused (tab hidden)"
    std::string detail;  // the tooltip: what it is doing
};
std::vector<JobEntry> status_bar_jobs(const std::vector<WorkerStatus>& workers);

// A lab's "keep running in the background" checkbox, with a note when the status
// bar has paused its worker. Returns whether the worker is pinned.
bool draw_worker_pin(BackgroundWorker& worker);

}  // namespace ganvas::gui
