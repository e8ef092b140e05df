#include "backend/gl/gl_context.h"

#include <epoxy/egl.h>
#include <epoxy/gl.h>

#include <dlfcn.h>

#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

namespace ganvas::gl {
namespace {

std::string hex(EGLint code) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%04x", static_cast<unsigned>(code));
    return text;
}

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error("no OpenGL 4.3 compute context: " + what);
}

bool has_client_extension(const char* name) {
    // EGL_NO_DISPLAY asks for the client extensions, which name the platforms.
    const char* list = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
    if (!list) return false;
    const size_t n = std::strlen(name);
    for (const char* p = std::strstr(list, name); p; p = std::strstr(p + 1, name))
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return true;
    return false;
}

// The first EGL device that is not Mesa's software renderer, or EGL_NO_DISPLAY.
EGLDisplay hardware_device_display() {
    if (!has_client_extension("EGL_EXT_platform_base") ||
        !has_client_extension("EGL_EXT_platform_device") ||
        !has_client_extension("EGL_EXT_device_enumeration"))
        return EGL_NO_DISPLAY;
    EGLDeviceEXT devices[16];
    EGLint count = 0;
    if (!eglQueryDevicesEXT(16, devices, &count)) return EGL_NO_DISPLAY;
    for (EGLint i = 0; i < count; ++i) {
        const char* ext = eglQueryDeviceStringEXT(devices[i], EGL_EXTENSIONS);
        if (ext && std::strstr(ext, "EGL_MESA_device_software")) continue;
        EGLDisplay d = eglGetPlatformDisplayEXT(EGL_PLATFORM_DEVICE_EXT, devices[i], nullptr);
        if (d != EGL_NO_DISPLAY) return d;
    }
    return EGL_NO_DISPLAY;
}

bool library_present(std::initializer_list<const char*> names) {
    for (const char* name : names)
        if (void* handle = dlopen(name, RTLD_LAZY | RTLD_LOCAL)) {
            dlclose(handle);
            return true;
        }
    return false;
}

}  // namespace

