// conv2d, conv_transpose2d and conv2d_weight: shapes and errors, values against
// direct loops, gradients and second derivatives against finite differences.
// Values against PyTorch are in test_conv_golden.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>

#include "autograd/autograd.h"
#include "backend/cpu/thread_pool.h"
#include "support/gradcheck.h"

using namespace ganvas;
using ganvas::testing::gradcheck;
using ganvas::testing::gradgradcheck;
using ganvas::testing::leaf;

namespace {

// One test geometry: x (N, Cin, H, W) and a kh x kw kernel from Cin to Cout channels.
struct Case {
    int64_t N, Cin, Cout, H, W, kh, kw;
    Conv2dParams p;
    bool bias;
    std::string name() const {  // for SCOPED_TRACE
        std::ostringstream o;
        auto pair = [&](const char* n, std::array<int64_t, 2> v) { o << n << v[0] << "," << v[1]; };
        o << "N" << N << " Cin" << Cin << " Cout" << Cout << " " << H << "x" << W;
        pair(" k", {kh, kw}), pair(" s", p.stride), pair(" p", p.padding);
        pair(" d", p.dilation), pair(" op", p.output_padding);
        return o.str() + (bias ? " bias" : "");
    }
};

Conv2dParams params(std::array<int64_t, 2> s, std::array<int64_t, 2> pad, std::array<int64_t, 2> d,
                    std::array<int64_t, 2> op = {0, 0}) {
    Conv2dParams p;
    p.stride = s, p.padding = pad, p.dilation = d, p.output_padding = op;
    return p;
}

// Stride 1/2/3, padding 0/1/2, dilation 1/2, kernels 1/3/4 and non-square ones.
const std::vector<Case> kConvCases = {
    {2, 2, 3, 5, 6, 3, 3, params({1, 1}, {0, 0}, {1, 1}), true},
    {2, 3, 2, 7, 6, 4, 4, params({2, 2}, {1, 1}, {1, 1}), true},
    {2, 2, 3, 8, 7, 3, 2, params({3, 2}, {2, 1}, {1, 2}), false},
    {2, 3, 2, 5, 4, 1, 1, params({2, 1}, {0, 0}, {1, 1}), true},
    {2, 2, 2, 6, 9, 2, 3, params({1, 3}, {1, 0}, {2, 1}), false},
    {2, 2, 3, 7, 7, 3, 3, params({2, 2}, {2, 2}, {2, 2}), true},
};

// Transposed: x (N, Cin, H, W) is the small side; output_padding 1 where legal.
const std::vector<Case> kTransposedCases = {
    {2, 2, 3, 3, 4, 3, 3, params({1, 1}, {0, 0}, {1, 1}), true},
    {2, 3, 2, 4, 3, 4, 4, params({2, 2}, {1, 1}, {1, 1}), true},
    {2, 2, 3, 3, 3, 3, 2, params({3, 2}, {2, 1}, {1, 2}, {1, 1}), false},
    {2, 3, 2, 3, 2, 1, 1, params({2, 1}, {0, 0}, {1, 1}, {1, 0}), true},
    {2, 2, 2, 4, 3, 2, 3, params({1, 3}, {1, 0}, {2, 1}, {1, 2}), false},
    {2, 2, 3, 3, 3, 3, 3, params({2, 2}, {2, 2}, {2, 2}, {1, 1}), true},
};

int64_t out_size(int64_t in, int64_t k, int64_t s, int64_t pad, int64_t d) {
    return (in + 2 * pad - d * (k - 1) - 1) / s + 1;
}

// Direct loops, written from the definition: y[n,k,oh,ow] = b[k] +
// sum over c,i,j of x[n,c,oh*s-p+i*d, ow*s-p+j*d] * w[k,c,i,j].
Tensor naive_conv2d(const Tensor& x, const Tensor& w, const Tensor& b, const Conv2dParams& p) {
    const int64_t N = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3);
    const int64_t K = w.size(0), kh = w.size(2), kw = w.size(3);
    const int64_t Ho = out_size(H, kh, p.stride[0], p.padding[0], p.dilation[0]);
    const int64_t Wo = out_size(W, kw, p.stride[1], p.padding[1], p.dilation[1]);
    Tensor y = Tensor::zeros({N, K, Ho, Wo});
    const float *px = x.data(), *pw = w.data();
    float* py = y.data();
    for (int64_t n = 0; n < N; ++n)
        for (int64_t k = 0; k < K; ++k)
            for (int64_t oh = 0; oh < Ho; ++oh)
                for (int64_t ow = 0; ow < Wo; ++ow) {
                    double acc = b.defined() ? b.data()[k] : 0.0;
                    for (int64_t c = 0; c < C; ++c)
                        for (int64_t i = 0; i < kh; ++i)
                            for (int64_t j = 0; j < kw; ++j) {
                                int64_t ih = oh * p.stride[0] - p.padding[0] + i * p.dilation[0];
                                int64_t iw = ow * p.stride[1] - p.padding[1] + j * p.dilation[1];
                                if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                                acc += px[((n * C + c) * H + ih) * W + iw] *
                                       pw[((k * C + c) * kh + i) * kw + j];
                            }
                    py[((n * K + k) * Ho + oh) * Wo + ow] = static_cast<float>(acc);
                }
    return y;
}

