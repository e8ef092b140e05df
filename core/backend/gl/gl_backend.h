// The OpenGL 4.3 compute backend: GPU buffers and compute-shader kernels.
#pragma once

#include <string>

#include "backend/backend.h"

namespace ganvas::gl {

// The process's GL backend, opened on first use on a headless EGL context.
// Throws std::runtime_error with one line (renderer, GL version) where no
// GL 4.3 compute context can be made.
Backend& gl_backend();
bool gl_backend_available(std::string* why);

}  // namespace ganvas::gl
