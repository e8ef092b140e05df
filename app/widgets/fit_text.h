// Text that fits a width in pixels: a caption under a thumbnail, a label in a
// narrow cell. `measure` gives a string's width (ImGui::CalcTextSize by
// default), so the rules are tested without a font.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace ganvas::gui {

using TextMeasure = std::function<float(const std::string&)>;

// The current ImGui font's width of `text`.
float imgui_text_width(const std::string& text);

// `text` cut to fit `width`, ending in an ellipsis when cut ("Ankle b…").
std::string fit_text(std::string text, float width, const TextMeasure& measure = imgui_text_width);

// A file path cut at its front to fit `width`, so that its file name stays
// ("…/demo/products.tfrecord"); cut after a '/' where one is left in the tail.
std::string fit_path(std::string_view path, float width,
                     const TextMeasure& measure = imgui_text_width);

// A name shortened so it is still a word rather than a stub: the whole name;
// else its part before a '/' ("T-shirt/top" → "T-shirt"); else its last word,
// capitalised ("Ankle boot" → "Boot"); only then cut with an ellipsis.
std::string fit_name(const std::string& name, float width,
                     const TextMeasure& measure = imgui_text_width);

// `text` with line breaks so that no line is wider than `width`. Lines break at
// spaces, as ImGui's own wrapping does, and also between two Chinese characters
// (ImGui 1.86 breaks only at spaces and ASCII punctuation, so a Chinese sentence
// ran past the edge or jumped whole to the next line), though never before a
// closing mark (，。）”) nor after an opening one (（“). A word wider than a line
// is cut where it reaches the edge. Existing line breaks are kept.
std::string wrap_lines(std::string_view text, float width,
                       const TextMeasure& measure = imgui_text_width);

// Whether `text` holds a Chinese (CJK) character or punctuation mark.
bool has_cjk(std::string_view text);

}  // namespace ganvas::gui
