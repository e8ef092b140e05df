// The window's font atlas: DejaVu Sans (fonts-dejavu-core) for Latin, Greek,
// arrows and maths, with Noto Sans CJK SC (fonts-noto-cjk) merged in for the
// Chinese glyphs actually in use — the catalog's when Chinese is shown, and any
// a panel meets in the user's data (a Chinese folder or class name) — so the
// atlas stays small and start-up fast instead of rasterising 20,000 ideographs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

struct ImFontAtlas;

namespace ganvas::gui {

// Text from outside the program (file and folder names, class names, lesson
// files) about to be drawn: its glyphs join the atlas at the next rebuild.
// Cheap when nothing is new.
void note_glyphs(std::string_view utf8);
// Glyphs were noted that the atlas does not have yet: rebuild it between frames.
bool font_glyphs_pending();

// The first Chinese font found ("" when none is installed).
std::string cjk_font_path();

// Fills `atlas` (cleared first) at `pixels`. `chinese`: include the catalog's
// glyphs. Clears the pending flag.
void build_font_atlas(ImFontAtlas& atlas, float pixels, bool chinese);

// Unicode code points of a UTF-8 string (invalid bytes become U+FFFD).
std::vector<unsigned> decode_utf8(std::string_view utf8);

}  // namespace ganvas::gui
