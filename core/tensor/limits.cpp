#include "tensor/limits.h"

#include <cerrno>
#include <cstdlib>
#include <limits>
#include <stdexcept>

#include "tensor/checked_math.h"
#include "tensor/tensor.h"

namespace ganvas {
namespace {

// A whole number from the environment within [1, ceiling] (lowering works too); anything else is an
// error naming the variable, so a typo does not silently leave the limit where it was.
int64_t limit_from_env(const char* name, int64_t fallback, int64_t ceiling) {
    const char* text = std::getenv(name);
    if (!text || !*text) return fallback;
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(text, &end, 10);
    if (errno != 0 || *end != '\0' || v < 1 || v > ceiling)
        throw std::invalid_argument(std::string(name) + "='" + text +
                                    "' is not a whole number from 1 to " + std::to_string(ceiling));
    return v;
}

}  // namespace

int64_t max_tensor_values() {
    return limit_from_env("GANVAS_MAX_TENSOR_VALUES", kDefaultMaxTensorValues,
                          kMaxTensorValuesCeiling);
}

int64_t max_file_bytes() {
    return limit_from_env("GANVAS_MAX_FILE_BYTES", kDefaultMaxFileBytes, int64_t(1) << 40);
}

int64_t check_tensor_shape(const std::vector<int64_t>& shape) {
    int64_t extent = 0;
    try {
        extent = checked_extent(shape);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(std::string(e.what()) + " in shape " + shape_str(shape));
    } catch (const std::overflow_error&) {
        extent = -1;
    }
    const int64_t limit = max_tensor_values();
    if (extent >= 0 && extent <= limit) return checked_numel(shape);
    // An empty axis makes no values, but loops over the other axes would still run
    // `extent` times, so such a shape is refused by the same limit.
    bool empty = false;
    for (int64_t d : shape) empty = empty || d == 0;
    const std::string size = extent < 0 ? "more than 2^63" : std::to_string(extent);
    const std::string count = empty ? "no values but spans " + size : size + " values";
    throw std::invalid_argument("shape " + shape_str(shape) + " has " + count +
                                ", more than the limit of " + std::to_string(limit) +
                                " values a tensor (GANVAS_MAX_TENSOR_VALUES raises it)");
}

}  // namespace ganvas