// Transposed: every input pixel scatters w[ci, co] into the output.
Tensor naive_conv_transpose2d(const Tensor& x, const Tensor& w, const Tensor& b,
                              const Conv2dParams& p) {
    const int64_t N = x.size(0), Ci = x.size(1), H = x.size(2), W = x.size(3);
    const int64_t Co = w.size(1), kh = w.size(2), kw = w.size(3);
    const int64_t Ho = (H - 1) * p.stride[0] - 2 * p.padding[0] + p.dilation[0] * (kh - 1) +
                       p.output_padding[0] + 1;
    const int64_t Wo = (W - 1) * p.stride[1] - 2 * p.padding[1] + p.dilation[1] * (kw - 1) +
                       p.output_padding[1] + 1;
    Tensor y = Tensor::zeros({N, Co, Ho, Wo});
    const float *px = x.data(), *pw = w.data();
    float* py = y.data();
    for (int64_t n = 0; n < N; ++n)
        for (int64_t co = 0; co < Co; ++co)
            for (int64_t q = 0; q < Ho * Wo; ++q)
                py[(n * Co + co) * Ho * Wo + q] = b.defined() ? b.data()[co] : 0.0f;
    for (int64_t n = 0; n < N; ++n)
        for (int64_t ci = 0; ci < Ci; ++ci)
            for (int64_t h = 0; h < H; ++h)
                for (int64_t v = 0; v < W; ++v)
                    for (int64_t co = 0; co < Co; ++co)
                        for (int64_t i = 0; i < kh; ++i)
                            for (int64_t j = 0; j < kw; ++j) {
                                int64_t oh = h * p.stride[0] - p.padding[0] + i * p.dilation[0];
                                int64_t ow = v * p.stride[1] - p.padding[1] + j * p.dilation[1];
                                if (oh < 0 || oh >= Ho || ow < 0 || ow >= Wo) continue;
                                py[((n * Co + co) * Ho + oh) * Wo + ow] +=
                                    px[((n * Ci + ci) * H + h) * W + v] *
                                    pw[((ci * Co + co) * kh + i) * kw + j];
                            }
    return y;
}

