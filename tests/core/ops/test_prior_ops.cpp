// The ops prior49 adds: GELU (exact erf form) and causal multi-head self-attention,
// against finite differences and against tensors PyTorch 1.13 wrote
// (tests/golden/golden_prior.py).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "autograd/autograd.h"
#include "io/npy.h"
#include "support/golden.h"
#include "support/gradcheck.h"

using namespace ganvas;
using ganvas::testing::gradcheck;
using ganvas::testing::gradgradcheck;
using ganvas::testing::leaf;

namespace {

Tensor golden(const std::string& name) {
    return ganvas::testing::golden("prior_ops/" + name + ".npy");
}

void expect_close(const Tensor& got, const std::string& name, float atol = 1e-5f) {
    ganvas::testing::expect_close(got, golden(name), atol, 1e-4, name);
}

}  // namespace

TEST(Gelu, MatchesTorchValuesAndFirstAndSecondDerivatives) {
    Tensor x = golden("gelu_x").requires_grad_(true);
    Tensor y = gelu(x);
    expect_close(y, "gelu_y");
    Tensor gx = grad({sum(mul(y, golden("gelu_gy")))}, {x}, {}, true)[0];
    expect_close(gx, "gelu_gx");
    expect_close(grad({sum(mul(gx, golden("gelu_v")))}, {x})[0], "gelu_ggx");
}

TEST(Gelu, GradcheckAndGradgradcheck) {
    Rng rng(3);
    Tensor x = leaf(rng, {3, 5}, 1.5f);
    EXPECT_TRUE(gradcheck([](auto& in) { return gelu(in[0]); }, {x}));
    EXPECT_TRUE(gradgradcheck([](auto& in) { return gelu(in[0]); }, {x}));
}

TEST(CausalAttention, MaskIsZeroOnAndBelowTheDiagonal) {
    Tensor m = causal_mask(3);
    const float inf = INFINITY;
    EXPECT_EQ(m.to_vector(), (std::vector<float>{0, -inf, -inf, 0, 0, -inf, 0, 0, 0}));
}

TEST(CausalAttention, MatchesTorchBlockAttentionAndGradient) {
    Tensor qkv = golden("attn_qkv").requires_grad_(true);  // (2, 5, 24)
    Tensor probabilities;
    Tensor y = causal_self_attention(qkv, 2, &probabilities);
    expect_close(y, "attn_y");
    expect_close(grad({sum(mul(y, golden("attn_gy")))}, {qkv})[0], "attn_gqkv");
    ASSERT_EQ(probabilities.shape(), (Shape{2, 2, 5, 5}));
    // Each row is a distribution over the positions up to and including its own.
    for (int64_t r = 0; r < 2 * 2 * 5; ++r) {
        const float* row = probabilities.data() + r * 5;
        const int64_t t = r % 5;
        float total = 0.0f;
        for (int64_t j = 0; j < 5; ++j) {
            if (j > t) {
                EXPECT_EQ(row[j], 0.0f);
            }
            total += row[j];
        }
        EXPECT_NEAR(total, 1.0f, 1e-6f);
    }
}

TEST(CausalAttention, OutputDoesNotDependOnLaterPositions) {
    Rng rng(5);
    Tensor qkv = rng.randn({1, 4, 12});
    Tensor y1 = causal_self_attention(qkv, 2);
    for (int64_t c = 0; c < 12; ++c) qkv.data()[3 * 12 + c] += 5.0f;  // change the last position
    Tensor y2 = causal_self_attention(qkv, 2);
    for (int64_t i = 0; i < 3 * 4; ++i) EXPECT_EQ(y1.data()[i], y2.data()[i]);
    EXPECT_NE(y1.data()[3 * 4], y2.data()[3 * 4]);
}

TEST(CausalAttention, Gradcheck) {
    Rng rng(4);
    Tensor qkv = leaf(rng, {2, 3, 12});
    EXPECT_TRUE(gradcheck([](auto& in) { return causal_self_attention(in[0], 2); }, {qkv}));
    EXPECT_TRUE(gradgradcheck([](auto& in) { return causal_self_attention(in[0], 2); }, {qkv}));
}

