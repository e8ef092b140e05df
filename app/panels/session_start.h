// Starting a new training session from a panel: the Experiment sidebar's
// Apply, and the one-click start of a panel that shows another model's views
// (VQ Stage 1's "Train vqgan28"). Both go the same way, so the next window
// opens on the session the user last started, whichever button started it.
#pragma once

#include "panels/panel.h"

namespace ganvas::gui {

// Builds `config` as the new session (the old one's steps and weights are
// replaced) and remembers it for the next window.
void start_session(PanelContext& ctx, const SessionConfig& config);

// The next window opens on `config`'s model, data, batch, seed and device.
void remember_session(Settings& settings, const SessionConfig& config);

}  // namespace ganvas::gui