// gw[k,c,i,j] = sum over n,oh,ow of gy[n,k,oh,ow] * x[n,c,oh*s-p+i*d, ow*s-p+j*d].
Tensor naive_conv2d_weight(const Tensor& x, const Tensor& gy, const Shape& ws,
                           const Conv2dParams& p) {
    const int64_t N = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3);
    const int64_t K = ws[0], kh = ws[2], kw = ws[3], Ho = gy.size(2), Wo = gy.size(3);
    Tensor gw = Tensor::zeros(ws);
    for (int64_t k = 0; k < K; ++k)
        for (int64_t c = 0; c < C; ++c)
            for (int64_t i = 0; i < kh; ++i)
                for (int64_t j = 0; j < kw; ++j) {
                    double acc = 0.0;
                    for (int64_t n = 0; n < N; ++n)
                        for (int64_t oh = 0; oh < Ho; ++oh)
                            for (int64_t ow = 0; ow < Wo; ++ow) {
                                int64_t ih = oh * p.stride[0] - p.padding[0] + i * p.dilation[0];
                                int64_t iw = ow * p.stride[1] - p.padding[1] + j * p.dilation[1];
                                if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                                acc += gy.data()[((n * K + k) * Ho + oh) * Wo + ow] *
                                       x.data()[((n * C + c) * H + ih) * W + iw];
                            }
                    gw.data()[((k * C + c) * kh + i) * kw + j] = static_cast<float>(acc);
                }
    return gw;
}

::testing::AssertionResult all_close(const Tensor& a, const Tensor& b, float atol = 1e-4f) {
    if (a.shape() != b.shape())
        return ::testing::AssertionFailure()
               << "shapes " << shape_str(a.shape()) << " vs " << shape_str(b.shape());
    for (int64_t i = 0; i < a.numel(); ++i)
        if (std::fabs(a.data()[i] - b.data()[i]) > atol + 1e-4f * std::fabs(b.data()[i]))
            return ::testing::AssertionFailure()
                   << "element " << i << ": " << a.data()[i] << " vs " << b.data()[i];
    return ::testing::AssertionSuccess();
}

struct Inputs {
    Tensor x, w, b;
};

// conv2d's weight is (Cout, Cin, kh, kw), conv_transpose2d's (Cin, Cout, kh, kw).
Inputs make_inputs(const Case& c, uint64_t seed, bool transposed = false) {
    Rng rng(seed);
    Inputs in;
    in.x = leaf(rng, {c.N, c.Cin, c.H, c.W});
    const Shape w = {transposed ? c.Cin : c.Cout, transposed ? c.Cout : c.Cin, c.kh, c.kw};
    in.w = leaf(rng, w, 0.5f);
    if (c.bias) in.b = leaf(rng, {c.Cout});
    return in;
}

std::vector<Tensor> with_bias(const Inputs& in) {
    std::vector<Tensor> v{in.x, in.w};
    if (in.b.defined()) v.push_back(in.b);
    return v;
}

Tensor arg(const std::vector<Tensor>& in, size_t i) {
    return i < in.size() ? in[i] : Tensor();
}

}  // namespace

TEST(Conv, OutputShapes) {
    Tensor x = Tensor::zeros({2, 3, 28, 28}), w = Tensor::zeros({8, 3, 4, 4});
    EXPECT_EQ(conv2d(x, w, Tensor(), params({2, 2}, {1, 1}, {1, 1})).shape(),
              (Shape{2, 8, 14, 14}));
    EXPECT_EQ(conv2d(x, w, Tensor(), params({3, 1}, {0, 2}, {2, 1})).shape(), (Shape{2, 8, 8, 29}));
    // conv_transpose2d's weight is (Cin, Cout, kh, kw).
    Tensor xt = Tensor::zeros({2, 8, 7, 7}), wt = Tensor::zeros({8, 3, 4, 4});
    EXPECT_EQ(conv_transpose2d(xt, wt, Tensor(), params({2, 2}, {1, 1}, {1, 1})).shape(),
              (Shape{2, 3, 14, 14}));
    EXPECT_EQ(conv_transpose2d(xt, wt, Tensor(), params({2, 3}, {1, 0}, {1, 2}, {1, 2})).shape(),
              (Shape{2, 3, 15, 27}));
    Tensor gy = Tensor::zeros({2, 8, 14, 14});
    EXPECT_EQ(conv2d_weight(x, gy, {8, 3, 4, 4}, params({2, 2}, {1, 1}, {1, 1})).shape(),
              (Shape{8, 3, 4, 4}));
}

