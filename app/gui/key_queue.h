// KeyQueue: every key press since the app last looked, in order. Debian's
// Dear ImGui 1.86 keeps only whether a key is down at the start of a frame, so
// a press and release within one frame (a presenter's clicker, a fast typist,
// a slow software-rendered frame) never shows as pressed; its input queue
// arrived in 1.87. The window's GLFW key callback feeds this queue instead,
// and the shortcut handling drains it once a frame.
#pragma once

#include <cstddef>
#include <vector>

namespace ganvas::gui {

struct KeyPress {
    int key = 0;          // GLFW_KEY_*
    int mods = 0;         // GLFW_MOD_* held with it
    bool repeat = false;  // the key is held and the system repeats it
};

class KeyQueue {
public:
    // What a GLFW key callback receives; releases are not queued.
    void on_key(int key, int action, int mods);
    // The presses since the last take(), oldest first; the queue is left empty.
    std::vector<KeyPress> take();
    size_t size() const { return presses_.size(); }

    // Nobody draining it (a window that stopped drawing) must not grow it without end.
    static constexpr size_t kCapacity = 256;

private:
    std::vector<KeyPress> presses_;
};

}  // namespace ganvas::gui
