#include "backend/gl/gl_backend.h"

#include <stdexcept>

namespace ganvas::gl {

namespace {
const char* kNotBuilt = "the GPU backend is not built yet (issue 17): only --device cpu works";
}  // namespace

Backend& gl_backend() {
    throw std::runtime_error(kNotBuilt);
}

bool gl_backend_available(std::string* why) {
    if (why) *why = kNotBuilt;
    return false;
}

}  // namespace ganvas::gl
