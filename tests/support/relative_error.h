// How far a backend's values are from the CPU's, for the tests that compare the
// GPU kernels with the CPU ones.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

namespace ganvas::testing {

// The largest difference relative to the CPU values' largest magnitude (at least 1).
inline double relative_error(const std::vector<float>& expected, const std::vector<float>& actual) {
    double scale = 1.0, worst = 0.0;
    for (float e : expected) scale = std::max(scale, std::abs(static_cast<double>(e)));
    for (size_t i = 0; i < expected.size() && i < actual.size(); ++i)
        worst = std::max(worst, std::abs(static_cast<double>(expected[i]) - actual[i]));
    return worst / scale;
}

}  // namespace ganvas::testing
