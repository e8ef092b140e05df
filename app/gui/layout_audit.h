// The layout audit (`ganvas --audit-layout FILE.json`): what a person would see
// wrong in a frame, read from what ImGui drew rather than from what the code
// meant to draw, so it holds for every panel without asking any of them:
//
// - clipped text: a glyph cut by its clip rectangle on the left or right, or
//   cut on the CPU (ImGui's fine clipping of a label squeezed into a button or
//   a narrowed tab) — a label wider than its item; not a glyph cut at the edge
//   of a window that scrolls sideways, whose rest is a scroll away;
// - missing glyphs: a glyph drawn as the font's fallback box, and any glyph of
//   the Chinese catalog that the atlas lacks;
// - items laid out past a window's right edge (text cut between two glyphs);
// - tab bars that need scroll arrows because their tabs do not fit.
//
// Text cut short on purpose (fit_text's "…" with the whole in a tooltip) draws
// whole glyphs and is not reported.
#pragma once

#include <string>
#include <vector>

struct ImDrawData;
struct ImFont;

namespace ganvas::gui {

struct LayoutIssue {
    std::string kind;    // "clipped text", "missing glyph", "tab bar scrolls"
    std::string window;  // the ImGui window it was drawn in
    std::string text;    // the line of text, or the tab bar's tabs
};

// The clipped and fallback glyphs of the frame `draw_data` holds, drawn with `font`.
std::vector<LayoutIssue> audit_text(const ImDrawData& draw_data, const ImFont& font);

// Every window drawn in the current frame whose items reach past its right
// edge, with no horizontal scroll bar to reach them.
std::vector<LayoutIssue> audit_windows();

// Every tab bar drawn in the current frame whose tabs are wider than the bar.
std::vector<LayoutIssue> audit_tab_bars();

// The characters of `texts` that `font` has no glyph for (UTF-8, each once).
std::vector<std::string> missing_glyphs(const ImFont& font, const std::vector<std::string>& texts);

}  // namespace ganvas::gui
