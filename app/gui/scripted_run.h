// The window's runs that a script starts and reads: a screenshot, the frame
// timings and the layout audit's tour of every tab. Kept apart from the main
// loop, which only calls them.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "gui/layout_audit.h"
#include "train/live_trainer.h"

namespace ganvas::gui {

class TabSet;

// Writes the PNG; 0, or 1 with a message on stderr.
int write_screenshot_png(const std::string& path, const std::vector<uint8_t>& pixels, int w, int h);

// The median and 95th percentile frame time and the training speed, as JSON to
// `path` ("-": stdout).
void write_timing_json(const std::string& path, const std::vector<double>& frame_ms,
                       const TrainerSnapshot& s);

// --audit-layout: every tab of every workspace in turn, a few frames each, and
// what the audit found on each, written as JSON at the end.
class LayoutTour {
public:
    explicit LayoutTour(std::string path) : path_(std::move(path)) {}
    // Before a frame: the tab to show now (asks `tabs` for it).
    void before_frame(TabSet& tabs);
    // After a frame is rendered: audits it once the tab has settled. True when
    // every tab has been seen.
    bool after_frame(const TabSet& tabs);
    // Writes the JSON (the language, size, the tabs seen, the issues and the
    // catalog's missing glyphs); 0, or 1 with a message.
    int write(const std::string& language, int width, int height, float scale) const;

private:
    struct Visit {
        std::string workspace, tab;
        std::vector<LayoutIssue> issues;
    };
    std::string path_;
    int tab_ = 0;      // the tab being visited
    int settled_ = 0;  // frames drawn with it shown
    std::vector<Visit> visits_;
    std::vector<std::string> missing_;
};

}  // namespace ganvas::gui
