// The CPU's two convolution implementations, oneDNN's direct kernels and
// im2col + GEMM, give the same three passes on every kind of geometry: odd
// sizes, strides, dilation, padding, output sizes past the natural one (a
// transposed convolution's output_padding), one-channel images, batches that
// do not split evenly over the threads, with and without a bias.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "backend/cpu/conv_kernels.h"
#include "backend/cpu/dnnl_conv.h"
#include "backend/cpu/thread_pool.h"

namespace ganvas::cpu {
namespace {

std::vector<float> random_values(int64_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> v(static_cast<size_t>(n));
    for (float& x : v) x = u(rng);
    return v;
}

struct Passes {
    std::vector<float> y, x, w;
};

Passes run(const ConvGeometry& g, ConvImplementation impl, bool with_bias) {
    const ConvImplementation old = set_conv_implementation(impl);
    const std::vector<float> x = random_values(g.N * g.C * g.H * g.W, 1);
    const std::vector<float> w = random_values(g.K * g.C * g.kh * g.kw, 2);
    const std::vector<float> dy = random_values(g.N * g.K * g.Ho * g.Wo, 3);
    const std::vector<float> bias_k = random_values(g.K, 4), bias_c = random_values(g.C, 5);
    // Outputs start as NaN: every element must be written.
    Passes p;
    p.y.assign(dy.size(), NAN);
    p.x.assign(x.size(), NAN);
    p.w.assign(w.size(), NAN);
    conv2d_forward(g, x.data(), w.data(), with_bias ? bias_k.data() : nullptr, p.y.data());
    conv2d_backward_data(g, dy.data(), w.data(), with_bias ? bias_c.data() : nullptr, p.x.data());
    conv2d_backward_weight(g, x.data(), dy.data(), p.w.data());
    set_conv_implementation(old);
    return p;
}

void expect_near(const std::vector<float>& got, const std::vector<float>& want,
                 const std::string& what) {
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < got.size(); ++i)
        ASSERT_NEAR(got[i], want[i], 1e-4 * (1.0 + std::abs(want[i]))) << what << " [" << i << "]";
}

ConvGeometry geometry(int64_t N, int64_t C, int64_t H, int64_t W, int64_t K, int64_t k, int64_t s,
                      int64_t p, int64_t d = 1, int64_t extra = 0) {
    ConvGeometry g;
    g.N = N;
    g.C = C;
    g.H = H;
    g.W = W;
    g.K = K;
    g.kh = g.kw = k;
    g.sh = g.sw = s;
    g.ph = g.pw = p;
    g.dh = g.dw = d;
    g.Ho = (H + 2 * p - d * (k - 1) - 1) / s + 1 + extra;
    g.Wo = (W + 2 * p - d * (k - 1) - 1) / s + 1 + extra;
    return g;
}

// Where the comparison below has teeth: oneDNN takes the common layers.
TEST(CpuConvKernels, OneDnnHasKernelsForTheReferenceLayers) {
    const ConvGeometry g = geometry(8, 64, 14, 14, 128, 4, 2, 1);
    EXPECT_TRUE(dnnl_conv_available(g, ConvPass::forward));
    EXPECT_TRUE(dnnl_conv_available(g, ConvPass::backward_data));
    EXPECT_TRUE(dnnl_conv_available(g, ConvPass::backward_weight));
    EXPECT_TRUE(dnnl_conv_available(geometry(8, 128, 7, 7, 64, 3, 1, 1), ConvPass::forward));
}

TEST(CpuConvKernels, OneDnnAndIm2colAgreeOnEveryPass) {
    const std::vector<std::pair<std::string, ConvGeometry>> cases = {
        {"DCGAN's 64->128 4x4 stride 2", geometry(7, 64, 14, 14, 128, 4, 2, 1)},
        {"one-channel image in", geometry(5, 1, 28, 28, 64, 4, 2, 1)},
        {"one-channel image out", geometry(3, 64, 14, 14, 1, 4, 2, 1)},
        {"3x3 same padding, odd channels", geometry(4, 17, 7, 9, 19, 3, 1, 1)},
        {"1x1", geometry(3, 32, 5, 5, 48, 1, 1, 0)},
        {"dilated", geometry(2, 16, 11, 11, 16, 3, 1, 2, 2)},
        {"stride 3, no padding", geometry(2, 16, 13, 10, 20, 3, 3, 0)},
        {"output past the natural size", geometry(3, 32, 7, 7, 16, 4, 2, 1, 1, 1)},
        {"one sample", geometry(1, 24, 6, 6, 24, 3, 1, 1)},
        // At 2 threads: chunks of 2, 2, 2, 2 and 1, all sharing one reordered copy of the weights.
        {"a smaller last chunk", geometry(9, 32, 8, 8, 48, 3, 2, 1)},
    };
    for (int threads : {1, 2})
        for (const auto& [name, g] : cases)
            for (bool bias : {false, true}) {
                SCOPED_TRACE(name + (bias ? ", bias" : "") + ", " + std::to_string(threads) +
                             " thread(s)");
                set_num_threads(threads);
                const Passes fast = run(g, ConvImplementation::automatic, bias);
                const Passes plain = run(g, ConvImplementation::im2col, bias);
                expect_near(fast.y, plain.y, "forward");
                expect_near(fast.x, plain.x, "input gradient");
                expect_near(fast.w, plain.w, "weight gradient");
            }
}

// The weights a call reorders once for all its chunks: into the kernel's
// layout and back is the identity, and padding the layout adds is zero.
TEST(CpuConvKernels, WeightsRoundTripThroughTheKernelLayout) {
    for (const ConvGeometry& g :
         {geometry(4, 64, 14, 14, 128, 4, 2, 1), geometry(4, 3, 9, 9, 20, 3, 1, 1)}) {
        if (!dnnl_conv_available(g, ConvPass::backward_weight)) continue;
        const std::vector<float> w = random_values(g.K * g.C * g.kh * g.kw, 7);
        const int64_t floats = dnnl_weight_floats(g, ConvPass::backward_weight);
        ASSERT_GE(floats, static_cast<int64_t>(w.size()));
        std::vector<float> kernel_w(static_cast<size_t>(floats), NAN), back(w.size(), NAN);
        dnnl_weights_in(g, ConvPass::backward_weight, false, w.data(), kernel_w.data());
        double sum_in = 0, sum_out = 0;
        for (float v : kernel_w) sum_in += v;
        dnnl_weights_out(g, kernel_w.data(), back.data());
        for (float v : back) sum_out += v;
        EXPECT_EQ(back, w);
        EXPECT_NEAR(sum_in, sum_out, 1e-3);  // NaN if the padding were left unwritten
    }
}

// The same inputs give the same bits every time, with the thread count fixed
// (bit-for-bit resume depends on it).
TEST(CpuConvKernels, RepeatedCallsAreBitIdentical) {
    set_num_threads(2);
    const ConvGeometry g = geometry(9, 64, 14, 14, 128, 4, 2, 1);
    const Passes a = run(g, ConvImplementation::automatic, true);
    for (int r = 0; r < 3; ++r) {
        const Passes b = run(g, ConvImplementation::automatic, true);
        EXPECT_EQ(a.y, b.y);
        EXPECT_EQ(a.x, b.x);
        EXPECT_EQ(a.w, b.w);
    }
}

}  // namespace
}  // namespace ganvas::cpu
