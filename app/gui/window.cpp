#include "gui/window.h"

#include <epoxy/gl.h>  // before GLFW: the GL the ImGui backend loads (app/CMakeLists.txt)

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "gui/fonts.h"

namespace ganvas::gui {
namespace {

std::string last_glfw_error;

void on_glfw_error(int code, const char* text) {
    last_glfw_error = text ? text : ("GLFW error " + std::to_string(code));
}

}  // namespace

std::unique_ptr<Window> Window::open(int width, int height, const std::string& title,
                                     const std::string& ini_path, std::string* why) {
    glfwSetErrorCallback(on_glfw_error);
    if (!glfwInit()) {
        if (why) *why = "no display (" + last_glfw_error + ")";
        return nullptr;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    // ImGui draws in 2-D: no depth or stencil buffer for a software renderer to keep.
    glfwWindowHint(GLFW_DEPTH_BITS, 0);
    glfwWindowHint(GLFW_STENCIL_BITS, 0);
    GLFWwindow* w = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
    if (!w) {
        if (why) *why = "cannot open an OpenGL 3.3 window (" + last_glfw_error + ")";
        glfwTerminate();
        return nullptr;
    }
    glfwMakeContextCurrent(w);
    glfwSwapInterval(1);

    std::unique_ptr<Window> self(new Window());
    self->window_ = w;
    self->ini_path_ = ini_path;
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = self->ini_path_.empty() ? nullptr : self->ini_path_.c_str();
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    // Installed first, so ImGui's backend chains to them: they count events (and queue keys).
    glfwSetWindowUserPointer(w, self.get());
    glfwSetCursorPosCallback(w, [](GLFWwindow* w, double, double) { count_input(w); });
    glfwSetMouseButtonCallback(w, [](GLFWwindow* w, int, int, int) { count_input(w); });
    glfwSetScrollCallback(w, [](GLFWwindow* w, double, double) { count_input(w); });
    // Keys are queued too: ImGui's own callback, which chains to this one,
    // only records which keys are down, and a quick tap is up again by the next frame.
    glfwSetKeyCallback(w, [](GLFWwindow* w, int key, int, int action, int mods) {
        count_input(w);
        if (auto* self = static_cast<Window*>(glfwGetWindowUserPointer(w))) {
            self->keys_.on_key(key, action, mods);
            self->replay_.on_key(key, action);
        }
    });
    glfwSetCharCallback(w, [](GLFWwindow* w, unsigned) { count_input(w); });
    glfwSetWindowSizeCallback(w, [](GLFWwindow* w, int, int) { count_input(w); });
    glfwSetWindowFocusCallback(w, [](GLFWwindow* w, int) { count_input(w); });
    ImGui_ImplGlfw_InitForOpenGL(w, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");
    return self;
}

void Window::count_input(GLFWwindow* w) {
    if (auto* self = static_cast<Window*>(glfwGetWindowUserPointer(w))) ++self->input_events_;
}

Window::~Window() {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window_);
    glfwTerminate();
}

bool Window::should_close() const {
    return glfwWindowShouldClose(window_);
}

void Window::request_close() {
    glfwSetWindowShouldClose(window_, GLFW_TRUE);
}

void Window::wait_events(double timeout_s) {
    if (timeout_s > 0)
        glfwWaitEventsTimeout(timeout_s);
    else
        glfwPollEvents();
}

void Window::size(int* width, int* height) const {
    glfwGetWindowSize(window_, width, height);
}

void Window::set_fullscreen(bool on) {
    if (on == fullscreen_) return;
    if (on) {
        GLFWmonitor* monitor = glfwGetPrimaryMonitor();
        const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
        if (!mode) return;  // no monitor to fill: stay a window
        glfwGetWindowPos(window_, &windowed_x_, &windowed_y_);
        glfwGetWindowSize(window_, &windowed_w_, &windowed_h_);
        glfwSetWindowMonitor(window_, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
    } else {
        glfwSetWindowMonitor(window_, nullptr, windowed_x_, windowed_y_, windowed_w_, windowed_h_,
                             GLFW_DONT_CARE);
    }
    fullscreen_ = on;
}

std::string Window::renderer() const {
    const auto* text = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
    return text ? text : "unknown";
}

bool Window::software_renderer() const {
    const std::string r = renderer();
    return r.find("llvmpipe") != std::string::npos || r.find("softpipe") != std::string::npos ||
           r.find("Software") != std::string::npos;
}

void Window::park_cursor() {
    int w = 0, h = 0;
    glfwGetWindowSize(window_, &w, &h);
    glfwSetCursorPos(window_, w + 10, h + 10);
}

void Window::begin_frame() {
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGuiIO& io = ImGui::GetIO();
    replay_.apply(io.KeysDown, static_cast<int>(IM_ARRAYSIZE(io.KeysDown)),
                  [&](int key) { return glfwGetKey(window_, key) == GLFW_PRESS; });
    ImGui::NewFrame();
}

void Window::end_frame(std::vector<uint8_t>* capture, int* capture_w, int* capture_h) {
    ImGui::Render();
    int w = 0, h = 0;
    glfwGetFramebufferSize(window_, &w, &h);
    glViewport(0, 0, w, h);
    // The main window has no background fill; the clear is its background, at no cost.
    const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (capture) {
        capture->assign(static_cast<size_t>(w) * h * 4, 0);
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glReadBuffer(GL_BACK);
        glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, capture->data());
        // GL's rows run bottom to top; PNG's top to bottom.
        const size_t row = static_cast<size_t>(w) * 4;
        std::vector<uint8_t> tmp(row);
        for (int y = 0; y < h / 2; ++y) {
            uint8_t* a = capture->data() + y * row;
            uint8_t* b = capture->data() + (h - 1 - y) * row;
            std::memcpy(tmp.data(), a, row);
            std::memcpy(a, b, row);
            std::memcpy(b, tmp.data(), row);
        }
        if (capture_w) *capture_w = w;
        if (capture_h) *capture_h = h;
    }
    glfwSwapBuffers(window_);
}

void Window::set_font(float pixels, bool chinese) {
    ImGuiIO& io = ImGui::GetIO();
    build_font_atlas(*io.Fonts, pixels, chinese);
    io.FontGlobalScale = 1.0f;
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
}

}  // namespace ganvas::gui
