// conv2d and conv_transpose2d against PyTorch: outputs and input, weight and
// bias gradients written by tests/golden/golden_conv.py (torch 1.13), for the
// four DCGAN-28 layers at batch 2 and small asymmetric/dilated cases.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "autograd/autograd.h"
#include "io/npy.h"
#include "ops/ops.h"
#include "support/golden.h"

using namespace ganvas;

namespace {

// Forward values must agree to 1e-4; gradients sum more terms (up to 392
// products for c1's weight gradient), so they get a relative term as well.
constexpr float kForwardAtol = 1e-4f;
constexpr float kGradAtol = 1e-4f, kGradRtol = 1e-4f;

struct GoldenCase {
    std::string name;
    bool transposed;
    Shape x, w;
    bool bias;
    Conv2dParams p;
};

Conv2dParams params(std::array<int64_t, 2> s, std::array<int64_t, 2> pad, std::array<int64_t, 2> d,
                    std::array<int64_t, 2> op) {
    Conv2dParams p;
    p.stride = s, p.padding = pad, p.dilation = d, p.output_padding = op;
    return p;
}

// The same table as CASES in golden_conv.py.
const std::vector<GoldenCase> kCases = {
    {"c1", false, {2, 1, 28, 28}, {64, 1, 4, 4}, true, params({2, 2}, {1, 1}, {1, 1}, {0, 0})},
    {"c2", false, {2, 64, 14, 14}, {128, 64, 4, 4}, false, params({2, 2}, {1, 1}, {1, 1}, {0, 0})},
    {"up1", true, {2, 128, 7, 7}, {128, 64, 4, 4}, false, params({2, 2}, {1, 1}, {1, 1}, {0, 0})},
    {"up2", true, {2, 64, 14, 14}, {64, 1, 4, 4}, true, params({2, 2}, {1, 1}, {1, 1}, {0, 0})},
    {"dilated", false, {2, 3, 9, 8}, {4, 3, 3, 2}, true, params({2, 1}, {1, 2}, {2, 1}, {0, 0})},
    {"transposed_asym",
     true,
     {2, 3, 5, 4},
     {3, 2, 3, 4},
     true,
     params({2, 3}, {1, 0}, {1, 2}, {1, 2})},
    {"transposed_dil",
     true,
     {2, 2, 4, 3},
     {2, 3, 3, 2},
     false,
     params({1, 1}, {1, 0}, {2, 3}, {1, 2})},
};

// golden_conv.py's pattern(): an integer hash into [-scale, scale), bit for bit.
Tensor pattern(const Shape& shape, uint64_t seed, double scale) {
    Tensor t = Tensor::empty(shape);
    float* p = t.data();
    for (int64_t i = 0; i < t.numel(); ++i) {
        const uint64_t h =
            (static_cast<uint64_t>(i) * 2654435761ull + seed * 40503ull) % (1ull << 32);
        p[i] = static_cast<float>((static_cast<double>(h) / 4294967296.0 * 2.0 - 1.0) * scale);
    }
    return t;
}

// Compares `ours` cut to the golden slice (leading entries along `dim`).
::testing::AssertionResult matches(const Tensor& ours, const std::string& file, int64_t dim,
                                   float atol, float rtol) {
    const Tensor golden = ganvas::testing::golden("conv/" + file);
    Tensor cut = ours;
    if (golden.shape() != ours.shape() && golden.dim() == ours.dim()) {
        NoGradGuard no_grad;
        cut = narrow(ours.detach(), dim, 0, golden.size(dim));
    }
    return ganvas::testing::all_close(cut, golden, atol, rtol, file);
}

void check_case(const GoldenCase& c) {
    const int64_t fan_in = c.w[1] * c.w[2] * c.w[3];
    Tensor x = pattern(c.x, 1, 1.0).requires_grad_();
    Tensor w = pattern(c.w, 2, 1.0 / std::sqrt(static_cast<double>(fan_in))).requires_grad_();
    Tensor b;
    if (c.bias) b = pattern({c.transposed ? c.w[1] : c.w[0]}, 3, 0.5).requires_grad_();
    Tensor y = c.transposed ? conv_transpose2d(x, w, b, c.p) : conv2d(x, w, b, c.p);
    Tensor gy = pattern(y.shape(), 4, 1.0);
    std::vector<Tensor> inputs{x, w};
    if (c.bias) inputs.push_back(b);
    std::vector<Tensor> g = grad({y}, inputs, {gy});
    EXPECT_TRUE(matches(y, c.name + "_y.npy", 1, kForwardAtol, 0.0f));
    EXPECT_TRUE(matches(g[0], c.name + "_gx.npy", 1, kGradAtol, kGradRtol));
    EXPECT_TRUE(matches(g[1], c.name + "_gw.npy", 0, kGradAtol, kGradRtol));
    if (c.bias) {
        EXPECT_TRUE(matches(g[2], c.name + "_gb.npy", 0, kGradAtol, kGradRtol));
    }
}

}  // namespace

// The small cases store their inputs: pattern() must reproduce them exactly,
// or every comparison below would test different numbers.
TEST(ConvGolden, PatternReproducesTorchInputs) {
    for (const GoldenCase& c : kCases) {
        const bool small =
            c.name == "dilated" || c.name == "transposed_asym" || c.name == "transposed_dil";
        if (!small) continue;
        SCOPED_TRACE(c.name);
        const int64_t fan_in = c.w[1] * c.w[2] * c.w[3];
        EXPECT_TRUE(matches(pattern(c.x, 1, 1.0), c.name + "_x.npy", 1, 0.0f, 0.0f));
        EXPECT_TRUE(matches(pattern(c.w, 2, 1.0 / std::sqrt(static_cast<double>(fan_in))),
                            c.name + "_w.npy", 0, 0.0f, 0.0f));
        if (c.bias) {
            EXPECT_TRUE(matches(pattern({c.transposed ? c.w[1] : c.w[0]}, 3, 0.5),
                                c.name + "_b.npy", 0, 0.0f, 0.0f));
        }
        const Shape gy_shape = ganvas::testing::golden("conv/" + c.name + "_gy.npy").shape();
        EXPECT_TRUE(matches(pattern(gy_shape, 4, 1.0), c.name + "_gy.npy", 1, 0.0f, 0.0f));
    }
}

TEST(ConvGolden, DcganDiscriminatorC1) {
    check_case(kCases[0]);
}
TEST(ConvGolden, DcganDiscriminatorC2) {
    check_case(kCases[1]);
}
TEST(ConvGolden, DcganGeneratorUp1) {
    check_case(kCases[2]);
}
TEST(ConvGolden, DcganGeneratorUp2) {
    check_case(kCases[3]);
}
TEST(ConvGolden, DilatedAsymmetricConv2d) {
    check_case(kCases[4]);
}
TEST(ConvGolden, AsymmetricTransposedWithOutputPadding) {
    check_case(kCases[5]);
}
TEST(ConvGolden, TransposedOutputPaddingBelowDilation) {
    check_case(kCases[6]);
}
