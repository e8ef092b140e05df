// Checked size arithmetic and the tensor-size limit: sizes from files must fail with a
// message, never wrap to a small number and pass a later check.
#include <gtest/gtest.h>

#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string>

#include "ops/shape_ops.h"
#include "tensor/checked_math.h"
#include "tensor/limits.h"
#include "tensor/tensor.h"

using namespace ganvas;

namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

template <typename Fn>
std::string message_of(Fn fn) {
    try {
        fn();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(no error)";
}

// Sets an environment variable for one scope.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : name_(name) { setenv(name, value, 1); }
    ~ScopedEnv() { unsetenv(name_); }

private:
    const char* name_;
};

}  // namespace

TEST(CheckedMath, MultiplicationThatWrapsIsAnErrorNamingIt) {
    EXPECT_EQ(checked_mul(3, 4, "x"), 12);
    // 2^62+1 times 4 is 4 in wrapping arithmetic: the case from a hostile TFRecord.
    const int64_t h = (int64_t(1) << 62) + 1;
    EXPECT_EQ(message_of([&] { checked_mul(h, 4, "the image size"); }),
              "the image size overflows: 4611686018427387905 x 4");
    EXPECT_THROW(checked_mul(-kMax, 2, "x"), std::overflow_error);
    EXPECT_EQ(checked_add(kMax - 1, 1, "x"), kMax);
    EXPECT_THROW(checked_add(kMax, 1, "x"), std::overflow_error);
    EXPECT_THROW(checked_sub(-kMax, 2, "x"), std::overflow_error);
}

TEST(CheckedMath, NumelOfAShapeWithAnEmptyAxisStillChecksTheOthers) {
    EXPECT_EQ(checked_numel({2, 3, 4}), 24);
    EXPECT_EQ(checked_numel({}), 1);
    EXPECT_EQ(checked_numel({0, 5}), 0);
    EXPECT_EQ(checked_extent({0, 5, 7}), 35);
    EXPECT_THROW(checked_numel({0, kMax, kMax}), std::overflow_error);
    EXPECT_THROW(checked_numel({int64_t(1) << 32, int64_t(1) << 32}), std::overflow_error);
    EXPECT_THROW(checked_numel({2, -1}), std::invalid_argument);
    EXPECT_THROW(shape_numel({int64_t(1) << 32, int64_t(1) << 32}), std::invalid_argument);
}

TEST(TensorLimits, ShapesPastTheLimitAreRefusedBeforeAllocation) {
    EXPECT_EQ(max_tensor_values(), int64_t(1) << 28);
    EXPECT_EQ(check_tensor_shape({1 << 14, 1 << 14}), int64_t(1) << 28);
    // 2^29 values (2 GiB) would be allocated without the check.
    EXPECT_EQ(message_of([] {
                  Tensor::empty({1 << 15, 1 << 14});
              }),
              "shape (32768, 16384) has 536870912 values, more than the limit of 268435456 "
              "values a tensor (GANVAS_MAX_TENSOR_VALUES raises it)");
    // No values, but copying loops over the other axes would run 2^63 times.
    EXPECT_EQ(message_of([] {
                  Tensor::empty({0, kMax, kMax});
              }),
              "shape (0, 9223372036854775807, 9223372036854775807) has no values but spans "
              "more than 2^63, more than the limit of 268435456 values a tensor "
              "(GANVAS_MAX_TENSOR_VALUES raises it)");
    EXPECT_THROW(Tensor::zeros({0, int64_t(1) << 40}), std::invalid_argument);
    EXPECT_EQ(Tensor::empty({0, 784}).numel(), 0);
}

TEST(TensorLimits, TheEnvironmentRaisesOrLowersTheLimit) {
    {
        ScopedEnv env("GANVAS_MAX_TENSOR_VALUES", "100");
        EXPECT_EQ(Tensor::empty({10, 10}).numel(), 100);
        EXPECT_THROW(Tensor::empty({11, 10}), std::invalid_argument);
    }
    {
        ScopedEnv env("GANVAS_MAX_TENSOR_VALUES", "536870912");
        EXPECT_EQ(check_tensor_shape({1 << 15, 1 << 14}), int64_t(1) << 29);
    }
    for (const char* bad : {"lots", "0", "-5", "1e9", "2199023255553"}) {
        ScopedEnv env("GANVAS_MAX_TENSOR_VALUES", bad);
        EXPECT_NE(message_of([] { max_tensor_values(); }).find("GANVAS_MAX_TENSOR_VALUES='"),
                  std::string::npos)
            << bad;
    }
    ScopedEnv env("GANVAS_MAX_FILE_BYTES", "4096");
    EXPECT_EQ(max_file_bytes(), 4096);
}

TEST(ShapeOpsBounds, NarrowWithAHugeLengthIsRefusedNotWrapped) {
    Tensor t = Tensor::from_vector({4, 2}, {0, 1, 2, 3, 4, 5, 6, 7});
    // start + length wraps negative and used to pass the range check.
    EXPECT_THROW(narrow(t, 0, 1, kMax), std::invalid_argument);
    EXPECT_THROW(narrow(t, 0, kMax, 1), std::invalid_argument);
    EXPECT_EQ(narrow(t, 0, 1, 3).to_vector(), (std::vector<float>{2, 3, 4, 5, 6, 7}));
    EXPECT_EQ(narrow(t, 0, 4, 0).numel(), 0);
}

TEST(ShapeOpsBounds, ReshapeToAnOverflowingShapeIsAnError) {
    Tensor t = Tensor::zeros({4});
    EXPECT_THROW(reshape(t, {int64_t(1) << 32, int64_t(1) << 32, 0}), std::exception);
    EXPECT_THROW(reshape(t, {-1, int64_t(1) << 32, int64_t(1) << 32}), std::overflow_error);
    EXPECT_EQ(reshape(t, {-1, 2}).shape(), (Shape{2, 2}));
}
