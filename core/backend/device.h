// Where a tensor's memory lives: host memory (the CPU backend) or a GPU
// buffer (the OpenGL compute backend).
#pragma once

#include <optional>
#include <string_view>

namespace ganvas {

enum class Device { cpu, gpu };

const char* device_name(Device d);  // "cpu", "gpu"
// "cpu" or "gpu" (any case); nullopt for anything else.
std::optional<Device> parse_device(std::string_view text);

}  // namespace ganvas
