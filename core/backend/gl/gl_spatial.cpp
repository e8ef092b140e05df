// The GPU backend's spatial kernels: none yet, so its ops are refused in one line.
#include <memory>

#include "backend/gl/gl_device.h"

namespace ganvas::gl {

std::unique_ptr<SpatialKernels> make_gl_spatial_kernels(GlBackend& backend) {
    (void)backend;
    return nullptr;
}

}  // namespace ganvas::gl
