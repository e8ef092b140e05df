// A row of controls that wraps like words in a paragraph: a row of sliders,
// buttons or a status line after them continues on the next line when the
// window is too narrow for all of them (a 1024-pixel projector in large type),
// rather than running past the window's edge.
#pragma once

namespace ganvas::gui {

// Call between two items instead of ImGui::SameLine(): the next item, `next_width`
// pixels wide, goes on the same line, `spacing` after the last (default: the
// style's item spacing), when it fits before the right edge of the content
// region, else at the start of the next line. Returns whether it stayed.
bool same_line_if_fits(float next_width, float spacing = -1.0f);

// The width of a widget whose frame is `frame_width` wide with `label` to its
// right (a slider, a combo): the label's visible part, up to "##", counts.
float labelled_width(float frame_width, const char* label);

// The width of ImGui::Button(label) and of ImGui::Checkbox(label) at the current font.
float button_width(const char* label);
float checkbox_width(const char* label);

}  // namespace ganvas::gui