// The CPU's fused kernel against the same attention composed of small ops:
// values, probabilities, the gradient and the gradient of the gradient, on
// shapes with one token, one head, one channel and odd sizes.
TEST(CausalAttention, TheFusedKernelAgreesWithTheComposedOps) {
    struct Case {
        int64_t B, T, heads, D;
    };
    for (const Case c : {Case{1, 1, 1, 1}, Case{2, 5, 3, 4}, Case{3, 7, 1, 8}, Case{2, 49, 4, 3}}) {
        SCOPED_TRACE("B " + std::to_string(c.B) + " T " + std::to_string(c.T) + " heads " +
                     std::to_string(c.heads) + " D " + std::to_string(c.D));
        Rng rng(static_cast<uint64_t>(c.B * 1000 + c.T * 10 + c.D));
        const int64_t C = c.heads * c.D;
        Tensor qkv = leaf(rng, {c.B, c.T, 3 * C});
        Tensor gy = rng.randn({c.B, c.T, C}), r = rng.randn({c.B, c.T, 3 * C});
        Tensor p_fused, p_ops;
        Tensor y_fused = causal_self_attention(qkv, c.heads, &p_fused);
        Tensor y_ops = causal_self_attention_unfused(qkv, c.heads, &p_ops);
        ganvas::testing::expect_close(y_fused, y_ops, 1e-6f, 1e-5, "y");
        ganvas::testing::expect_close(p_fused, p_ops, 1e-6f, 1e-5, "probabilities");
        // First and second order: g = d<y, gy>/dqkv with a graph, then d<g, r>/dqkv.
        auto gradients = [&](const Tensor& y) {
            Tensor g = grad({sum(mul(y, gy))}, {qkv}, {}, true)[0];
            Tensor gg = grad({sum(mul(g, r))}, {qkv})[0];
            return std::vector<Tensor>{g.detach(), gg};
        };
        const std::vector<Tensor> fused = gradients(y_fused), ops = gradients(y_ops);
        ganvas::testing::expect_close(fused[0], ops[0], 1e-5f, 1e-4, "gradient");
        ganvas::testing::expect_close(fused[1], ops[1], 1e-5f, 1e-4, "second-order gradient");
        // Without a graph the fused backward kernel itself runs.
        Tensor g_kernel = grad({sum(mul(causal_self_attention(qkv, c.heads), gy))}, {qkv})[0];
        ganvas::testing::expect_close(g_kernel, ops[0], 1e-5f, 1e-4, "gradient (kernel)");
    }
}

TEST(CausalAttention, RejectsBadShapes) {
    EXPECT_THROW(causal_self_attention(Tensor::zeros({2, 3, 10}), 2), std::invalid_argument);
    EXPECT_THROW(causal_self_attention(Tensor::zeros({2, 3, 12}), 3), std::invalid_argument);
    EXPECT_THROW(causal_self_attention(Tensor::zeros({3, 12}), 2), std::invalid_argument);
}

TEST(CrossEntropy, CoversPriorSizedLogits) {
    // (B*T, V) = (2*49, 256): the prior's loss is the mean of -log_softmax at the targets.
    Rng rng(6);
    Tensor logits = rng.randn({98, 256});
    Tensor target = Tensor::empty({98}, DType::i64);
    for (int64_t i = 0; i < 98; ++i) target.data_i64()[i] = rng.randint(256);
    Tensor lsm = log_softmax(logits, 1);
    double want = 0;
    for (int64_t i = 0; i < 98; ++i) want -= lsm.data()[i * 256 + target.data_i64()[i]];
    EXPECT_NEAR(cross_entropy(logits, target).item(), want / 98, 1e-5);
}

TEST(Sum, WideRowsSummedInMemoryOrderMatchALoop) {
    // The bias-gradient shape of the prior's Linears: many rows, wide columns, and
    // an outer dim in front, so the column-block path sees several outer slices.
    Rng rng(8);
    Tensor x = rng.randn({3, 300, 70});
    Tensor s = sum(x, {1});  // (3, 70)
    ASSERT_EQ(s.shape(), (Shape{3, 70}));
    for (int64_t o = 0; o < 3; ++o)
        for (int64_t c = 0; c < 70; ++c) {
            double want = 0;
            for (int64_t r = 0; r < 300; ++r) want += x.data()[(o * 300 + r) * 70 + c];
            ASSERT_NEAR(s.data()[o * 70 + c], want, 1e-4) << o << ", " << c;
        }
}
