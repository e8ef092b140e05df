// Panel: one view of the window, drawn each frame from the newest training
// snapshot. Panels own their view state (zoom, selection, textures), and a lab
// panel owns its lab; the training itself runs in core, on the lab's or the
// session's worker (train/worker.h), steered by commands.
#pragma once

#include "gui/settings.h"
#include "panels/panel_registry.h"  // so a panel's .cpp registers itself with one line
#include "train/live_trainer.h"

namespace ganvas::gui {

struct PanelContext {
    const TrainerSnapshot& snapshot;  // the newest one, never null
    LiveTrainer& trainer;             // for commands
    Settings& settings;               // persisted view choices ("samples.zoom", ...)
    float ui_scale = 1.0f;            // multiply pixel sizes by it
    // Set by a panel that animates (playback, a progress bar): the window then
    // keeps drawing at full rate instead of only when something changes.
    bool animating = false;
    // Set by a panel still computing what it should show (a lab training the
    // steps asked for on the command line): a screenshot waits for it.
    bool working = false;
};

// The window's Space, S and R keys, which act on the lab shown where it has such controls.
enum class Transport { RunPause, Step, Reset };

class Panel {
public:
    virtual ~Panel() = default;
    virtual const char* title() const = 0;  // the tab's name, also what --tab selects
    virtual void draw(PanelContext& ctx) = 0;
    // Called when the panel's tab becomes the shown one (true) or stops being it
    // (false), so a lab can pause its worker while nobody is looking at it.
    virtual void set_shown(bool shown) { (void)shown; }
    // A lab with its own Play, Step and Reset buttons does what the button does and
    // returns true; a panel without such a control returns false.
    virtual bool transport(Transport t) {
        (void)t;
        return false;
    }
};

}  // namespace ganvas::gui
