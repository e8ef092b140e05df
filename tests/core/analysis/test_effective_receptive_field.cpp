// The effective receptive field by autograd: a single convolution's ERF is
// exactly the support of its kernel (holes of a dilated kernel included) with
// the kernel's weights as values; N uniform 3x3 layers spread like sqrt(2N/3);
// a live model's ERF stays inside its theoretical field.
#include <gtest/gtest.h>

#include <cmath>

#include "analysis/effective_receptive_field.h"
#include "analysis/model_receptive_field.h"
#include "analysis/receptive_field.h"
#include "ops/ops.h"
#include "tensor/rng.h"

using namespace ganvas;
using namespace ganvas::rf;

namespace {

// The ERF of the unit at (row, col) of one convolution over a 9x9 input.
void expect_kernel_support(int64_t kh, int64_t kw, int64_t dilation, int64_t row, int64_t col) {
    Rng rng(3);
    Tensor w = rng.randn({3, 2, kh, kw});  // (Cout, Cin, kh, kw)
    Conv2dParams p;
    p.dilation = {dilation, dilation};
    FeatureFn conv = [&](const Tensor& x) { return conv2d(x, w, Tensor{}, p); };
    Erf e = effective_receptive_field(conv, rng.randn({5, 2, 9, 9}), row, col);
    ASSERT_EQ(e.map.shape(), (Shape{9, 9}));
    for (int64_t r = 0; r < 9; ++r)
        for (int64_t c = 0; c < 9; ++c) {
            const int64_t dr = r - row,
                          dc = c - col;  // padding 0: output (row, col) starts at (row, col)
            const bool tap = dr >= 0 && dc >= 0 && dr % dilation == 0 && dc % dilation == 0 &&
                             dr / dilation < kh && dc / dilation < kw;
            double want =
                0;  // d unit / d x[ci, r, c] = sum over output channels of the tap's weight
            if (tap)
                for (int64_t ci = 0; ci < 2; ++ci) {
                    double s = 0;
                    for (int64_t co = 0; co < 3; ++co)
                        s += w.data()[((co * 2 + ci) * kh + dr / dilation) * kw + dc / dilation];
                    want += std::abs(s);
                }
            EXPECT_NEAR(e.map.data()[r * 9 + c], want, 1e-5) << r << "," << c;
            EXPECT_EQ(e.map.data()[r * 9 + c] != 0, tap) << r << "," << c;
        }
}

}  // namespace

TEST(EffectiveReceptiveField, SingleConvolutionIsItsKernelSupport) {
    expect_kernel_support(3, 3, 1, 2, 3);
    expect_kernel_support(2, 5, 1, 4, 1);  // asymmetric
    expect_kernel_support(3, 3, 2, 1, 2);  // dilated: the holes get no gradient
}

TEST(EffectiveReceptiveField, UniformStackSpreadsLikeSqrtDepth) {
    StackOptions uniform;
    uniform.uniform = true;
    uniform.relu = false;
    uniform.channels = 1;
    for (int n : {1, 2, 4, 9, 16}) {
        Erf e = conv_stack_erf(n, uniform);
        EXPECT_NEAR(e.spread[0], uniform_stack_spread(n), 1e-3 * uniform_stack_spread(n)) << n;
        EXPECT_NEAR(e.spread[1], e.spread[0], 1e-6) << n;
        EXPECT_NEAR(e.centre[0], n + 4, 1e-4);  // the centre of the (2n + 9)-pixel input
    }
}

TEST(EffectiveReceptiveField, RandomReluStackGrowsSlowerThanItsField) {
    StackOptions random;  // random weights, ReLU: the experiment of the window
    const double s4 = conv_stack_erf(4, random).spread[0];
    const double s16 = conv_stack_erf(16, random).spread[0];
    // The theoretical field grows 4x (9 -> 33); the ERF about 2x.
    EXPECT_GT(s16 / s4, 1.4);
    EXPECT_LT(s16 / s4, 2.8);
}

