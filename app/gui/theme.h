// The look: ImGui's dark or light colours with softer corners and spacing,
// every size multiplied by the UI scale.
#pragma once

#include <string>

namespace ganvas::gui {

void apply_theme(const std::string& name, float scale);

}  // namespace ganvas::gui
