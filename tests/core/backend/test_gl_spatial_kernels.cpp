// The OpenGL backend's spatial kernels called directly, on the values the op
// table (test_backend_ops) cannot make from random inputs: NaNs and all -inf
// windows in max pooling, scatters whose indices repeat or lie outside any
// pooling window, and int64 elements whose high words matter. Each is compared
// with the CPU's kernels on the same storage contents; in-order scatters must
// agree bit for bit. Skipped, with the reason, where no GL 4.3 opens.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "backend/backend.h"
#include "backend/spatial_kernels.h"
#include "tensor/tensor.h"

namespace ganvas {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

class GlSpatialKernels : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        if (!backend_available(Device::gpu, &why)) GTEST_SKIP() << "no OpenGL backend: " << why;
    }
    static const SpatialKernels& on(Device d) { return backend_for(d).spatial(); }
};

// NaN-aware equality: both NaN, or equal.
void expect_same(const std::vector<float>& expected, const std::vector<float>& actual) {
    ASSERT_EQ(expected.size(), actual.size());
    for (size_t i = 0; i < expected.size(); ++i)
        if (std::isnan(expected[i]))
            EXPECT_TRUE(std::isnan(actual[i])) << "at " << i;
        else
            EXPECT_EQ(expected[i], actual[i]) << "at " << i;
}

TEST_F(GlSpatialKernels, MaxPoolKeepsTheCpusRulesForNanInfinityAndTies) {
    // One 4x6 plane, windows 2x2 stride 2 (each quoted as its four cells):
    // [0 1 6 7] a NaN then a larger value: the NaN stays; [2 3 8 9] two NaNs: the
    // last; [4 5 10 11] all -inf: the first cell; [12 13 18 19] a tie: the first;
    // [14 15 20 21] +inf after a NaN: the NaN; [16 17 22 23] plain: 3 at 22.
    const float nan = std::nanf("");
    const std::vector<float> xs = {nan, 5, nan, 1,    -kInf, -kInf,  //
                                   7,   2, 3,   nan,  -kInf, -kInf,  //
                                   4,   4, nan, kInf, 1,     2,      //
                                   4,   3, 0,   1,    3,     -1};
    PoolGeometry g;
    g.planes = 1, g.in_h = 4, g.in_w = 6, g.out_h = 2, g.out_w = 3;
    g.kernel = 2, g.stride = 2, g.padding = 0;
    std::vector<std::vector<float>> values;
    std::vector<std::vector<int64_t>> where;
    for (Device d : {Device::cpu, Device::gpu}) {
        Tensor x = Tensor::from_vector({1, 1, 4, 6}, xs).to(d);
        Tensor y = Tensor::empty({1, 1, 2, 3}, DType::f32, d);
        Tensor at = Tensor::empty({1, 1, 2, 3}, DType::i64, d);
        on(d).pool2d_forward(PoolMode::max, g, x.storage(), y.storage(), &at.storage());
        values.push_back(y.to_vector());
        where.push_back(at.to_vector_i64());
    }
    expect_same(values[0], values[1]);
    EXPECT_EQ(where[0], where[1]);
    EXPECT_EQ(where[1], (std::vector<int64_t>{0, 9, 4, 12, 14, 22}));
}

TEST_F(GlSpatialKernels, ScattersAddRepeatsOrKeepTheLaterOneAnywhereInThePlane) {
    // Two planes of 5 indices into planes of 7 cells: repeats, and cells no
    // pooling window would pick.
    const std::vector<float> src = {1.5f, -2, 3, 0.25f, 8, -1, 2, 4, -3, 0.5f};
    const std::vector<int64_t> indices = {6, 0, 6, 3, 6, 2, 2, 5, 0, 2};
    for (bool accumulate : {true, false}) {
        std::vector<std::vector<float>> out;
        for (Device d : {Device::cpu, Device::gpu}) {
            Tensor s = Tensor::from_vector({2, 1, 1, 5}, src).to(d);
            Tensor i = Tensor::from_vector_i64({2, 1, 1, 5}, indices).to(d);
            Tensor dst = Tensor::full({2, 1, 1, 7}, 9.0f).to(d);  // stale values must go
            on(d).plane_scatter(accumulate, 2, 5, 7, s.storage(), i.storage(), dst.storage());
            out.push_back(dst.to_vector());
        }
        EXPECT_EQ(out[0], out[1]) << (accumulate ? "accumulate" : "assign");
        EXPECT_EQ(out[1][6], accumulate ? 1.5f + 3 + 8 : 8.0f);
        EXPECT_EQ(out[1][7 + 2], accumulate ? -1 + 2 + 0.5f : 0.5f);
    }
}

TEST_F(GlSpatialKernels, MaxPoolBackwardAddsAtIndicesOutsideTheWindows) {
    PoolGeometry g;  // 2 planes, 2x2 outputs scattered into 3x3 inputs
    g.planes = 2, g.in_h = 3, g.in_w = 3, g.out_h = 2, g.out_w = 2;
    g.kernel = 2, g.stride = 1;
    const std::vector<float> gy = {1, 2, 4, 8, -1, -2, -4, -8};
    const std::vector<int64_t> indices = {8, 8, 0, 8, 1, 1, 1, 7};
    std::vector<std::vector<float>> out;
    for (Device d : {Device::cpu, Device::gpu}) {
        Tensor g_y = Tensor::from_vector({2, 1, 2, 2}, gy).to(d);
        Tensor i = Tensor::from_vector_i64({2, 1, 2, 2}, indices).to(d);
        Tensor gx = Tensor::full({2, 1, 3, 3}, 9.0f).to(d);
        on(d).pool2d_backward(PoolMode::max, g, g_y.storage(), &i.storage(), gx.storage());
        out.push_back(gx.to_vector());
    }
    EXPECT_EQ(out[0], out[1]);
    EXPECT_EQ(out[1], (std::vector<float>{4, 0, 0, 0, 0, 0, 0, 0, 11,  //
                                          0, -7, 0, 0, 0, 0, 0, -8, 0}));
}

TEST_F(GlSpatialKernels, PixelShufflesMoveWholeEightByteElements) {
    PixelShuffleGeometry g;  // (2, 3 * 4, 3, 5) <-> (2, 3, 6, 10)
    g.N = 2, g.C = 3, g.H = 3, g.W = 5, g.r = 2, g.element_bytes = 8;
    std::vector<int64_t> values(2 * 12 * 3 * 5);
    for (size_t i = 0; i < values.size(); ++i)  // both words differ, and some are negative
        values[i] =
            (static_cast<int64_t>(i) << 33) * (i % 3 == 0 ? -1 : 1) + static_cast<int64_t>(i);
    for (bool unshuffle : {false, true}) {
        const Shape in = unshuffle ? Shape{2, 3, 6, 10} : Shape{2, 12, 3, 5};
        const Shape out = unshuffle ? Shape{2, 12, 3, 5} : Shape{2, 3, 6, 10};
        std::vector<std::vector<int64_t>> results;
        for (Device d : {Device::cpu, Device::gpu}) {
            Tensor x = Tensor::from_vector_i64(in, values).to(d);
            Tensor y = Tensor::zeros(out, DType::i64, d);
            on(d).pixel_shuffle(unshuffle, g, x.storage(), y.storage());
            results.push_back(y.to_vector_i64());
        }
        EXPECT_EQ(results[0], results[1]) << (unshuffle ? "unshuffle" : "shuffle");
    }
}

}  // namespace
}  // namespace ganvas
