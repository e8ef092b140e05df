// The RF Sandbox's diagram data: which positions each unit reads, the overlap
// counts (a convolution's windows overlapping on the input, a transposed
// convolution's uneven taps: the checkerboard), and the settings encoding.
#include <gtest/gtest.h>

#include "panels/rf_sandbox_panel.h"

using namespace ganvas;
using namespace ganvas::gui;

TEST(RfSandbox, ConvolutionWindowsOverlapOnTheInput) {
    auto rows = sandbox_rows(decode_layers("conv 3 1 1 1"), 5);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].lo, -1);  // one position of padding each side
    EXPECT_EQ(rows[0].hi, 5);
    EXPECT_EQ(rows[0].fan_out, (std::vector<int64_t>{1, 2, 3, 3, 3, 2, 1}));
    EXPECT_EQ(rows[1].reads[0], (std::vector<int64_t>{-1, 0, 1}));
}

TEST(RfSandbox, TransposedConvolutionCheckerboard) {
    // k3 s2 p1: outputs alternately hear one and two inputs.
    auto rows = sandbox_rows(decode_layers("deconv 3 2 1 1"), 4);
    ASSERT_EQ(rows[1].length, 7);
    std::vector<size_t> fan_in;
    for (auto& r : rows[1].reads) fan_in.push_back(r.size());
    EXPECT_EQ(fan_in, (std::vector<size_t>{1, 2, 1, 2, 1, 2, 1}));
    EXPECT_EQ(rows[1].reads[1], (std::vector<int64_t>{0, 1}));
    // k4 s2 p1: every inner output hears two inputs, evenly.
    auto even = sandbox_rows(decode_layers("deconv 4 2 1 1"), 4);
    for (int64_t u = 1; u + 1 < even[1].length; ++u) EXPECT_EQ(even[1].reads[u].size(), 2u) << u;
}

TEST(RfSandbox, UpsampleAndPoolRead) {
    auto rows = sandbox_rows(decode_layers("upsample 1 1 0 3;maxpool 2 2 0 1"), 2);
    EXPECT_EQ(rows[1].length, 6);
    EXPECT_EQ(rows[1].reads[4], (std::vector<int64_t>{1}));
    EXPECT_EQ(rows[2].reads[1], (std::vector<int64_t>{2, 3}));
    EXPECT_THROW(sandbox_rows(decode_layers("conv 5 1 0 1"), 3), std::invalid_argument);
}

TEST(RfSandbox, BilinearAndBicubicReadAroundTheSamplePointClampedAtTheEdges) {
    auto rows = sandbox_rows(decode_layers("bilinear 1 1 0 2"), 3);
    ASSERT_EQ(rows[1].length, 6);
    EXPECT_EQ(rows[1].reads[0], (std::vector<int64_t>{0}));  // sample at -0.25, clamped to 0
    EXPECT_EQ(rows[1].reads[1], (std::vector<int64_t>{0, 1}));
    EXPECT_EQ(rows[1].reads[2], (std::vector<int64_t>{0, 1}));
    EXPECT_EQ(rows[1].reads[5], (std::vector<int64_t>{2}));
    auto cubic = sandbox_rows(decode_layers("bicubic 1 1 0 2"), 4);
    EXPECT_EQ(cubic[1].reads[2], (std::vector<int64_t>{0, 1, 2}));  // taps -1..2, -1 clamped
    EXPECT_EQ(cubic[1].reads[4], (std::vector<int64_t>{0, 1, 2, 3}));
    EXPECT_EQ(encode_layers(decode_layers("bicubic 1 1 0 3")), "bicubic 1 1 0 3");
}

TEST(RfSandbox, SettingsRoundTrip) {
    const std::string text = "conv 3 1 1 2;maxpool 2 2 0 1;deconv 4 2 1 1;upsample 1 1 0 2";
    auto layers = decode_layers(text);
    ASSERT_EQ(layers.size(), 4u);
    EXPECT_EQ(layers[0].dilation[0], 2);
    EXPECT_EQ(layers[3].scale[0], 2);
    EXPECT_EQ(encode_layers(layers), text);
    EXPECT_TRUE(decode_layers("conv 3 1").empty());
    EXPECT_TRUE(decode_layers("conv3d 3 1 1 1").empty());
    EXPECT_TRUE(decode_layers("add 1 1 0 1").empty());
}
