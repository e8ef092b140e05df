// interpolate (every mode), PixelShuffle/Unshuffle, max_pool2d indices with
// max_unpool2d and transposed convolutions against PyTorch 1.13: outputs and
// gradients written by tests/golden/golden_upsample.py.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "io/npy.h"
#include "nn/upsampling.h"
#include "ops/ops.h"
#include "support/golden.h"

using namespace ganvas;
using ganvas::testing::all_close;

namespace {

Tensor golden(const std::string& name) {
    return ganvas::testing::golden("upsample/" + name + ".npy");
}

// d sum(f(x) * gy) / dx
Tensor input_grad(const Tensor& x, const Tensor& y, const Tensor& gy) {
    return grad({y}, {x}, {gy})[0];
}

struct InterpCase {
    std::string name, mode;
    InterpolateOptions opt;
};

std::vector<InterpCase> interp_cases() {
    std::ifstream in(ganvas::testing::golden_file("upsample/interp_cases.txt"));
    std::vector<InterpCase> cases;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream s(line);
        InterpCase c;
        int align;
        int64_t n, ch, h, w;
        s >> c.name >> c.mode >> align >> n >> ch >> h >> w >> c.opt.size[0] >> c.opt.size[1] >>
            c.opt.scale[0] >> c.opt.scale[1];
        c.opt.mode = interp_mode_from_name(c.mode);
        c.opt.align_corners = align != 0;
        cases.push_back(c);
    }
    return cases;
}

TEST(UpsampleGolden, InterpolateEveryModeForwardAndBackward) {
    const auto cases = interp_cases();
    ASSERT_GE(cases.size(), 90u);
    int by_mode[5] = {0, 0, 0, 0, 0};
    for (const InterpCase& c : cases) {
        SCOPED_TRACE(c.name);
        Tensor x = golden(c.name + "_x");
        x.requires_grad_(true);
        Tensor y = interpolate(x, c.opt);
        // Forward: a weighted sum of at most 16 inputs; bicubic's weights carry float
        // rounding from the coordinate maths, so allow a few ulps of the values. Bicubic
        // sums 16 products of inputs up to ~4 with weights of both signs, so its error
        // follows the terms, not the (smaller) result: without FMA (GANVAS_PORTABLE=ON)
        // each product rounds on its own, up to 16 more half-ulps of terms near 1
        // (16 * 2^-25 = 5e-7) on top of the coordinate maths: measured 2.4e-6 against
        // PyTorch at outputs near 0.1, past the 2e-6 + 2e-6 * |y| that -march=native meets.
        const float forward_tol = c.opt.mode == InterpMode::bicubic ? 3e-6f : 2e-6f;
        EXPECT_TRUE(all_close(y, golden(c.name + "_y"), forward_tol, 2e-6f, "y"));
        EXPECT_TRUE(all_close(input_grad(x, y, golden(c.name + "_gy")), golden(c.name + "_gx"),
                              1e-5f, 1e-5f, "gx"));
        ++by_mode[static_cast<int>(c.opt.mode)];
    }
    // The corner cases where torch's backward is not its forward's adjoint are known
    // and few: one-channel shortcuts applied to NCHW, and bicubic at out == in.
    std::ifstream odd(ganvas::testing::golden_file("upsample/torch_backward_not_adjoint.txt"));
    int n_odd = 0;
    for (std::string line; std::getline(odd, line);) n_odd += !line.empty();
    EXPECT_GT(n_odd, 0);
    EXPECT_LE(n_odd, 4);
    for (int m = 0; m < 5; ++m) EXPECT_GT(by_mode[m], 0) << "mode " << m << " never tested";
}

TEST(UpsampleGolden, PixelShuffleAndUnshuffle) {
    for (int64_t r : {2, 3}) {
        const std::string n = "shuffle" + std::to_string(r);
        Tensor x = golden(n + "_x");
        x.requires_grad_(true);
        Tensor y = pixel_shuffle(x, r);
        EXPECT_TRUE(all_close(y, golden(n + "_y"), 0, 0, n + " y"));
        EXPECT_TRUE(
            all_close(input_grad(x, y, golden(n + "_gy")), golden(n + "_gx"), 0, 0, n + " gx"));
        EXPECT_TRUE(all_close(pixel_unshuffle(y.detach(), r),
                              golden("unshuffle" + std::to_string(r) + "_y"), 0, 0, "unshuffle"));
    }
}

