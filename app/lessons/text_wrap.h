// Line breaking for lesson text in both languages. ImGui 1.86 wraps only at
// spaces, so a Chinese sentence (no spaces between words) broke wherever it
// mixed in a Latin letter, leaving short ragged lines. Here a line may break
// between any two Chinese characters or at a space, but not before closing
// punctuation (，。）) nor after opening punctuation (（“), as Chinese
// typesetting does; a Latin word is never split unless it alone is too wide.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace ganvas::lessons {

// The lines of `utf8` no wider than `width` by `measure` (ImGui::CalcTextSize in
// the window); '\n' always breaks. Spaces at a break are dropped.
std::vector<std::string> wrap_lines(std::string_view utf8, float width,
                                    const std::function<float(std::string_view)>& measure);

}  // namespace ganvas::lessons
