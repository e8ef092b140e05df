// Batch norm and layer norm: values and running statistics against a plain
// double-precision reference, gradients and second derivatives against finite
// differences, fused backward against the composed one, and shape errors.
#include <gtest/gtest.h>

#include <cmath>

#include "autograd/autograd.h"
#include "backend/cpu/thread_pool.h"
#include "support/gradcheck.h"

using namespace ganvas;
using ganvas::testing::gradcheck;
using ganvas::testing::gradgradcheck;
using ganvas::testing::leaf;

namespace {

// Per-channel batch statistics of an (N, C, ...) tensor, in double.
struct RefStats {
    std::vector<double> mean, var;  // biased variance
    int64_t count = 0;
};

RefStats ref_stats(const Tensor& x) {
    const int64_t n = x.size(0), c = x.size(1), s = x.numel() / (n * c);
    RefStats r{std::vector<double>(c, 0.0), std::vector<double>(c, 0.0), n * s};
    const float* p = x.data();
    for (int64_t ch = 0; ch < c; ++ch) {
        for (int64_t i = 0; i < n; ++i)
            for (int64_t j = 0; j < s; ++j) r.mean[ch] += p[(i * c + ch) * s + j];
        r.mean[ch] /= r.count;
        for (int64_t i = 0; i < n; ++i)
            for (int64_t j = 0; j < s; ++j) {
                const double d = p[(i * c + ch) * s + j] - r.mean[ch];
                r.var[ch] += d * d;
            }
        r.var[ch] /= r.count;
    }
    return r;
}

// Expects y == (x - mean) / sqrt(var + eps) * w + b per channel.
void expect_normalized(const Tensor& y, const Tensor& x, const std::vector<double>& mean,
                       const std::vector<double>& var, const Tensor& w, const Tensor& b,
                       double tol) {
    const int64_t n = x.size(0), c = x.size(1), s = x.numel() / (n * c);
    for (int64_t i = 0; i < n; ++i)
        for (int64_t ch = 0; ch < c; ++ch)
            for (int64_t j = 0; j < s; ++j) {
                const int64_t k = (i * c + ch) * s + j;
                double ref = (x.data()[k] - mean[ch]) / std::sqrt(var[ch] + 1e-5);
                if (w.defined()) ref *= w.data()[ch];
                if (b.defined()) ref += b.data()[ch];
                ASSERT_NEAR(y.data()[k], ref, tol) << "element " << k;
            }
}

void expect_close(const Tensor& a, const Tensor& b, float tol, const char* what) {
    ASSERT_EQ(a.shape(), b.shape()) << what;
    for (int64_t i = 0; i < a.numel(); ++i)
        ASSERT_NEAR(a.data()[i], b.data()[i], tol * (1.0f + std::fabs(b.data()[i])))
            << what << " element " << i;
}

// Gradients of sum(f(inputs) * w) from the fused rule (plain backward) and the
// composed one (create_graph) agree.
void expect_fused_matches_composed(const ganvas::testing::Fn& f, const std::vector<Tensor>& inputs,
                                   float tol = 1e-4f) {
    Rng rng(77);
    Tensor w = rng.randn(f(inputs).shape());
    std::vector<Tensor> fused = grad({sum(mul(f(inputs), w))}, inputs, {}, false);
    std::vector<Tensor> composed = grad({sum(mul(f(inputs), w))}, inputs, {}, true);
    for (size_t i = 0; i < inputs.size(); ++i) expect_close(fused[i], composed[i], tol, "gradient");
}

Tensor positive(Rng& rng, const Shape& shape) {
    Tensor t = rng.rand(shape);
    float* p = t.data();
    for (int64_t i = 0; i < t.numel(); ++i) p[i] += 0.5f;
    return t;
}

}  // namespace

TEST(BatchNorm, TrainingValuesAndRunningStats) {
    Rng rng(30);
    for (Shape shape : {Shape{6, 3}, Shape{4, 3, 2, 5}, Shape{3, 2, 7}}) {
        const int64_t c = shape[1];
        Tensor x = rng.randn(shape);
        Tensor w = rng.randn({c}), b = rng.randn({c});
        Tensor rm = rng.randn({c}), rv = positive(rng, {c});
        std::vector<float> rm0 = rm.to_vector(), rv0 = rv.to_vector();
        RefStats st = ref_stats(x);
        Tensor y = batch_norm(x, rm, rv, w, b, true);
        expect_normalized(y, x, st.mean, st.var, w, b, 2e-5);
        for (int64_t ch = 0; ch < c; ++ch) {
            const double unbiased = st.var[ch] * st.count / (st.count - 1.0);
            EXPECT_NEAR(rm.data()[ch], 0.9 * rm0[ch] + 0.1 * st.mean[ch], 1e-6);
            EXPECT_NEAR(rv.data()[ch], 0.9 * rv0[ch] + 0.1 * unbiased, 1e-6);
        }
        // A second call keeps blending, with its own batch.
        Tensor x2 = rng.randn(shape);
        RefStats st2 = ref_stats(x2);
        std::vector<float> rm1 = rm.to_vector(), rv1 = rv.to_vector();
        batch_norm(x2, rm, rv, Tensor(), Tensor(), true, 0.3f);
        for (int64_t ch = 0; ch < c; ++ch) {
            EXPECT_NEAR(rm.data()[ch], 0.7 * rm1[ch] + 0.3 * st2.mean[ch], 1e-6);
            EXPECT_NEAR(rv.data()[ch],
                        0.7 * rv1[ch] + 0.3 * st2.var[ch] * st2.count / (st2.count - 1.0), 1e-6);
        }
    }
}

