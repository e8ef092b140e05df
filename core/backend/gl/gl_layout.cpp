// The GPU backend's layout kernels: none yet, so its ops are refused in one line.
#include <memory>

#include "backend/gl/gl_device.h"

namespace ganvas::gl {

std::unique_ptr<LayoutKernels> make_gl_layout_kernels(GlBackend& backend) {
    (void)backend;
    return nullptr;
}

}  // namespace ganvas::gl
