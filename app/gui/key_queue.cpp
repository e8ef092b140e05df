#include "gui/key_queue.h"

#include <GLFW/glfw3.h>

namespace ganvas::gui {

void KeyQueue::on_key(int key, int action, int mods) {
    if (action != GLFW_PRESS && action != GLFW_REPEAT) return;
    if (key == GLFW_KEY_UNKNOWN || presses_.size() >= kCapacity) return;
    presses_.push_back({key, mods, action == GLFW_REPEAT});
}

std::vector<KeyPress> KeyQueue::take() {
    std::vector<KeyPress> out;
    out.swap(presses_);
    return out;
}

}  // namespace ganvas::gui
