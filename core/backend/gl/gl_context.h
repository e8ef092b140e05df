// A headless OpenGL 4.3 core context for compute: no window, no display.
//
// EGL opens it without an X server: a hardware device through
// EGL_EXT_platform_device where one is listed, else Mesa's surfaceless
// platform (llvmpipe on a machine without a GPU, which is how CI runs the GPU
// tests), else the default display. GL functions come through libepoxy.
//
// Threading: a GL context is current on one thread at a time, so the rule is
// one context per thread that runs kernels. This one is made current on the
// thread that opens it and stays there; the GPU backend refuses calls from
// other threads (the window's trainer thread will get a context of its own).
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

    const std::string& renderer() const { return renderer_; }
    const std::string& version() const { return version_; }
    // Which EGL platform opened it: "device", "surfaceless" or "default".
    const std::string& platform() const { return platform_; }

private:
    void* display_ = nullptr;  // EGLDisplay
    void* context_ = nullptr;  // EGLContext
    std::string renderer_, version_, platform_;
};

}  // namespace ganvas::gl
