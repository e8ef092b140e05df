#include "gui/key_queue.h"

#include <GLFW/glfw3.h>

#include <algorithm>

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

void KeyReplay::on_key(int key, int action) {
    if (action != GLFW_PRESS || key < 0) return;
    State& k = keys_[key];
    k.owed = std::min(k.owed + 1, static_cast<int>(KeyQueue::kCapacity));
}

void KeyReplay::apply(bool* keys_down, int count, const std::function<bool(int)>& held) {
    for (auto it = keys_.begin(); it != keys_.end();) {
        const int key = it->first;
        State& k = it->second;
        if (key >= count) {
            it = keys_.erase(it);
            continue;
        }
        if (held(key)) {
            // Down at this frame's start: ImGui sees this press itself.
            if (!k.was_down && k.owed > 0) --k.owed;
            k.forced = false;
            k.was_down = true;
        } else if (k.was_down) {
            keys_down[key] = false;  // up for a frame, so the next replay is a new press
            k.forced = false;
            k.was_down = false;
        } else if (k.owed > 0) {
            keys_down[key] = true;
            k.forced = true;
            k.was_down = true;
            --k.owed;
        }
        it = k.owed == 0 && !k.was_down ? keys_.erase(it) : std::next(it);
    }
}

}  // namespace ganvas::gui
