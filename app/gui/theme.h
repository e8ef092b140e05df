// The look: ImGui's dark or light colours with softer corners and spacing,
// every size multiplied by the UI scale.
#pragma once

#include <string>

namespace ganvas::gui {

// `antialias` off draws lines and fills without soft edges: about 20% less work
// a frame for a software renderer (llvmpipe), which has no GPU to spare.
void apply_theme(const std::string& name, float scale, bool antialias);

}  // namespace ganvas::gui