TEST(EffectiveReceptiveField, MassShare) {
    Tensor m = Tensor::zeros({4, 4});
    m.data()[5] = 3;   // (1, 1)
    m.data()[15] = 1;  // (3, 3)
    EXPECT_DOUBLE_EQ(mass_share(m, 0, 1, 0, 1), 0.75);
    EXPECT_DOUBLE_EQ(mass_share(m, 0, 3, 0, 3), 1.0);
    EXPECT_DOUBLE_EQ(mass_share(Tensor::zeros({2, 2}), 0, 1, 0, 1), 0.0);
}

TEST(EffectiveReceptiveField, LiveModelStaysInsideItsTheoreticalField) {
    Rng rng(2);
    auto model = make_model("dcgan28", rng);
    Tensor images = rng.randn({4, 1, 28, 28});
    EXPECT_FALSE(layer_features(*model, "G", "up1"));  // a generator reads z, not images
    // D.c1 is linear before its activation: the ERF is exactly its 4x4 window.
    Erf c1 = effective_receptive_field(layer_features(*model, "D", "c1"), images, 3, 5);
    for (int64_t r = 0; r < 28; ++r)
        for (int64_t c = 0; c < 28; ++c) {
            const bool inside = r >= 5 && r <= 8 && c >= 9 && c <= 12;  // 2u - 1 .. 2u + 2
            EXPECT_EQ(c1.map.data()[r * 28 + c] != 0, inside) << r << "," << c;
        }
    // D.c2 through a leaky ReLU: inside the 10x10 field the analysis gives, and filling it.
    auto fields = compute(model_networks(*model, Batch{images, Tensor{}})[1]);
    const AxisField& f = fields[1].axis[0];
    ASSERT_EQ(fields[1].layer.name, "c2");
    Erf c2 = effective_receptive_field(layer_features(*model, "D", "c2"), images, 3, 3);
    int64_t nonzero = 0;
    for (int64_t r = 0; r < 28; ++r)
        for (int64_t c = 0; c < 28; ++c) {
            const bool inside =
                r >= f.first(3) && r <= f.last(3) && c >= f.first(3) && c <= f.last(3);
            if (c2.map.data()[r * 28 + c] != 0) {
                EXPECT_TRUE(inside) << r << "," << c;
                ++nonzero;
            }
        }
    EXPECT_EQ(nonzero, 100);
    EXPECT_THROW(effective_receptive_field(layer_features(*model, "D", "c2"), images, 7, 0),
                 std::invalid_argument);
    EXPECT_THROW(layer_features(*model, "D", "nosuch"), std::invalid_argument);
}

// Every image-reading network of the WGAN and the VQGAN: each layer's measured
// ERF lies inside the field the analysis gives it, and is not empty everywhere.
TEST(EffectiveReceptiveField, WganAndVqganNetworksStayInsideTheirFields) {
    for (const std::string name : {"wgan_gp28", "vqgan28"}) {
        Rng rng(3);
        auto model = make_model(name, rng);
        Tensor images = rng.randn({4, 1, 28, 28});
        for (const Network& net : model_networks(*model, Batch{images, Tensor{}})) {
            if (!model->image_network(net.name)) continue;  // a generator reads z
            const auto fields = compute(net);
            int64_t seen = 0;
            for (size_t k = 0; k < fields.size() && k < 4; ++k) {
                if (!fields[k].output_size || (*fields[k].output_size)[0] < 4) continue;
                const AxisField& fh = fields[k].axis[0];
                const AxisField& fw = fields[k].axis[1];
                Erf e = effective_receptive_field(
                    layer_features(*model, net.name, fields[k].layer.name), images, 1, 1);
                for (int64_t r = 0; r < 28; ++r)
                    for (int64_t c = 0; c < 28; ++c) {
                        if (e.map.data()[r * 28 + c] == 0) continue;
                        ++seen;
                        EXPECT_TRUE(r >= fh.first(1) && r <= fh.last(1) && c >= fw.first(1) &&
                                    c <= fw.last(1))
                            << name << " " << net.name << "." << fields[k].layer.name << " at " << r
                            << "," << c;
                    }
            }
            EXPECT_GT(seen, 0) << name << " " << net.name;
        }
    }
}
