// prior49 against the PyTorch reference (tests/golden/golden_prior.py): the
// checkpoint's parameter names, its logits within 1e-4, one Prior.step's loss
// and updated weights; then sampling: greedy limits, top-k, top-p, the
// distribution of draws, and completion.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "io/npy.h"
#include "io/safetensors.h"
#include "models/prior49.h"
#include "models/prior_sampling.h"
#include "ops/ops.h"
#include "support/golden.h"

using namespace ganvas;
using ganvas::testing::expect_close;
using ganvas::testing::golden;
using ganvas::testing::golden_file;
using ganvas::testing::StepMatch;
using ganvas::testing::strided;

namespace {

std::unique_ptr<Prior49> reference_prior() {
    Rng rng(0);
    auto model = std::make_unique<Prior49>(rng);
    model->load_state_dict(load_safetensors_map(golden_file("prior49/checkpoint.safetensors")),
                           "checkpoint");
    return model;
}

// Greedy decoding written out independently of CodeSampler: argmax at each position.
Tensor greedy(const CodePrior& prior, int64_t n) {
    NoGradGuard no_grad;
    Tensor codes = Tensor::zeros({n, kPriorSeq}, DType::i64);
    for (int64_t t = 0; t < kPriorSeq; ++t) {
        Tensor logits = prior.forward(narrow(codes, 1, 0, t + 1));  // (n, t+1, V)
        Tensor best = argmax(narrow(logits, 1, t, 1), -1);          // (n, 1)
        for (int64_t i = 0; i < n; ++i) codes.data_i64()[i * kPriorSeq + t] = best.data_i64()[i];
    }
    return codes;
}

}  // namespace

TEST(Prior49Golden, ParameterNamesAreTheReferenceStateDict) {
    std::set<std::string> ours, theirs;
    Rng rng(0);
    Prior49 model(rng);
    for (auto& [name, t] : model.state_dict()) ours.insert(name);
    for (auto& [name, t] : load_safetensors_map(golden_file("prior49/checkpoint.safetensors")))
        theirs.insert(name);
    EXPECT_EQ(ours, theirs);
    EXPECT_TRUE(ours.count("P.tok.weight") && ours.count("P.pos") && ours.count("P.head.weight") &&
                ours.count("P.blocks.1.mlp.2.weight"));
}

TEST(Prior49Golden, ReferenceCheckpointLogitsMatch) {
    auto model = reference_prior();
    Tensor codes = golden("prior49/codes.npy");  // (8, 49) int64
    Tensor want = golden("prior49/out.npy");     // (8, 49, 256)
    NoGradGuard no_grad;
    Tensor got = model->net.forward(codes);
    expect_close(got, want, 1e-4, 0, "logits");
}

TEST(Prior49Golden, OneTrainingStepMatches) {
    auto model = reference_prior();
    StepStats stats = model->step_codes(golden("prior49/step_codes.npy"));
    EXPECT_NEAR(stats[0].second, golden("prior49/step_loss.npy").data()[0], 1e-4f);
    EXPECT_NEAR(stats[1].second, stats[0].second / std::log(2.0f), 1e-5f);
    // AdamW's first step moves each weight by about lr * sign(grad), so a gradient
    // that is zero up to rounding could flip: allow a handful.
    const float lr = 3e-4f;
    StepMatch match(2 * lr + 1e-5f, 2e-5f);
    for (auto& [name, t] : model->state_dict()) {
        Tensor ours = t.numel() > 20000 ? strided(t, 97) : t;
        match.add(ours, golden("prior49/step_after_" + name + ".npy"), name);
    }
    match.expect_few_off();
}

TEST(Prior49, RejectsCodesOutsideTheCodebook) {
    Rng rng(0);
    Prior49 model(rng);
    Tensor bad = Tensor::zeros({2, 49}, DType::i64);
    bad.data_i64()[5] = 256;
    try {
        model.step_codes(bad);
        FAIL() << "no error";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("256"), std::string::npos) << e.what();
    }
    Tensor frac = Tensor::full({1, 1, 7, 7}, 1.5f);
    EXPECT_THROW(model.step_codes(frac), std::invalid_argument);
}

TEST(Prior49, EvaluateScoresHeldOutCodes) {
    auto model = reference_prior();
    Tensor codes = golden("prior49/codes.npy");
    PriorEvaluation e = model->evaluate(codes, 3);  // chunks of 3 must not change the answer
    Tensor logits = model->net.forward(codes);
    double want = cross_entropy(reshape(logits, {-1, 256}), reshape(codes, {-1})).item();
    EXPECT_NEAR(e.bits_per_code, want / std::log(2.0), 1e-4);
    EXPECT_EQ(e.codes, 8 * 49);
    EXPECT_GE(e.accuracy, 0.0);
    EXPECT_LE(e.accuracy, 1.0);
}

TEST(PriorSampling, TemperatureZeroAndTopKOneAreGreedyDecoding) {
    auto model = reference_prior();
    Tensor want = greedy(model->net, 3);
    SamplingOptions zero;
    zero.temperature = 0.0f;
    SamplingOptions cold;
    cold.temperature = 1e-5f;
    SamplingOptions top1;
    top1.top_k = 1;
    for (const SamplingOptions& o : {zero, cold, top1}) {
        Tensor got = sample_codes(model->net, 3, o, 7);
        EXPECT_EQ(std::vector<int64_t>(got.data_i64(), got.data_i64() + got.numel()),
                  std::vector<int64_t>(want.data_i64(), want.data_i64() + want.numel()));
    }
    // At temperature 1 the draws differ from greedy somewhere.
    Tensor warm = sample_codes(model->net, 3, SamplingOptions{}, 7);
    EXPECT_NE(std::vector<int64_t>(warm.data_i64(), warm.data_i64() + warm.numel()),
              std::vector<int64_t>(want.data_i64(), want.data_i64() + want.numel()));
}

