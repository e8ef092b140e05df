#include "backend/backend.h"

#include <stdexcept>
#include <string>

#include "backend/cpu/cpu_backend.h"
#include "backend/gl/gl_backend.h"

namespace ganvas {

void Backend::missing(const char* family) const {
    std::string op = current_op();
    throw std::runtime_error((op.empty() ? std::string("this op") : op) + " has no " + family +
                             " kernels on the " + device_name(device()) + " backend yet");
}

Backend& backend_for(Device device) {
    if (device == Device::cpu) return cpu::cpu_backend();
    return gl::gl_backend();
}

bool backend_available(Device device, std::string* why) {
    if (device == Device::cpu) return true;
    return gl::gl_backend_available(why);
}

}  // namespace ganvas