TEST(BatchNorm, TrainingWithoutBuffersOrAffine) {
    Rng rng(31);
    Tensor x = rng.randn({5, 4, 3, 3});
    RefStats st = ref_stats(x);
    Tensor y = batch_norm(x, Tensor(), Tensor(), Tensor(), Tensor(), true);
    expect_normalized(y, x, st.mean, st.var, Tensor(), Tensor(), 2e-5);
}

TEST(BatchNorm, EvalUsesRunningStats) {
    Rng rng(32);
    Tensor x = rng.randn({3, 4, 2, 2});
    Tensor w = rng.randn({4}), b = rng.randn({4});
    Tensor rm = rng.randn({4}), rv = positive(rng, {4});
    std::vector<float> rm0 = rm.to_vector(), rv0 = rv.to_vector();
    Tensor y = batch_norm(x, rm, rv, w, b, false);
    std::vector<double> m(rm0.begin(), rm0.end()), v(rv0.begin(), rv0.end());
    expect_normalized(y, x, m, v, w, b, 1e-5);
    EXPECT_EQ(rm.to_vector(), rm0);  // eval never touches the buffers
    EXPECT_EQ(rv.to_vector(), rv0);
}

TEST(BatchNorm, EmptySpatialExtent) {
    // Eval mode on (N, C, 0, W) gives an empty output and empty or zero gradients.
    Tensor x = Tensor::zeros({2, 3, 0, 4}).requires_grad_();
    Tensor w = Tensor::ones({3}).requires_grad_();
    Tensor y = batch_norm(x, Tensor::zeros({3}), Tensor::ones({3}), w, Tensor(), false);
    EXPECT_EQ(y.shape(), x.shape());
    std::vector<Tensor> g = grad({sum(y)}, {x, w});
    EXPECT_EQ(g[0].numel(), 0);
    EXPECT_EQ(g[1].to_vector(), (std::vector<float>{0.0f, 0.0f, 0.0f}));
    EXPECT_THROW(batch_norm(x, Tensor(), Tensor(), w, Tensor(), true), std::invalid_argument);
}

TEST(BatchNorm, LargeMeanKeepsVarianceAccurate) {
    // Data far from zero: a naive one-pass E[x^2] - E[x]^2 in float would lose the variance.
    Rng rng(33);
    Tensor x = rng.randn({64, 2, 7, 7});
    for (int64_t i = 0; i < x.numel(); ++i) x.data()[i] = 1000.0f + 0.01f * x.data()[i];
    Tensor rv = Tensor::ones({2});
    RefStats st = ref_stats(x);
    batch_norm(x, Tensor::zeros({2}), rv, Tensor(), Tensor(), true,
               1.0f);  // rv = the batch's variance
    for (int ch = 0; ch < 2; ++ch) {
        const double unbiased = st.var[ch] * st.count / (st.count - 1.0);  // about 1e-4
        EXPECT_NEAR(rv.data()[ch], unbiased, 1e-4 * unbiased);
    }
    Tensor xs = rng.randn({3000, 3});  // S == 1 path, also far from zero
    for (int64_t i = 0; i < xs.numel(); ++i) xs.data()[i] = -500.0f + 0.02f * xs.data()[i];
    Tensor y = batch_norm(xs, Tensor(), Tensor(), Tensor(), Tensor(), true);
    RefStats st2 = ref_stats(xs);
    // y = x * scale + shift with scale = invstd ~ 50 and shift = -mean * scale ~ 25000:
    // two floats near 25000 cancel, so y keeps their rounding, half an ulp of 25000
    // (2^-10) each for shift and for x * scale, plus the float mean's own rounding
    // (half an ulp of 500, 2^-16, times scale: 8e-4). With -march=native the compiler
    // fuses x * scale + shift into one FMA and the second 2^-10 vanishes (1.8e-3 at
    // most); a GANVAS_PORTABLE=ON build has no FMA and reaches 2.0e-3. Bound for both:
    const double tol = 2 * std::ldexp(1.0, -10) + std::ldexp(1.0, -16) * 50;  // 2.7e-3
    expect_normalized(y, xs, st2.mean, st2.var, Tensor(), Tensor(), tol);
}

