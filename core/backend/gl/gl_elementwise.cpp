// The GPU backend's elementwise kernels: none yet, so its ops are refused in one line.
#include <memory>

#include "backend/gl/gl_device.h"

namespace ganvas::gl {

std::unique_ptr<ElementwiseKernels> make_gl_elementwise_kernels(GlBackend& backend) {
    (void)backend;
    return nullptr;
}

}  // namespace ganvas::gl
