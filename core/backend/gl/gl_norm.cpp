// The GPU backend's norm kernels: none yet, so its ops are refused in one line.
#include <memory>

#include "backend/gl/gl_device.h"

namespace ganvas::gl {

std::unique_ptr<NormKernels> make_gl_norm_kernels(GlBackend& backend) {
    (void)backend;
    return nullptr;
}

}  // namespace ganvas::gl