TEST(BatchNorm, Gradcheck) {
    Rng rng(34);
    Tensor x2 = leaf(rng, {5, 3}), x4 = leaf(rng, {3, 2, 2, 3});
    Tensor w = leaf(rng, {3}), b = leaf(rng, {3}), w2 = leaf(rng, {2}), b2 = leaf(rng, {2});
    Tensor rm = Tensor::zeros({3}), rv = Tensor::ones({3});
    Tensor rm2 = Tensor::zeros({2}), rv2 = Tensor::ones({2});
    auto train = [&](Tensor m, Tensor v) {
        return [m, v](const std::vector<Tensor>& in) {
            return batch_norm(in[0], m, v, in[1], in[2], true);
        };
    };
    EXPECT_TRUE(gradcheck(train(rm, rv), {x2, w, b}));
    EXPECT_TRUE(gradcheck(train(rm2, rv2), {x4, w2, b2}));
    EXPECT_TRUE(gradcheck(
        [](auto& in) { return batch_norm(in[0], Tensor(), Tensor(), Tensor(), Tensor(), true); },
        {x4}));
    auto eval = [&](Tensor m, Tensor v) {
        return [m, v](const std::vector<Tensor>& in) {
            return batch_norm(in[0], m, v, in[1], in[2], false);
        };
    };
    Tensor erm = rng.randn({2}), erv = positive(rng, {2});
    EXPECT_TRUE(gradcheck(eval(erm, erv), {x4, w2, b2}));
}

TEST(BatchNorm, Gradgradcheck) {
    Rng rng(35);
    Tensor x2 = leaf(rng, {4, 3}), x4 = leaf(rng, {3, 2, 2, 2});
    Tensor w = leaf(rng, {3}), b = leaf(rng, {3}), w2 = leaf(rng, {2}), b2 = leaf(rng, {2});
    Tensor rm = Tensor::zeros({3}), rv = Tensor::ones({3});
    EXPECT_TRUE(gradgradcheck(
        [&](auto& in) { return batch_norm(in[0], rm, rv, in[1], in[2], true); }, {x2, w, b}));
    EXPECT_TRUE(gradgradcheck(
        [](auto& in) { return batch_norm(in[0], Tensor(), Tensor(), in[1], in[2], true); },
        {x4, w2, b2}));
    // A nonlinearity after the norm, as in a discriminator, so the second derivative is not
    // trivial.
    EXPECT_TRUE(gradgradcheck(
        [](auto& in) { return tanh(batch_norm(in[0], Tensor(), Tensor(), in[1], Tensor(), true)); },
        {x4, w2}));
    Tensor erm = rng.randn({2}), erv = positive(rng, {2});
    EXPECT_TRUE(gradgradcheck(
        [&](auto& in) { return tanh(batch_norm(in[0], erm, erv, in[1], in[2], false)); },
        {x4, w2, b2}));
}

TEST(BatchNorm, FusedBackwardMatchesComposed) {
    Rng rng(36);
    // S == 1 with more channels than one column block, and S > 1 split over threads.
    for (Shape shape : {Shape{7, 300}, Shape{6, 5, 9, 9}}) {
        const int64_t c = shape[1];
        Tensor x = leaf(rng, shape), w = leaf(rng, {c}), b = leaf(rng, {c});
        expect_fused_matches_composed(
            [](auto& in) { return batch_norm(in[0], Tensor(), Tensor(), in[1], in[2], true); },
            {x, w, b});
        expect_fused_matches_composed(
            [](auto& in) {
                return batch_norm(in[0], Tensor(), Tensor(), Tensor(), Tensor(), true);
            },
            {x});
    }
}

TEST(BatchNorm, OnlyWeightGradientWanted) {
    // needed[x] == false: the fused rule skips gx but still gives gw, gb.
    Rng rng(37);
    Tensor x = rng.randn({4, 3, 2, 2});
    Tensor w = leaf(rng, {3}), b = leaf(rng, {3});
    Tensor y = batch_norm(x, Tensor(), Tensor(), w, b, true);
    std::vector<Tensor> g = grad({sum(y)}, {w, b});
    for (int ch = 0; ch < 3; ++ch) {
        EXPECT_NEAR(g[0].data()[ch], 0.0f, 1e-4f);  // sum of xhat over a channel is 0
        EXPECT_NEAR(g[1].data()[ch], 16.0f, 1e-5f);
    }
}

