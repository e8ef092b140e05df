// Window: a GLFW window with an OpenGL 3.3 core context and Dear ImGui set up
// on it (Debian's imgui 1.86 with its GLFW and OpenGL3 backends). RAII: the
// destructor shuts ImGui and GLFW down in the right order.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gui/key_queue.h"

struct GLFWwindow;

namespace ganvas::gui {

class Window {
public:
    // nullptr when there is no display or no OpenGL 3.3; `why` then says which.
    // `ini_path` empty keeps ImGui from reading or writing a layout file.
    static std::unique_ptr<Window> open(int width, int height, const std::string& title,
                                        const std::string& ini_path, std::string* why);
    ~Window();
    Window(const Window&) = delete;
    Window& operator=(const Window&) = delete;

    bool should_close() const;
    void request_close();
    // Waits up to `timeout_s` for input (0: just polls).
    void wait_events(double timeout_s);
    // Grows with every mouse, key, scroll or resize event: "did anything happen?"
    uint64_t input_events() const { return input_events_; }
    // Every key press since the last call, even one released within the same
    // frame, which ImGui 1.86's IsKeyPressed() never sees (gui/key_queue.h).
    std::vector<KeyPress> take_key_presses() { return keys_.take(); }
    // Quick taps are still being shown to ImGui, a frame each: keep drawing.
    bool replaying_keys() const { return replay_.pending(); }
    void size(int* width, int* height) const;
    // Full screen on the primary monitor, or back to the window's size and place
    // before it went full screen.
    void set_fullscreen(bool on);
    bool fullscreen() const { return fullscreen_; }
    // GL_RENDERER, and whether it is Mesa's software rasteriser (llvmpipe, softpipe).
    std::string renderer() const;
    bool software_renderer() const;
    // Moves the pointer just outside the window (for screenshots).
    void park_cursor();

    void begin_frame();
    // Renders the ImGui frame and shows it; with `capture`, the frame's pixels
    // (RGBA, rows top to bottom) are copied out first.
    void end_frame(std::vector<uint8_t>* capture = nullptr, int* capture_w = nullptr,
                   int* capture_h = nullptr);

    // Builds the font atlas at `pixels` (gui/fonts.h), with the Chinese
    // catalog's glyphs when `chinese`. Call between frames.
    void set_font(float pixels, bool chinese);

private:
    Window() = default;
    static void count_input(GLFWwindow* w);
    GLFWwindow* window_ = nullptr;
    uint64_t input_events_ = 0;
    KeyQueue keys_;
    KeyReplay replay_;
    std::string ini_path_;  // ImGui keeps a pointer to it
    bool fullscreen_ = false;
    int windowed_x_ = 0, windowed_y_ = 0, windowed_w_ = 0, windowed_h_ = 0;
};

}  // namespace ganvas::gui