// Every error is std::invalid_argument and names the shapes involved.
TEST(Conv, RejectsBadArguments) {
    auto expect_error = [](auto f, const std::vector<std::string>& mentions) {
        try {
            f();
            ADD_FAILURE() << "no exception";
        } catch (const std::invalid_argument& e) {
            for (const auto& m : mentions)
                EXPECT_NE(std::string(e.what()).find(m), std::string::npos) << e.what();
        }
    };
    Tensor x = Tensor::zeros({2, 3, 8, 8}), w = Tensor::zeros({4, 3, 3, 3});
    Conv2dParams p;
    expect_error([&] { conv2d(Tensor::zeros({3, 8, 8}), w, Tensor(), p); }, {"(3, 8, 8)"});
    expect_error(
        [&] {
            conv2d(x, Tensor::zeros({4, 2, 3, 3}), Tensor(), p);
        },
        {"(2, 3, 8, 8)", "(4, 2, 3, 3)"});
    expect_error([&] { conv2d(x, w, Tensor::zeros({3}), p); }, {"(3,)", "(4, 3, 3, 3)"});
    expect_error(
        [&] {
            conv2d(x, Tensor::zeros({4, 3, 9, 3}), Tensor(), p);
        },
        {"(2, 3, 8, 8)", "(4, 3, 9, 3)"});
    expect_error([&] { conv2d(x, w, Tensor(), params({0, 1}, {0, 0}, {1, 1})); }, {"stride"});
    expect_error([&] { conv2d(x, w, Tensor(), params({1, 1}, {-1, 0}, {1, 1})); }, {"padding"});
    expect_error([&] { conv2d(x, w, Tensor(), params({1, 1}, {0, 0}, {1, 0})); }, {"dilation"});
    expect_error(
        [&] {
            conv2d(x, w, Tensor(), params({2, 2}, {0, 0}, {1, 1}, {1, 1}));
        },
        {"output_padding"});
    Tensor wt = Tensor::zeros({3, 5, 3, 3});  // (Cin, Cout, kh, kw)
    expect_error([&] { conv_transpose2d(x, w, Tensor(), p); }, {"(2, 3, 8, 8)", "(4, 3, 3, 3)"});
    expect_error([&] { conv_transpose2d(x, wt, Tensor::zeros({3}), p); }, {"(3,)", "(3, 5, 3, 3)"});
    expect_error(
        [&] {
            conv_transpose2d(x, wt, Tensor(), params({2, 2}, {0, 0}, {1, 1}, {2, 0}));
        },
        {"output_padding"});
    expect_error(
        [&] {
            conv_transpose2d(x, wt, Tensor(), params({1, 1}, {6, 6}, {1, 1}));
        },
        {"(2, 3, 8, 8)", "(3, 5, 3, 3)"});
    expect_error(
        [&] {
            conv2d_weight(x, Tensor::zeros({2, 4, 5, 6}), {4, 3, 3, 3}, p);
        },
        {"(2, 4, 5, 6)", "(2, 3, 8, 8)"});
    expect_error(
        [&] {
            conv2d_weight(x, Tensor::zeros({2, 4, 6, 6}), {4, 2, 3, 3}, p);
        },
        {"(2, 4, 6, 6)", "(4, 2, 3, 3)"});
    // Legal in PyTorch: output_padding below dilation though not below stride.
    EXPECT_EQ(conv_transpose2d(x, wt, Tensor(), params({1, 1}, {0, 0}, {2, 2}, {1, 1})).shape(),
              (Shape{2, 5, 13, 13}));
}

TEST(Conv, Conv2dMatchesDirectLoops) {
    for (const Case& c : kConvCases) {
        SCOPED_TRACE(c.name());
        Inputs in = make_inputs(c, 7);
        NoGradGuard no_grad;
        Tensor y = conv2d(in.x, in.w, in.b, c.p);
        EXPECT_TRUE(all_close(y, naive_conv2d(in.x, in.w, in.b, c.p)));
        Rng rng(8);
        Tensor gy = rng.randn(y.shape());
        EXPECT_TRUE(all_close(conv2d_weight(in.x, gy, in.w.shape(), c.p),
                              naive_conv2d_weight(in.x, gy, in.w.shape(), c.p)));
    }
}

