// Presentation mode, for a projector and the back of a room: full screen, type
// at about 3% of the window's height (so it follows a resize), the sidebar
// folded away, a large pointer and a ripple at every click so students see what
// is pressed. Leaving it gives back the layout it started from, exactly: the
// window's size and place (Window::set_fullscreen), and the UI scale and the
// sidebar, which presentation mode never changes but only overrides.
#pragma once

#include <imgui.h>

#include <vector>

namespace ganvas::gui {

// The font size, in pixels, for a window `height` pixels high: 3% of it.
float presentation_font_pixels(int height);

class Presentation {
public:
    bool on() const { return on_; }
    void set(bool on) {
        on_ = on;
        sidebar_shown_ = false;  // folded on entering; one key brings it back
        ripples_.clear();
    }
    // The sidebar while presenting (Ctrl+B toggles it); the user's own choice stays apart.
    bool sidebar_shown() const { return sidebar_shown_; }
    void toggle_sidebar() { sidebar_shown_ = !sidebar_shown_; }

    // A ripple at each click, drawn over everything. Returns whether one is
    // still growing (the window then keeps drawing frames).
    bool draw_click_ripples();

private:
    struct Ripple {
        ImVec2 at;
        double start;
    };
    bool on_ = false;
    bool sidebar_shown_ = false;
    std::vector<Ripple> ripples_;
};

}  // namespace ganvas::gui
