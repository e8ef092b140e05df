// Small ImGui helpers every panel uses: explanatory tooltips, hints and text buffers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ganvas::gui {

// Shows `text` as a tooltip wrapped to a readable width.
void wrapped_tooltip(const char* text);
// wrapped_tooltip for the last item while it is hovered, also when it is disabled.
void item_tooltip(const char* text);
// A grey "(?)" that explains itself on hover.
void help_marker(const char* text);
// A heading followed by its help_marker, the heading wrapped so that the marker
// stays inside the window however narrow it is.
void heading_with_help(const char* title, const char* help);
// Grey text wrapped at the window's edge: what to do next, where a plot or image will be.
void hint(const char* text);
// ImGui::TextWrapped for text that may be Chinese, which ImGui 1.86 wraps only at
// spaces: wrapped at `width` pixels (0: the window's edge), between Chinese
// characters too (widgets/fit_text.h's wrap_lines).
void text_wrapped(const char* text, float width = 0);

// An error message in the interface's language (i18n/error_text.h), red and
// wrapped at the window's edge; the glyphs of a path in it join the font.
void error_text(std::string_view english);
// The same for a message already in the interface's language.
void failure_text(const std::string& shown);

// A series' or run's name: a short stroke of its colour, then the name in the
// text's colour. A mid-tone line colour used as text reads at about 3:1 on
// either theme, short of the 4.5:1 text wants.
void colour_label(uint32_t colour, const char* name);

// Copies `s` into an ImGui text buffer of `size` bytes, cut to fit.
void copy_to_buffer(char* buf, size_t size, const std::string& s);

}  // namespace ganvas::gui