TEST(BatchNorm, SameResultWithOneThread) {
    Rng rng(38);
    Tensor x = leaf(rng, {16, 600}), w = leaf(rng, {600});
    auto run = [&] {
        Tensor y = batch_norm(x, Tensor(), Tensor(), w, Tensor(), true);
        std::vector<Tensor> g = grad({sum(mul(y, y))}, {x, w});
        return std::vector<Tensor>{y, g[0], g[1]};
    };
    const int threads = cpu::num_threads();
    std::vector<Tensor> many = run();
    cpu::set_num_threads(1);
    std::vector<Tensor> one = run();
    cpu::set_num_threads(threads);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(many[i].to_vector(), one[i].to_vector());
}

TEST(BatchNorm, ShapeErrors) {
    Tensor x = Tensor::zeros({4, 3, 2, 2});
    EXPECT_THROW(batch_norm(Tensor::zeros({4}), Tensor(), Tensor(), Tensor(), Tensor(), true),
                 std::invalid_argument);
    try {
        batch_norm(x, Tensor(), Tensor(), Tensor::ones({4}), Tensor(), true);
        FAIL() << "expected std::invalid_argument";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("(4, 3, 2, 2)"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("(4,)"), std::string::npos) << e.what();
    }
    EXPECT_THROW(batch_norm(x, Tensor::zeros({2}), Tensor::ones({3}), Tensor(), Tensor(), true),
                 std::invalid_argument);
    EXPECT_THROW(batch_norm(x, Tensor(), Tensor(), Tensor(), Tensor(), false),
                 std::invalid_argument);
    // One value per channel has no variance to normalize by.
    EXPECT_THROW(batch_norm(Tensor::zeros({1, 3}), Tensor(), Tensor(), Tensor(), Tensor(), true),
                 std::invalid_argument);
}

TEST(LayerNorm, Values) {
    Rng rng(40);
    Tensor x = rng.randn({2, 3, 5});
    Tensor w = rng.randn({5}), b = rng.randn({5});
    Tensor y = layer_norm(x, w, b);
    Tensor y0 = layer_norm(x, Tensor(), Tensor());
    for (int64_t r = 0; r < 6; ++r) {
        double m = 0.0, v = 0.0;
        for (int j = 0; j < 5; ++j) m += x.data()[r * 5 + j] / 5.0;
        for (int j = 0; j < 5; ++j) v += std::pow(x.data()[r * 5 + j] - m, 2) / 5.0;
        for (int j = 0; j < 5; ++j) {
            const double xhat = (x.data()[r * 5 + j] - m) / std::sqrt(v + 1e-5);
            EXPECT_NEAR(y0.data()[r * 5 + j], xhat, 1e-5);
            EXPECT_NEAR(y.data()[r * 5 + j], xhat * w.data()[j] + b.data()[j], 1e-5);
        }
    }
}

TEST(LayerNorm, Gradcheck) {
    Rng rng(41);
    Tensor x = leaf(rng, {3, 2, 4}), w = leaf(rng, {4}), b = leaf(rng, {4});
    EXPECT_TRUE(gradcheck([](auto& in) { return layer_norm(in[0], in[1], in[2]); }, {x, w, b}));
    EXPECT_TRUE(gradcheck([](auto& in) { return layer_norm(in[0], Tensor(), Tensor()); }, {x}));
    EXPECT_TRUE(gradgradcheck([](auto& in) { return layer_norm(in[0], in[1], in[2]); }, {x, w, b}));
    EXPECT_TRUE(
        gradgradcheck([](auto& in) { return tanh(layer_norm(in[0], in[1], Tensor())); }, {x, w}));
}

TEST(LayerNorm, FusedBackwardMatchesComposed) {
    Rng rng(42);
    Tensor x = leaf(rng, {300, 64}), w = leaf(rng, {64}), b = leaf(rng, {64});
    expect_fused_matches_composed([](auto& in) { return layer_norm(in[0], in[1], in[2]); },
                                  {x, w, b});
    expect_fused_matches_composed([](auto& in) { return layer_norm(in[0], Tensor(), Tensor()); },
                                  {x});
}

TEST(LayerNorm, ShapeErrors) {
    Tensor x = Tensor::zeros({2, 3});
    EXPECT_THROW(layer_norm(x, Tensor::ones({2}), Tensor()), std::invalid_argument);
    EXPECT_THROW(layer_norm(x, Tensor(), Tensor::ones({3, 1})), std::invalid_argument);
    EXPECT_THROW(layer_norm(Tensor::scalar(1.0f), Tensor(), Tensor()), std::invalid_argument);
}
