// KeyQueue: every key press since the app last looked, in order. Debian's
// Dear ImGui 1.86 keeps only whether a key is down at the start of a frame, so
// a press and release within one frame (a presenter's clicker, a fast typist,
// a slow software-rendered frame) never shows as pressed; its input queue
// arrived in 1.87. The window's GLFW key callback feeds this queue instead,
// and the shortcut handling drains it once a frame.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
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

// KeyReplay: the same quick taps, shown to ImGui itself, for the widgets and
// panels that ask ImGui::IsKeyPressed (the Samples and Data tabs' arrows).
// ImGui 1.86 counts a press when a key is down at a frame's start and was not
// at the last one, so a tap missed between two frames is replayed as one
// frame down, and several taps of one key as down, up, down, ... one frame
// each. Keys the user still holds are ImGui's own business.
class KeyReplay {
public:
    void on_key(int key, int action);  // what a GLFW key callback receives
    // Before ImGui::NewFrame: sets `keys_down` (ImGuiIO::KeysDown, `count` of
    // them) for this frame; `held` says whether a key is physically down now.
    void apply(bool* keys_down, int count, const std::function<bool(int)>& held);
    bool pending() const { return !keys_.empty(); }  // frames still needed to replay

private:
    struct State {
        int owed = 0;         // taps ImGui has not seen yet
        bool forced = false;  // shown down last frame by us, not by the user
        bool was_down = false;
    };
    std::map<int, State> keys_;
};

}  // namespace ganvas::gui
