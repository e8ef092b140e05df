// Overflow-checked integer arithmetic for sizes that come from files and users.
//
// A size read from a header (a shape, a record length, an image's height) must not
// wrap to a small number and pass a later check: height 2^62+1 times width 4 is 4 in
// int64 arithmetic. These helpers throw std::overflow_error naming what overflowed
// instead, so the caller's message can say which file or layer was at fault.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace ganvas {

// a * b, or std::overflow_error "WHAT overflows: A x B".
inline int64_t checked_mul(int64_t a, int64_t b, const char* what) {
    int64_t out = 0;
    if (__builtin_mul_overflow(a, b, &out))
        throw std::overflow_error(std::string(what) + " overflows: " + std::to_string(a) + " x " +
                                  std::to_string(b));
    return out;
}

// a + b, or std::overflow_error "WHAT overflows: A + B".
inline int64_t checked_add(int64_t a, int64_t b, const char* what) {
    int64_t out = 0;
    if (__builtin_add_overflow(a, b, &out))
        throw std::overflow_error(std::string(what) + " overflows: " + std::to_string(a) + " + " +
                                  std::to_string(b));
    return out;
}

// a - b, or std::overflow_error "WHAT overflows: A - B".
inline int64_t checked_sub(int64_t a, int64_t b, const char* what) {
    int64_t out = 0;
    if (__builtin_sub_overflow(a, b, &out))
        throw std::overflow_error(std::string(what) + " overflows: " + std::to_string(a) + " - " +
                                  std::to_string(b));
    return out;
}

// The product of a shape's nonzero dimensions: what loops over the shape's other axes
// multiply up to even when one axis is empty, so (0, 2^63-1, 2^63-1) must not pass as
// "0 values". Throws std::invalid_argument for a negative dimension and
// std::overflow_error when the product does not fit in int64.
inline int64_t checked_extent(const std::vector<int64_t>& shape) {
    int64_t n = 1;
    for (int64_t d : shape) {
        if (d < 0) throw std::invalid_argument("negative dimension " + std::to_string(d));
        if (d != 0) n = checked_mul(n, d, "the shape's size");
    }
    return n;
}

// The number of values of a shape, with checked_extent's checks.
inline int64_t checked_numel(const std::vector<int64_t>& shape) {
    const int64_t extent = checked_extent(shape);
    for (int64_t d : shape)
        if (d == 0) return 0;
    return extent;
}

}  // namespace ganvas