GlContext::GlContext() {
    // libepoxy aborts the process when a library it loads is missing, so look first.
    if (!library_present({"libEGL.so.1", "libEGL.so"}))
        fail("libEGL.so.1 is not installed (Debian: libegl1 and a driver such as libegl-mesa0)");
    if (!library_present({"libOpenGL.so.0", "libGL.so.1"}))
        fail("neither libOpenGL.so.0 nor libGL.so.1 is installed (Debian: libopengl0)");
    // Candidates in order of preference; the first that initialises wins.
    std::vector<std::pair<std::string, EGLDisplay>> candidates;
    if (EGLDisplay d = hardware_device_display(); d != EGL_NO_DISPLAY)
        candidates.emplace_back("device", d);
    if (has_client_extension("EGL_EXT_platform_base") &&
        has_client_extension("EGL_MESA_platform_surfaceless"))
        candidates.emplace_back(
            "surfaceless",
            eglGetPlatformDisplayEXT(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr));
    candidates.emplace_back("default", eglGetDisplay(EGL_DEFAULT_DISPLAY));
    EGLDisplay display = EGL_NO_DISPLAY;
    EGLint major = 0, minor = 0;
    std::string errors;
    for (const auto& [name, d] : candidates) {
        if (d == EGL_NO_DISPLAY) continue;
        if (eglInitialize(d, &major, &minor)) {
            display = d;
            platform_ = name;
            break;
        }
        errors += (errors.empty() ? "" : ", ") + name + " " + hex(eglGetError());
    }
    if (display == EGL_NO_DISPLAY)
        fail("EGL could not open a display" + (errors.empty() ? "" : " (" + errors + ")"));
    display_ = display;
    if (!eglBindAPI(EGL_OPENGL_API)) {
        eglTerminate(display);
        fail("EGL " + std::to_string(major) + "." + std::to_string(minor) +
             " has no desktop OpenGL (" + hex(eglGetError()) + ")");
    }
    // A config only where the driver needs one to make a context
    // (EGL_KHR_no_config_context lets Mesa and NVIDIA go without).
    EGLConfig config = EGL_NO_CONFIG_KHR;
    if (!epoxy_has_egl_extension(display, "EGL_KHR_no_config_context")) {
        const EGLint wanted[] = {EGL_SURFACE_TYPE, EGL_PBUFFER_BIT, EGL_RENDERABLE_TYPE,
                                 EGL_OPENGL_BIT, EGL_NONE};
        EGLint count = 0;
        if (!eglChooseConfig(display, wanted, &config, 1, &count) || count < 1)
            config = EGL_NO_CONFIG_KHR;
    }
    // No surface: compute needs none (EGL_KHR_surfaceless_context).
    const EGLint attributes[] = {EGL_CONTEXT_MAJOR_VERSION,
                                 4,
                                 EGL_CONTEXT_MINOR_VERSION,
                                 3,
                                 EGL_CONTEXT_OPENGL_PROFILE_MASK,
                                 EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                                 EGL_NONE};
    EGLContext context = eglCreateContext(display, config, EGL_NO_CONTEXT, attributes);
    if (context == EGL_NO_CONTEXT) {
        const EGLint error = eglGetError();
        // What the driver does offer, for the message: any context it will make.
        std::string found = "EGL " + std::to_string(major) + "." + std::to_string(minor);
        if (const char* vendor = eglQueryString(display, EGL_VENDOR))
            found += std::string(" from ") + vendor;
        const EGLint any[] = {EGL_NONE};
        EGLContext fallback = eglCreateContext(display, config, EGL_NO_CONTEXT, any);
        if (fallback != EGL_NO_CONTEXT &&
            eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, fallback)) {
            const char* r = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
            const char* v = reinterpret_cast<const char*>(glGetString(GL_VERSION));
            found = std::string(r ? r : "?") + ", OpenGL " + (v ? v : "?");
            eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
        }
        if (fallback != EGL_NO_CONTEXT) eglDestroyContext(display, fallback);
        eglTerminate(display);
        fail("found " + found + ", which cannot make a 4.3 core context (" + hex(error) + ")");
    }
    context_ = context;
    if (!eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context)) {
        const EGLint error = eglGetError();
        eglDestroyContext(display, context);
        eglTerminate(display);
        fail("eglMakeCurrent without a surface failed (" + hex(error) + ")");
    }
    const char* r = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
    const char* v = reinterpret_cast<const char*>(glGetString(GL_VERSION));
    renderer_ = r ? r : "unknown renderer";
    version_ = v ? v : "unknown version";
    const int gl_version = epoxy_gl_version();
    eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    if (gl_version < 43) {
        eglDestroyContext(display, context);
        eglTerminate(display);
        fail("found " + renderer_ + ", OpenGL " + version_ + ", older than 4.3");
    }
    config_ = config;
}

void* GlContext::open_for_this_thread() const {
    EGLDisplay display = static_cast<EGLDisplay>(display_);
    const EGLint attributes[] = {EGL_CONTEXT_MAJOR_VERSION,
                                 4,
                                 EGL_CONTEXT_MINOR_VERSION,
                                 3,
                                 EGL_CONTEXT_OPENGL_PROFILE_MASK,
                                 EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                                 EGL_NONE};
    // The client API is per-thread state in EGL; a new thread starts with GLES.
    if (!eglBindAPI(EGL_OPENGL_API))
        throw std::runtime_error("GPU: EGL has no desktop OpenGL on a new thread (" +
                                 hex(eglGetError()) + ")");
    // Shares the root's objects, so buffers pass between threads' contexts.
    EGLContext context = eglCreateContext(display, static_cast<EGLConfig>(config_),
                                          static_cast<EGLContext>(context_), attributes);
    if (context == EGL_NO_CONTEXT)
        throw std::runtime_error("GPU: no OpenGL context for another thread on " + renderer_ +
                                 " (" + hex(eglGetError()) + ")");
    if (!eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context)) {
        const EGLint error = eglGetError();
        eglDestroyContext(display, context);
        throw std::runtime_error("GPU: eglMakeCurrent failed on a new thread (" + hex(error) + ")");
    }
    return context;
}

void GlContext::close_for_this_thread(void* context) const {
    EGLDisplay display = static_cast<EGLDisplay>(display_);
    eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    eglDestroyContext(display, static_cast<EGLContext>(context));
}

GlContext::~GlContext() {
    EGLDisplay display = static_cast<EGLDisplay>(display_);
    eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    eglDestroyContext(display, static_cast<EGLContext>(context_));
    eglTerminate(display);
}

}  // namespace ganvas::gl