TEST(UpsampleGolden, MaxPoolIndicesAndUnpool) {
    for (auto [name, k, s, p] : {std::tuple{"pool2", 2, 2, 0}, std::tuple{"pool3", 3, 2, 1}}) {
        SCOPED_TRACE(name);
        const std::string n = name;
        Tensor x = golden(n + "_x");
        x.requires_grad_(true);
        Tensor idx;
        Tensor y = max_pool2d_with_indices(x, k, s, p, idx);
        EXPECT_TRUE(all_close(y, golden(n + "_y"), 0, 0, "y"));
        ASSERT_TRUE(all_close(idx, golden(n + "_idx"), 0, 0, "indices"));
        Tensor z = max_unpool2d(y, idx, x.size(2), x.size(3));
        EXPECT_TRUE(all_close(z, golden(n + "_z"), 0, 0, "unpooled"));
        // Through pool and unpool back to x, and the unpool's own input gradient.
        EXPECT_TRUE(
            all_close(input_grad(x, z, golden(n + "_gz")), golden(n + "_gx"), 1e-6f, 0, "gx"));
        Tensor yl = y.detach();
        yl.requires_grad_(true);
        Tensor zl = max_unpool2d(yl, idx, x.size(2), x.size(3));
        EXPECT_TRUE(
            all_close(input_grad(yl, zl, golden(n + "_gz")), golden(n + "_gy"), 0, 0, "gy"));
    }
}

TEST(UpsampleGolden, TransposedConvolutionWithOutputPadding) {
    struct C {
        const char* name;
        int64_t s, p, op;
    };
    for (C c : {C{"ct_k3s2", 2, 1, 1}, C{"ct_k4s2", 2, 1, 0}, C{"ct_k5s3", 3, 2, 2}}) {
        SCOPED_TRACE(c.name);
        const std::string n = c.name;
        Tensor x = golden(n + "_x"), w = golden(n + "_w"), b = golden(n + "_b");
        for (Tensor* t : {&x, &w, &b}) t->requires_grad_(true);
        Conv2dParams prm;
        prm.stride = {c.s, c.s};
        prm.padding = {c.p, c.p};
        prm.output_padding = {c.op, c.op};
        Tensor y = conv_transpose2d(x, w, b, prm);
        EXPECT_TRUE(all_close(y, golden(n + "_y"), 1e-5f, 1e-5f, "y"));
        auto g = grad({y}, {x, w, b}, {golden(n + "_gy")});
        EXPECT_TRUE(all_close(g[0], golden(n + "_gx"), 1e-4f, 1e-5f, "gx"));
        EXPECT_TRUE(all_close(g[1], golden(n + "_gw"), 1e-4f, 1e-5f, "gw"));
        EXPECT_TRUE(all_close(g[2], golden(n + "_gb"), 1e-4f, 1e-5f, "gb"));
    }
}

TEST(UpsampleGolden, ResizeConvAndSubPixelConvWithWeightGradients) {
    Rng rng(0);
    ResizeConv2d nearest(3, 2, 2, 3, InterpMode::nearest, true, rng);
    ResizeConv2d bilinear(3, 2, 2, 3, InterpMode::bilinear, true, rng);
    SubPixelConv2d subpixel(3, 2, 2, 3, true, rng);
    struct C {
        const char* name;
        Conv2d* conv;
        std::function<Tensor(const Tensor&)> f;
    };
    for (const C& c :
         {C{"resize_nearest", &nearest.conv, [&](const Tensor& x) { return nearest.forward(x); }},
          C{"resize_bilinear", &bilinear.conv,
            [&](const Tensor& x) { return bilinear.forward(x); }},
          C{"subpixel", &subpixel.conv, [&](const Tensor& x) { return subpixel.forward(x); }}}) {
        SCOPED_TRACE(c.name);
        const std::string n = c.name;
        c.conv->weight.copy_(golden(n + "_w"));
        c.conv->bias.copy_(golden(n + "_b"));
        Tensor x = golden(n + "_x");
        x.requires_grad_(true);
        Tensor y = c.f(x);
        EXPECT_TRUE(all_close(y, golden(n + "_y"), 1e-5f, 1e-5f, "y"));
        auto g = grad({y}, {x, c.conv->weight, c.conv->bias}, {golden(n + "_gy")});
        EXPECT_TRUE(all_close(g[0], golden(n + "_gx"), 1e-4f, 1e-5f, "gx"));
        EXPECT_TRUE(all_close(g[1], golden(n + "_gw"), 1e-4f, 1e-5f, "gw"));
        EXPECT_TRUE(all_close(g[2], golden(n + "_gb"), 1e-4f, 1e-5f, "gb"));
    }
}

}  // namespace
