// The GPU backend's reduce kernels: none yet, so its ops are refused in one line.
#include <memory>

#include "backend/gl/gl_device.h"

namespace ganvas::gl {

std::unique_ptr<ReduceKernels> make_gl_reduce_kernels(GlBackend& backend) {
    (void)backend;
    return nullptr;
}

}  // namespace ganvas::gl
