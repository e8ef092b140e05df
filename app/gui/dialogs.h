// The window's small dialogs, each drawn by one call from the main loop: the
// F1 help, View → Restore defaults' question and the red alarm banner.
#pragma once

#include <vector>

#include "gui/shortcuts.h"
#include "train/live_trainer.h"

namespace ganvas::gui {

// The shortcuts' table and the panels' own keys; `open` goes false when closed.
void draw_shortcut_help(bool* open, const std::vector<Shortcut>& shortcuts);

// Opens the question when `*ask` (and clears it); true once the user confirms.
bool draw_restore_defaults_question(bool* ask);

enum class AlarmChoice { None, RestoreLastGood, Reset };
// The banner for a NaN or infinite loss (nothing when there is none), with its two ways out.
AlarmChoice draw_alarm_banner(const TrainerSnapshot& s);

}  // namespace ganvas::gui