TEST(Conv, ConvTranspose2dMatchesDirectLoops) {
    for (const Case& c : kTransposedCases) {
        SCOPED_TRACE(c.name());
        Inputs in = make_inputs(c, 9, true);
        NoGradGuard no_grad;
        EXPECT_TRUE(all_close(conv_transpose2d(in.x, in.w, in.b, c.p),
                              naive_conv_transpose2d(in.x, in.w, in.b, c.p)));
    }
}

// The DCGAN-28 layers at batch 3, run with 1 to 4 threads: the batch is cut
// into chunks differently each time (one serial chunk, uneven chunks, single
// samples, one chunk with parallel steps inside).
TEST(Conv, DcganLayersMatchDirectLoops) {
    Rng rng(10);
    NoGradGuard no_grad;
    const Conv2dParams p = params({2, 2}, {1, 1}, {1, 1});
    Tensor x1 = rng.randn({3, 1, 28, 28}), w1 = rng.randn({64, 1, 4, 4}), b1 = rng.randn({64});
    Tensor x2 = rng.randn({3, 64, 14, 14}), w2 = rng.randn({128, 64, 4, 4});
    Tensor g2 = rng.randn({3, 128, 7, 7});
    Tensor x3 = rng.randn({3, 128, 7, 7}), w3 = rng.randn({128, 64, 4, 4});
    Tensor x4 = rng.randn({3, 64, 14, 14}), w4 = rng.randn({64, 1, 4, 4}), b4 = rng.randn({1});
    const Tensor y1 = naive_conv2d(x1, w1, b1, p), y2 = naive_conv2d(x2, w2, Tensor(), p);
    const Tensor gw2 = naive_conv2d_weight(x2, g2, w2.shape(), p);
    const Tensor y3 = naive_conv_transpose2d(x3, w3, Tensor(), p);
    const Tensor y4 = naive_conv_transpose2d(x4, w4, b4, p);
    const int threads = cpu::num_threads();
    for (int t : {1, 2, 3, 4}) {
        SCOPED_TRACE(std::to_string(t) + " threads");
        cpu::set_num_threads(t);
        EXPECT_TRUE(all_close(conv2d(x1, w1, b1, p), y1));
        EXPECT_TRUE(all_close(conv2d(x2, w2, Tensor(), p), y2, 1e-3f));
        EXPECT_TRUE(all_close(conv2d_weight(x2, g2, w2.shape(), p), gw2, 1e-3f));
        EXPECT_TRUE(all_close(conv_transpose2d(x3, w3, Tensor(), p), y3, 1e-3f));
        EXPECT_TRUE(all_close(conv_transpose2d(x4, w4, b4, p), y4));
    }
    cpu::set_num_threads(threads);
}

TEST(Conv, Conv2dGradcheck) {
    for (const Case& c : kConvCases) {
        SCOPED_TRACE(c.name());
        Inputs in = make_inputs(c, 11);
        EXPECT_TRUE(
            gradcheck([&](auto& v) { return conv2d(v[0], v[1], arg(v, 2), c.p); }, with_bias(in)));
    }
}

TEST(Conv, ConvTranspose2dGradcheck) {
    for (const Case& c : kTransposedCases) {
        SCOPED_TRACE(c.name());
        Inputs in = make_inputs(c, 12, true);
        EXPECT_TRUE(gradcheck([&](auto& v) { return conv_transpose2d(v[0], v[1], arg(v, 2), c.p); },
                              with_bias(in)));
    }
}

TEST(Conv, Conv2dWeightGradcheck) {
    for (const Case& c : kConvCases) {
        SCOPED_TRACE(c.name());
        Inputs in = make_inputs(c, 13);
        Tensor y = conv2d(in.x.detach(), in.w.detach(), Tensor(), c.p);
        Rng rng(14);
        Tensor gy = leaf(rng, y.shape());
        const Shape ws = in.w.shape();
        EXPECT_TRUE(
            gradcheck([&](auto& v) { return conv2d_weight(v[0], v[1], ws, c.p); }, {in.x, gy}));
    }
}

