// A text field for a file path that shows the path's end when it is too long.
// ImGui's InputText shows the start of its text, so a long path showed its
// folders and hid the file name; while not being edited, this field shows
// "…/demo/products.tfrecord" instead, the whole path on hover, and becomes an
// ordinary input field when clicked.
#pragma once

#include <imgui.h>

#include <cstddef>

namespace ganvas::gui {

// Like ImGui::InputText(id, buf, size, flags) with the next item width set to
// `width`; returns what InputText returns (true on an edit, or on Enter with
// ImGuiInputTextFlags_EnterReturnsTrue).
bool path_field(const char* id, char* buf, size_t size, float width, ImGuiInputTextFlags flags = 0);

}  // namespace ganvas::gui
