// The golden loader and comparator every golden test goes through: a missing file
// is named, and a comparison fails on what it should and says where and by how much.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "support/golden.h"

using namespace ganvas;
using ganvas::testing::all_close;
using ganvas::testing::expect_close;
using ganvas::testing::golden;
using ganvas::testing::StepMatch;
using ganvas::testing::strided;

namespace {

std::string failure_of(const ::testing::AssertionResult& r) {
    EXPECT_FALSE(r);
    return r.message();
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST(GoldenFiles, LoadsFromTheGoldenFolder) {
    const Tensor p = golden("optim/p0.npy");
    EXPECT_EQ(p.shape(), (Shape{7}));
}

TEST(GoldenFiles, AMissingFileIsNamedWithTheScriptThatWritesIt) {
    try {
        golden("optim/no_such_file.npy");
        FAIL() << "no error";
    } catch (const std::runtime_error& e) {
        const std::string what = e.what();
        EXPECT_TRUE(contains(what, "golden/optim/no_such_file.npy")) << what;
        EXPECT_TRUE(contains(what, "make_golden.py")) << what;
    }
}

TEST(GoldenFiles, CloseWithinAbsoluteAndRelativeTolerance) {
    const Tensor want = Tensor::from_vector({3}, {1.0f, 100.0f, -2.0f});
    EXPECT_TRUE(
        all_close(Tensor::from_vector({3}, {1.001f, 100.05f, -2.001f}), want, 1e-3, 1e-3, "x"));
    // 100.2 is 0.2 off, beyond 1e-3 + 1e-3 * 100.
    EXPECT_FALSE(all_close(Tensor::from_vector({3}, {1.0f, 100.2f, -2.0f}), want, 1e-3, 1e-3, "x"));
}

TEST(GoldenFiles, AFailureNamesTheWorstElementItsValuesAndTolerance) {
    const Tensor want = Tensor::zeros({2, 3});
    const Tensor got = Tensor::from_vector({2, 3}, {0.0f, 0.5f, 0.0f, 0.0f, 0.0f, -2.0f});
    const std::string m = failure_of(all_close(got, want, 0.25, 0.0, "step_after_D.fc.bias"));
    EXPECT_TRUE(contains(m, "step_after_D.fc.bias")) << m;
    EXPECT_TRUE(contains(m, "2 of 6 elements")) << m;
    EXPECT_TRUE(contains(m, "(1, 2)")) << m;  // -2 is further off than 0.5
    EXPECT_TRUE(contains(m, "is -2 against 0")) << m;
    EXPECT_TRUE(contains(m, "tolerance 0.25")) << m;
}

TEST(GoldenFiles, ShapeOrDtypeMismatchFailsEvenWithEqualValues) {
    const Tensor want = Tensor::zeros({2, 3});
    EXPECT_TRUE(contains(failure_of(all_close(Tensor::zeros({3, 2}), want, 1, 1, "x")),
                         "shape (3, 2) vs (2, 3)"));
    EXPECT_TRUE(contains(failure_of(all_close(Tensor::zeros({6}), want, 1, 1, "x")), "shape"));
    EXPECT_TRUE(contains(failure_of(all_close(Tensor::zeros({2, 3}, DType::i64), want, 1, 1, "x")),
                         "dtype"));
}

TEST(GoldenFiles, IntegersCompareExactlyWhateverTheTolerance) {
    const Tensor want = Tensor::from_vector_i64({3}, {4, 5, 6});
    EXPECT_TRUE(all_close(Tensor::from_vector_i64({3}, {4, 5, 6}), want, 0, 0, "codes"));
    const std::string m =
        failure_of(all_close(Tensor::from_vector_i64({3}, {4, 7, 6}), want, 10, 10, "codes"));
    EXPECT_TRUE(contains(m, "1 of 3 elements differ; the worst, at (1,), is 7 against 5")) << m;
}

TEST(GoldenFiles, InfinityMustBeMatchedAndNaNNeverIsClose) {
    const float inf = std::numeric_limits<float>::infinity();
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const Tensor want = Tensor::from_vector({2}, {-inf, 1.0f});
    EXPECT_TRUE(all_close(Tensor::from_vector({2}, {-inf, 1.0f}), want, 1e-5, 1e-4, "y"));
    EXPECT_FALSE(all_close(Tensor::from_vector({2}, {-1e30f, 1.0f}), want, 1e-5, 1e-4, "y"));
    EXPECT_FALSE(all_close(Tensor::from_vector({2}, {inf, 1.0f}), want, 1e-5, 1e-4, "y"));
    EXPECT_FALSE(all_close(Tensor::from_vector({2}, {-inf, nan}), want, 1e-5, 1e-4, "y"));
    const Tensor nan_want = Tensor::from_vector({1}, {nan});
    EXPECT_FALSE(all_close(Tensor::from_vector({1}, {nan}), nan_want, 1, 1, "y"));
}

TEST(GoldenFiles, ExpectCloseIsANonFatalFailure) {
    EXPECT_NONFATAL_FAILURE(expect_close(Tensor::from_vector({1}, {1.0f}),
                                         Tensor::from_vector({1}, {2.0f}), 0.5, 0.0, "the value"),
                            "the value");
}

TEST(GoldenFiles, StepMatchAllowsOneInAThousandBeyondCloseButNoneBeyondTheBound) {
    const Tensor want = Tensor::zeros({2000});
    Tensor two_off = Tensor::zeros({2000});
    two_off.data()[5] = two_off.data()[9] = 0.5f;
    {
        StepMatch match(1.0, 0.1);
        match.add(two_off, want, "w");
        match.expect_few_off();  // 2 of 2000
    }
    Tensor three_off = two_off.clone();
    three_off.data()[11] = 0.5f;
    EXPECT_NONFATAL_FAILURE(
        {
            StepMatch match(1.0, 0.1);
            match.add(three_off, want, "w");
            match.expect_few_off();
        },
        "3 of 2000 values differ by more than 0.1");
    Tensor one_far = Tensor::zeros({2000});
    one_far.data()[3] = 1.5f;
    EXPECT_NONFATAL_FAILURE(
        {
            StepMatch match(1.0, 0.1);
            match.add(one_far, want, "w.far");
        },
        "w.far");
}

TEST(GoldenFiles, StridedTakesEveryNthValue) {
    const Tensor t = Tensor::from_vector({2, 3}, {0, 1, 2, 3, 4, 5});
    EXPECT_TRUE(all_close(strided(t, 4), Tensor::from_vector({2}, {0, 4}), 0, 0, "strided"));
}
