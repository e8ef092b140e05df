// PyTorch's golden files and the one way tests compare against them.
//
// golden("dcgan28/z.npy") loads tests/golden/dcgan28/z.npy (GANVAS_GOLDEN_DIR, set by
// tests/CMakeLists.txt); a missing file fails the test with its name and the script
// that writes it. expect_close(got, want, atol, rtol, what) holds every element to
// |got - want| <= atol + rtol * |want| and, when one is off, reports the worst: its
// index, both values and its tolerance, so a failure says how far off, not only that.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/npy.h"
#include "tensor/tensor.h"

namespace ganvas::testing {

// tests/golden/<relative>; safe at namespace scope, as it checks nothing.
inline std::string golden_path(const std::string& relative) {
    return std::string(GANVAS_GOLDEN_DIR) + "/" + relative;
}

// tests/golden/<relative>, which must exist: a missing file throws, which fails the test
// with a message naming it (the safetensors and text loaders would only say "cannot open").
inline std::string golden_file(const std::string& relative) {
    const std::string path = golden_path(relative);
    if (!std::filesystem::is_regular_file(path))
        throw std::runtime_error("golden file " + path +
                                 " is missing; tests/golden/make_golden.py writes it");
    return path;
}

// The tensor in tests/golden/<relative>, an .npy file.
inline Tensor golden(const std::string& relative) {
    return load_npy(golden_file(relative));
}

namespace detail {

// Where one comparison stands: how many elements are beyond their tolerance and which
// one is furthest beyond it.
struct Closeness {
    std::string mismatch;  // shape or dtype disagreement; empty when they agree
    int64_t beyond = 0;
    int64_t worst = -1;  // flat index; -1 when every element is within tolerance
    double worst_got = 0, worst_want = 0, worst_tolerance = 0;
};

// int64 compares exactly; an infinite `want` needs the same infinity; NaN is never close.
inline Closeness closeness(const Tensor& got, const Tensor& want, double atol, double rtol) {
    Closeness c;
    if (got.dtype() != want.dtype())
        c.mismatch =
            std::string("dtype ") + dtype_name(got.dtype()) + " vs " + dtype_name(want.dtype());
    else if (got.shape() != want.shape())
        c.mismatch = "shape " + shape_str(got.shape()) + " vs " + shape_str(want.shape());
    if (!c.mismatch.empty()) return c;
    const bool ints = want.dtype() == DType::i64;
    constexpr double kInf = std::numeric_limits<double>::infinity();
    double worst_excess = -kInf;
    for (int64_t i = 0; i < want.numel(); ++i) {
        double g, w, tolerance = 0.0, excess;
        if (ints) {
            const int64_t a = got.data_i64()[i], b = want.data_i64()[i];
            g = static_cast<double>(a);
            w = static_cast<double>(b);
            excess = a == b ? 0.0 : std::max(1.0, std::fabs(g - w));
        } else {
            g = got.data()[i];
            w = want.data()[i];
            tolerance = atol + rtol * std::fabs(w);
            excess = std::isinf(w) ? (g == w ? 0.0 : kInf) : std::fabs(g - w) - tolerance;
            if (std::isnan(excess)) excess = kInf;
        }
        if (excess <= 0.0) continue;
        ++c.beyond;
        if (excess > worst_excess) {
            worst_excess = excess;
            c.worst = i;
            c.worst_got = g;
            c.worst_want = w;
            c.worst_tolerance = tolerance;
        }
    }
    return c;
}

// "(1, 0, 3)": a flat index in the tensor's shape.
inline std::string index_str(int64_t flat, const Shape& shape) {
    std::vector<int64_t> index(shape.size());
    for (size_t d = shape.size(); d-- > 0;) {
        index[d] = flat % shape[d];
        flat /= shape[d];
    }
    return shape_str(index);
}

inline std::string number_str(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

}  // namespace detail

// got against want: same dtype, same shape, every element within atol + rtol * |want|.
inline ::testing::AssertionResult all_close(const Tensor& got, const Tensor& want, double atol,
                                            double rtol, const std::string& what) {
    const detail::Closeness c = detail::closeness(got, want, atol, rtol);
    if (!c.mismatch.empty()) return ::testing::AssertionFailure() << what << ": " << c.mismatch;
    if (c.beyond == 0) return ::testing::AssertionSuccess();
    using detail::number_str;
    const std::string rule = want.dtype() == DType::i64 ? "differ"
                                                        : "beyond " + number_str(atol) + " + " +
                                                              number_str(rtol) + " * |want|";
    return ::testing::AssertionFailure()
           << what << ": " << c.beyond << " of " << want.numel() << " elements " << rule
           << "; the worst, at " << detail::index_str(c.worst, want.shape()) << ", is "
           << number_str(c.worst_got) << " against " << number_str(c.worst_want) << ": |diff| "
           << number_str(std::fabs(c.worst_got - c.worst_want)) << ", tolerance "
           << number_str(c.worst_tolerance);
}

inline void expect_close(const Tensor& got, const Tensor& want, double atol, double rtol,
                         const std::string& what) {
    EXPECT_TRUE(all_close(got, want, atol, rtol, what));
}

// Weights after optimizer steps against PyTorch's. Adam moves each weight by about
// lr * sign(grad) a step, so a gradient that is zero up to rounding may flip one step's
// sign: every weight must be within `bound`, and at most one in a thousand further
// than `close`.
class StepMatch {
public:
    StepMatch(double bound, double close) : bound_(bound), close_(close) {}

    void add(const Tensor& got, const Tensor& want, const std::string& what) {
        EXPECT_TRUE(all_close(got, want, bound_, 0.0, what));
        const detail::Closeness c = detail::closeness(got, want, close_, 0.0);
        if (!c.mismatch.empty()) return;
        off_ += c.beyond;
        compared_ += want.numel();
    }

    void expect_few_off() const {
        EXPECT_GT(compared_, 0);
        EXPECT_LE(off_, compared_ / 1000)
            << off_ << " of " << compared_ << " values differ by more than " << close_;
    }

private:
    double bound_, close_;
    int64_t compared_ = 0, off_ = 0;
};

// Every `stride`-th value of a flattened tensor, as the golden scripts store big tensors.
inline Tensor strided(const Tensor& t, int64_t stride) {
    std::vector<float> v;
    for (int64_t i = 0; i < t.numel(); i += stride) v.push_back(t.data()[i]);
    return Tensor::from_vector({static_cast<int64_t>(v.size())}, v);
}

}  // namespace ganvas::testing
