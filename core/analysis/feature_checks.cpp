#include "analysis/feature_checks.h"

#include <cmath>
#include <stdexcept>

namespace ganvas::analysis_detail {

void check_matrix(const Tensor& t, const std::string& fn, const std::string& what,
                  int64_t min_rows) {
    if (!t.defined()) throw std::invalid_argument(fn + ": " + what + " is an undefined tensor");
    if (t.device() != Device::cpu)
        throw std::invalid_argument(fn + ": " + what + " must be on the CPU");
    if (t.dtype() != DType::f32)
        throw std::invalid_argument(fn + ": " + what + " must be float32, got " +
                                    dtype_name(t.dtype()));
    if (t.dim() != 2)
        throw std::invalid_argument(fn + ": " + what + " must be 2-D (rows, columns), got " +
                                    shape_str(t.shape()));
    if (t.size(1) < 1)
        throw std::invalid_argument(fn + ": " + what + " " + shape_str(t.shape()) +
                                    " has no columns");
    if (t.size(0) < min_rows)
        throw std::invalid_argument(fn + ": " + what + " " + shape_str(t.shape()) +
                                    " needs at least " + std::to_string(min_rows) + " rows");
    const float* p = t.data();
    const int64_t cols = t.size(1);
    for (int64_t i = 0; i < t.numel(); ++i) {
        if (!std::isfinite(p[i]))
            throw std::invalid_argument(
                fn + ": " + what + " " + shape_str(t.shape()) + " has a non-finite value at row " +
                std::to_string(i / cols) + ", column " + std::to_string(i % cols));
    }
}

void check_same_width(const Tensor& a, const Tensor& b, const std::string& fn,
                      const std::string& what_a, const std::string& what_b) {
    if (a.size(1) != b.size(1))
        throw std::invalid_argument(fn + ": " + what_a + " " + shape_str(a.shape()) + " and " +
                                    what_b + " " + shape_str(b.shape()) +
                                    " have different feature widths");
}

}  // namespace ganvas::analysis_detail
