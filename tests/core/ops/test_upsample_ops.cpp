// Upsampling ops and layers: gradient checks (first and second order) against
// finite differences, ICNR's defining property, and argument errors.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "nn/upsampling.h"
#include "ops/ops.h"
#include "support/gradcheck.h"

using namespace ganvas;
using namespace ganvas::testing;

namespace {

InterpolateOptions opts(InterpMode m, bool align, std::array<double, 2> scale,
                        std::array<int64_t, 2> size = {0, 0}) {
    InterpolateOptions o;
    o.mode = m;
    o.align_corners = align;
    o.scale = scale;
    o.size = size;
    return o;
}

TEST(UpsampleOps, InterpolateGradcheckEveryMode) {
    Rng rng(3);
    const InterpolateOptions cases[] = {
        opts(InterpMode::nearest, false, {1.5, 2.0}),
        opts(InterpMode::nearest_exact, false, {0.6, 1.7}),
        opts(InterpMode::bilinear, false, {1.7, 0.8}),
        opts(InterpMode::bilinear, true, {0, 0}, {7, 1}),
        opts(InterpMode::bicubic, false, {2.0, 1.3}),
        opts(InterpMode::bicubic, true, {0, 0}, {1, 6}),
        opts(InterpMode::area, false, {0, 0}, {2, 3}),
    };
    for (const auto& o : cases) {
        SCOPED_TRACE(interp_mode_name(o.mode));
        Tensor x = leaf(rng, {2, 2, 4, 5});
        Fn f = [&](const std::vector<Tensor>& in) { return interpolate(in[0], o); };
        EXPECT_TRUE(gradcheck(f, {x}));
        EXPECT_TRUE(gradgradcheck(f, {x}));  // linear, so the double backward is the forward
    }
}

TEST(UpsampleOps, BicubicOvershootsUnclamped) {
    // A step edge: Keys' kernel with A = -0.75 rings past both levels.
    Tensor x = Tensor::from_vector({1, 1, 1, 6}, {0, 0, 0, 1, 1, 1});
    Tensor y = interpolate(x, opts(InterpMode::bicubic, false, {1, 4}));
    float lo = 0, hi = 1;
    for (float v : y.to_vector()) lo = std::min(lo, v), hi = std::max(hi, v);
    EXPECT_LT(lo, -0.01f);
    EXPECT_GT(hi, 1.01f);
}

TEST(UpsampleOps, PixelShuffleRoundTripsAndGradchecks) {
    Rng rng(4);
    Tensor x = leaf(rng, {2, 8, 3, 2});
    Tensor y = pixel_shuffle(x, 2);
    ASSERT_EQ(y.shape(), (Shape{2, 2, 6, 4}));
    EXPECT_EQ(pixel_unshuffle(y, 2).to_vector(), x.to_vector());
    EXPECT_TRUE(
        gradcheck([](const std::vector<Tensor>& in) { return pixel_shuffle(in[0], 2); }, {x}));
    EXPECT_TRUE(gradcheck([](const std::vector<Tensor>& in) { return pixel_unshuffle(in[0], 3); },
                          {leaf(rng, {1, 2, 6, 3})}));
}

TEST(UpsampleOps, MaxUnpoolGradchecks) {
    Rng rng(5);
    Tensor x = rng.randn({2, 2, 6, 6});
    Tensor idx;
    Tensor y = max_pool2d_with_indices(x, 2, 2, 0, idx);
    Tensor v = y.detach();
    v.requires_grad_(true);
    Fn f = [&](const std::vector<Tensor>& in) { return max_unpool2d(in[0], idx, 6, 6); };
    EXPECT_TRUE(gradcheck(f, {v}));
    EXPECT_TRUE(gradgradcheck(f, {v}));
}

TEST(UpsampleOps, TransposedConvolutionWithOutputPaddingGradchecks) {
    Rng rng(6);
    Conv2dParams p;
    p.stride = {3, 2};
    p.padding = {1, 1};
    p.output_padding = {2, 1};
    Tensor x = leaf(rng, {1, 2, 3, 3}), w = leaf(rng, {2, 2, 4, 3}), b = leaf(rng, {2});
    Fn f = [&](const std::vector<Tensor>& in) { return conv_transpose2d(in[0], in[1], in[2], p); };
    EXPECT_TRUE(gradcheck(f, {x, w, b}));
}

TEST(UpsampleOps, IcnrConvPlusShuffleEqualsNearestUpsampledConv) {
    Rng rng(7);
    for (int64_t r : {2, 3}) {
        SubPixelConv2d sub(3, 2, r, 3, true, rng);
        icnr_(sub.conv.weight, &sub.conv.bias, r, rng);
        // The kernel ICNR repeated: every r^2-th output channel.
        Conv2d plain(3, 2, 3, 1, 1, true, rng);
        const int64_t per = 3 * 3 * 3, rr = r * r;
        for (int64_t c = 0; c < 2; ++c) {
            for (int64_t k = 0; k < per; ++k)
                plain.weight.data()[c * per + k] = sub.conv.weight.data()[c * rr * per + k];
            plain.bias.data()[c] = sub.conv.bias.data()[c * rr];
        }
        NoGradGuard no_grad;
        Tensor x = rng.randn({2, 3, 5, 4});
        Tensor a = sub.forward(x);                                              // (2, 2, 5r, 4r)
        Tensor b = upsample_nearest(plain.forward(x), static_cast<double>(r));  // (2, 2, 5r, 4r)
        ASSERT_EQ(a.shape(), b.shape());
        // Equal up to float summation order (the convolutions have different widths).
        for (int64_t i = 0; i < a.numel(); ++i) ASSERT_NEAR(a.data()[i], b.data()[i], 1e-5f) << i;
        // Without ICNR the same layer does not have this property.
        SubPixelConv2d rand_init(3, 2, r, 3, true, rng);
        Tensor c = rand_init.forward(x);
        float diff = 0;
        for (int64_t i = 0; i < c.numel(); ++i)
            diff = std::max(diff, std::fabs(c.data()[i] - b.data()[i]));
        EXPECT_GT(diff, 0.1f);
    }
}

TEST(UpsampleOps, ResizeConvShapeAndGradients) {
    Rng rng(8);
    ResizeConv2d up(2, 3, 2, 3, InterpMode::bilinear, true, rng);
    Tensor x = leaf(rng, {1, 2, 3, 4});
    EXPECT_EQ(up.forward(x).shape(), (Shape{1, 3, 6, 8}));
    EXPECT_EQ(up.named_parameters()[0].first, "conv.weight");
    up.conv.weight.requires_grad_(true);
    Fn f = [&](const std::vector<Tensor>& in) {
        (void)in;
        return up.forward(x);
    };
    EXPECT_TRUE(gradcheck(f, {x, up.conv.weight}));
}

TEST(UpsampleOps, BadArgumentsSayWhatIsWrong) {
    Tensor x = Tensor::zeros({1, 3, 4, 4});
    auto message = [](auto fn) {
        try {
            fn();
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(message([&] { pixel_shuffle(x, 2); }).find("divisible by r^2 = 4"),
              std::string::npos);
    EXPECT_NE(message([&] {
                  interpolate(x, opts(InterpMode::nearest, true, {2, 2}));
              }).find("align_corners"),
              std::string::npos);
    EXPECT_NE(message([&] {
                  interpolate(x, opts(InterpMode::bilinear, false, {1e12, 2}));
              }).find("scale factor"),
              std::string::npos);
    EXPECT_NE(message([&] {
                  interpolate(x, opts(InterpMode::bilinear, false, {0.1, 0.1}));
              }).find("empty"),
              std::string::npos);
    EXPECT_NE(message([&] { interp_mode_from_name("trilinear"); }).find("nearest-exact"),
              std::string::npos);
    Tensor bad = Tensor::from_vector_i64({1, 1, 1, 1}, {99});
    EXPECT_NE(message([&] {
                  max_unpool2d(Tensor::zeros({1, 1, 1, 1}), bad, 3, 3);
              }).find("outside the output 3x3"),
              std::string::npos);
}

}  // namespace
