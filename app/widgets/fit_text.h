// Text that fits a width in pixels: a caption under a thumbnail, a label in a
// narrow cell. `measure` gives a string's width (ImGui::CalcTextSize by
// default), so the rules are tested without a font.
#pragma once

#include <functional>
#include <string>

namespace ganvas::gui {

using TextMeasure = std::function<float(const std::string&)>;

// The current ImGui font's width of `text`.
float imgui_text_width(const std::string& text);

// `text` cut to fit `width`, ending in an ellipsis when cut ("Ankle b…").
std::string fit_text(std::string text, float width, const TextMeasure& measure = imgui_text_width);

// A name shortened so it is still a word rather than a stub: the whole name;
// else its part before a '/' ("T-shirt/top" → "T-shirt"); else its last word,
// capitalised ("Ankle boot" → "Boot"); only then cut with an ellipsis.
std::string fit_name(const std::string& name, float width,
                     const TextMeasure& measure = imgui_text_width);

}  // namespace ganvas::gui
