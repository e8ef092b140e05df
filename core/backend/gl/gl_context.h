// A headless OpenGL 4.3 core context for compute: no window, no display.
//
// EGL opens it without an X server: a hardware device through
// EGL_EXT_platform_device where one is listed, else Mesa's surfaceless
// platform (llvmpipe on a machine without a GPU, which is how CI runs the GPU
// tests), else the default display. GL functions come through libepoxy.
//
// Threading: a GL context is current on one thread at a time, so the rule is
// one context per thread that runs kernels. This root context is current
// nowhere; each thread that runs kernels opens its own, sharing the root's
// objects (buffers), and keeps it current until it ends.
#pragma once

#include <string>

namespace ganvas::gl {

class GlContext {
public:
    // Throws std::runtime_error with one line naming what was found (the EGL
    // error, or GL_RENDERER and GL_VERSION) where no GL 4.3 core context opens.
    GlContext();
    ~GlContext();
    GlContext(const GlContext&) = delete;
    GlContext& operator=(const GlContext&) = delete;

    // A new context sharing this one's objects, made current on the calling
    // thread; throws std::runtime_error with one line where it cannot.
    void* open_for_this_thread() const;
    // Releases and destroys a context from open_for_this_thread(), on its thread.
    void close_for_this_thread(void* context) const;

    const std::string& renderer() const { return renderer_; }
    const std::string& version() const { return version_; }
    // Which EGL platform opened it: "device", "surfaceless" or "default".
    const std::string& platform() const { return platform_; }

private:
    void* display_ = nullptr;  // EGLDisplay
    void* config_ = nullptr;   // EGLConfig, or none
    void* context_ = nullptr;  // EGLContext: the root of the share group
    std::string renderer_, version_, platform_;
};

}  // namespace ganvas::gl