// The mixed second derivatives (x with w, x with grad_out) through each op.
TEST(Conv, Conv2dGradgradcheck) {
    for (const Case& c : kConvCases) {
        SCOPED_TRACE(c.name());
        Inputs in = make_inputs(c, 15);
        EXPECT_TRUE(gradgradcheck([&](auto& v) { return conv2d(v[0], v[1], arg(v, 2), c.p); },
                                  with_bias(in)));
    }
}

TEST(Conv, ConvTranspose2dGradgradcheck) {
    for (const Case& c : kTransposedCases) {
        SCOPED_TRACE(c.name());
        Inputs in = make_inputs(c, 16, true);
        EXPECT_TRUE(gradgradcheck(
            [&](auto& v) { return conv_transpose2d(v[0], v[1], arg(v, 2), c.p); }, with_bias(in)));
    }
}

TEST(Conv, Conv2dWeightGradgradcheck) {
    const Case& c = kConvCases[2];
    Inputs in = make_inputs(c, 17);
    Tensor y = conv2d(in.x.detach(), in.w.detach(), Tensor(), c.p);
    Rng rng(18);
    Tensor gy = leaf(rng, y.shape());
    const Shape ws = in.w.shape();
    EXPECT_TRUE(
        gradgradcheck([&](auto& v) { return conv2d_weight(v[0], v[1], ws, c.p); }, {in.x, gy}));
}

// A small critic with a curved activation between two convolutions, as the
// gradient penalty differentiates it: the second derivative is not just the
// mixed terms of one bilinear op.
TEST(Conv, GradgradcheckThroughTwoLayers) {
    Rng rng(19);
    Tensor x = leaf(rng, {2, 1, 7, 6});
    Tensor w1 = leaf(rng, {3, 1, 4, 4}, 0.5f), b1 = leaf(rng, {3}, 0.5f);
    Tensor w2 = leaf(rng, {2, 3, 3, 3}, 0.5f);
    const Conv2dParams p1 = params({2, 2}, {1, 1}, {1, 1}), p2 = params({1, 1}, {1, 1}, {1, 1});
    EXPECT_TRUE(gradgradcheck(
        [&](auto& v) {
            Tensor h = conv2d(v[0], v[1], v[2], p1);  // (2, 3, 3, 3)
            h = mul(h, h);
            return conv2d(h, v[3], Tensor(), p2);  // (2, 2, 3, 3)
        },
        {x, w1, b1, w2}));
}

// The bias gradient's fast kernel and its differentiable form agree.
TEST(Conv, BiasGradientFastPathMatchesSum) {
    Rng rng(20);
    Tensor x = rng.randn({3, 2, 6, 5}), w = rng.randn({4, 2, 3, 3}), b = leaf(rng, {4});
    const Conv2dParams p = params({1, 1}, {1, 1}, {1, 1});
    Tensor y = conv2d(x, w, b, p);
    Tensor gy = rng.randn(y.shape());
    Tensor fast = grad({y}, {b}, {gy}, false)[0];
    Tensor slow = grad({y}, {b}, {gy}, true)[0];
    EXPECT_TRUE(all_close(fast, slow.detach(), 1e-5f));
    EXPECT_TRUE(all_close(fast, sum(gy, {0, 2, 3}), 1e-5f));
}

// Only the gradients asked for are computed; a frozen input gets none.
TEST(Conv, GradientOnlyWhereNeeded) {
    Rng rng(21);
    Tensor x = rng.randn({2, 2, 5, 5}), w = leaf(rng, {3, 2, 3, 3});
    Tensor y = conv2d(x, w, Tensor(), Conv2dParams{});
    sum(y).backward();
    EXPECT_TRUE(w.grad().defined());
    EXPECT_FALSE(x.grad().defined());
}
