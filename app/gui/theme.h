// The look: ImGui's dark or light colours with softer corners and spacing,
// every size multiplied by the UI scale, and the colours that carry a meaning.
#pragma once

#include <imgui.h>

#include <string>

namespace ganvas::gui {

// `antialias` off draws lines and fills without soft edges: about 20% less work
// a frame for a software renderer (llvmpipe), which has no GPU to spare.
void apply_theme(const std::string& name, float scale, bool antialias);

// What a coloured line of text says: something failed; something waits or
// needs a look; something works or runs; a heading to find first (a lesson's).
enum class Tone { error, warning, ok, accent };

// A tone's text colour on the light or the dark theme. Each reads at a
// contrast of 4.5:1 or more (WCAG's level for text) against the window, popup
// and menu bar backgrounds, so a projected error is legible from the back row.
ImVec4 tone_colour(Tone tone, bool light);

// The same for the theme in use, judged by the window background.
ImVec4 tone_colour(Tone tone);

// WCAG's relative luminance of a colour (alpha ignored), and the contrast
// ratio of two colours, from 1 (none) to 21 (black on white).
float relative_luminance(const ImVec4& colour);
float contrast_ratio(const ImVec4& a, const ImVec4& b);

}  // namespace ganvas::gui
