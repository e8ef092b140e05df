#include "backend/device.h"

#include <cctype>
#include <string>

namespace ganvas {

const char* device_name(Device d) {
    return d == Device::cpu ? "cpu" : "gpu";
}

std::optional<Device> parse_device(std::string_view text) {
    std::string lower;
    for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "cpu") return Device::cpu;
    if (lower == "gpu") return Device::gpu;
    return std::nullopt;
}

}  // namespace ganvas