TEST(PriorSampling, TopPKeepsTheSmallestSetWithEnoughMass) {
    const std::vector<float> p = {0.15f, 0.5f, 0.05f, 0.3f};
    std::vector<float> logits;
    for (float v : p) logits.push_back(std::log(v));
    auto kept = [&](float top_p) {
        SamplingOptions o;
        o.top_p = top_p;
        return next_code_distribution(logits.data(), 4, o);
    };
    std::vector<float> q = kept(0.5f);  // 0.5 alone reaches 0.5
    EXPECT_EQ(q, (std::vector<float>{0, 1, 0, 0}));
    q = kept(0.75f);  // 0.5 + 0.3
    EXPECT_EQ(q[0], 0.0f);
    EXPECT_NEAR(q[1], 0.5 / 0.8, 1e-6);
    EXPECT_NEAR(q[3], 0.3 / 0.8, 1e-6);
    EXPECT_EQ(q[2], 0.0f);
    q = kept(0.9f);  // 0.5 + 0.3 + 0.15
    EXPECT_NEAR(q[0], 0.15 / 0.95, 1e-6);
    EXPECT_EQ(q[2], 0.0f);
    q = kept(1.0f);
    for (int i = 0; i < 4; ++i) EXPECT_NEAR(q[i], p[i], 1e-6);
    SamplingOptions k2;
    k2.top_k = 2;
    q = next_code_distribution(logits.data(), 4, k2);
    EXPECT_NEAR(q[1], 0.5 / 0.8, 1e-6);
    EXPECT_EQ(q[0], 0.0f);
    SamplingOptions hot;
    hot.temperature = 2.0f;  // softmax(log p / 2) = sqrt(p) / sum sqrt(p)
    q = next_code_distribution(logits.data(), 4, hot);
    double z = 0;
    for (float v : p) z += std::sqrt(v);
    for (int i = 0; i < 4; ++i) EXPECT_NEAR(q[i], std::sqrt(p[i]) / z, 1e-6);
}

TEST(PriorSampling, DrawsFollowTheSoftmaxChiSquare) {
    const std::vector<float> logits = {1.0f, 0.0f, -1.0f, 2.0f, 0.5f, -0.5f, 1.5f, -2.0f};
    std::vector<float> p = next_code_distribution(logits.data(), 8, SamplingOptions{});
    Rng rng(2024);
    const int n = 40000;
    std::vector<int> counts(8, 0);
    for (int i = 0; i < n; ++i) ++counts[draw_index(p, rng)];
    double chi2 = 0;
    for (int i = 0; i < 8; ++i) {
        const double expected = n * p[i];
        chi2 += (counts[i] - expected) * (counts[i] - expected) / expected;
    }
    EXPECT_LT(chi2, 24.32);  // the 0.999 quantile of chi-square with 7 degrees of freedom
    // A wrong distribution (uniform) must fail the same test.
    double chi2_uniform = 0;
    for (int i = 0; i < 8; ++i)
        chi2_uniform += (counts[i] - n / 8.0) * (counts[i] - n / 8.0) / (n / 8.0);
    EXPECT_GT(chi2_uniform, 24.32);
}

TEST(PriorSampling, CompletionNeverChangesTheKeptRows) {
    auto model = reference_prior();
    Tensor given = golden("prior49/codes.npy");  // (8, 49)
    for (int64_t keep : {0, 3, 6, 7}) {
        Tensor done = complete_codes(model->net, given, keep, SamplingOptions{}, 3);
        int64_t changed = 0;
        for (int64_t i = 0; i < 8; ++i)
            for (int64_t t = 0; t < 49; ++t) {
                const int64_t a = given.data_i64()[i * 49 + t], b = done.data_i64()[i * 49 + t];
                if (t < keep * 7) {
                    ASSERT_EQ(a, b) << "grid " << i << " position " << t;
                }
                changed += a != b;
            }
        if (keep < 7) {
            EXPECT_GT(changed, 0);
        }
    }
    EXPECT_THROW(complete_codes(model->net, given, 8, SamplingOptions{}, 3), std::invalid_argument);
}

TEST(PriorSampling, SeedRepeatsAndSamplerExposesCandidates) {
    auto model = reference_prior();
    Tensor a = sample_codes(model->net, 2, SamplingOptions{}, 11);
    Tensor b = sample_codes(model->net, 2, SamplingOptions{}, 11);
    EXPECT_EQ(std::vector<int64_t>(a.data_i64(), a.data_i64() + 98),
              std::vector<int64_t>(b.data_i64(), b.data_i64() + 98));
    CodeSampler sampler(model->net, 2, SamplingOptions{}, 1);
    auto top = sampler.top_candidates(0, 5);
    ASSERT_EQ(top.size(), 5u);
    for (size_t i = 1; i < top.size(); ++i) EXPECT_GE(top[i - 1].probability, top[i].probability);
    // Position 0 sees only the start token: both grids share one distribution.
    const Tensor& p = sampler.distribution();
    for (int64_t v = 0; v < 256; ++v) EXPECT_EQ(p.data()[v], p.data()[256 + v]);
    sampler.step();
    EXPECT_EQ(sampler.position(), 1);
}

TEST(PriorSampling, RejectsBadOptions) {
    SamplingOptions o;
    o.temperature = -1.0f;
    EXPECT_THROW(check_sampling_options(o), std::invalid_argument);
    o = SamplingOptions{};
    o.top_p = 0.0f;
    EXPECT_THROW(check_sampling_options(o), std::invalid_argument);
    o = SamplingOptions{};
    o.top_k = -2;
    EXPECT_THROW(check_sampling_options(o), std::invalid_argument);
}
