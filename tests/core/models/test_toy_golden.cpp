// The toy lab against PyTorch (tests/golden/golden_toy.py): spectral
// normalization's power iteration, outputs and gradients; WGAN-GP's gradient
// penalty and its parameter gradients through an MLP critic (double backward).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

#include "autograd/autograd.h"
#include "io/npy.h"
#include "nn/mlp.h"
#include "nn/spectral_norm.h"
#include "ops/ops.h"
#include "support/golden.h"
#include "support/gradcheck.h"

using namespace ganvas;

namespace {

Tensor golden(const std::string& name) {
    return ganvas::testing::golden("toy/" + name + ".npy");
}

void expect_close(const Tensor& got, const std::string& name, float atol = 1e-5f,
                  float rtol = 1e-4f) {
    ganvas::testing::expect_close(got, golden(name), atol, rtol, name);
}

}  // namespace

TEST(ToyGolden, SpectralNormLinearMatchesTorchPowerIteration) {
    Rng rng(0);
    SpectralNormLinear lin(5, 4, rng);
    std::map<std::string, Tensor> state = {{"bias", golden("sn_bias")},
                                           {"weight_orig", golden("sn_weight_orig")},
                                           {"weight_u", golden("sn_u0")},
                                           {"weight_v", golden("sn_v0")}};
    lin.load_state_dict(state, "", "golden");
    Tensor x = golden("sn_x").requires_grad_(true);
    Tensor y;
    for (int k = 1; k <= 3; ++k) {
        y = lin.forward(x);
        expect_close(y, "sn_y" + std::to_string(k));
        expect_close(lin.vectors.u, "sn_u" + std::to_string(k));
        expect_close(lin.vectors.v, "sn_v" + std::to_string(k));
    }
    auto g = grad({sum(mul(y, golden("sn_gy")))}, {lin.weight_orig, lin.bias, x});
    expect_close(g[0], "sn_gw");  // includes the path through sigma
    expect_close(g[1], "sn_gb");
    expect_close(g[2], "sn_gx");
    lin.eval();
    NoGradGuard no_grad;
    expect_close(lin.forward(x), "sn_y_eval");
    expect_close(lin.vectors.u, "sn_u_eval");  // unchanged in eval mode
}

TEST(ToyGolden, SpectralNormViewsAConvWeightAsOutByRest) {
    Tensor w = golden("snc_weight_orig");  // (4, 3, 3, 3) -> (4, 27)
    SpectralNormVectors vec{golden("snc_u0"), golden("snc_v0")};
    Tensor normalized;
    for (int k = 0; k < 2; ++k) normalized = spectral_normalized_weight(w, vec, true);
    expect_close(vec.u, "snc_u2");
    expect_close(vec.v, "snc_v2");
    expect_close(normalized, "snc_weight");
}

TEST(ToyGolden, SpectralNormInitDrawsUnitVectorsAndBoundsTheSpectrum) {
    Rng rng(3);
    Tensor w = rng.randn({6, 4});
    SpectralNormVectors vec = init_spectral_norm_vectors(w, rng);
    float nu = 0, nv = 0;
    for (int64_t i = 0; i < 6; ++i) nu += vec.u.data()[i] * vec.u.data()[i];
    for (int64_t i = 0; i < 4; ++i) nv += vec.v.data()[i] * vec.v.data()[i];
    EXPECT_NEAR(nu, 1, 1e-5);
    EXPECT_NEAR(nv, 1, 1e-5);
    // Many iterations converge to the top singular value: W / sigma then has
    // spectral norm 1, so |W x| <= |x| for every x.
    float sigma = 0;
    Tensor wn;
    for (int k = 0; k < 200; ++k) wn = spectral_normalized_weight(w, vec, true, 1, 1e-12f, &sigma);
    EXPECT_GT(sigma, 0);
    for (int t = 0; t < 50; ++t) {
        Tensor x = rng.randn({4, 1});
        Tensor y = matmul(wn, x);
        float nx = 0, ny = 0;
        for (int64_t i = 0; i < 4; ++i) nx += x.data()[i] * x.data()[i];
        for (int64_t i = 0; i < 6; ++i) ny += y.data()[i] * y.data()[i];
        EXPECT_LE(ny, nx * (1 + 1e-4f));
    }
    EXPECT_THROW(spectral_normalized_weight(rng.randn({5, 4}), vec, true), std::invalid_argument);
}

class ToyGoldenGp : public ::testing::TestWithParam<std::string> {};

TEST_P(ToyGoldenGp, PenaltyAndParameterGradientsMatchTorch) {
    const std::string act = GetParam();
    Rng rng(0);
    Mlp critic(2, 1, 2, 16, parse_activation(act), false, rng);
    std::map<std::string, Tensor> state;
    for (auto& [key, t] : critic.named_parameters()) state[key] = golden("gp_" + act + "_" + key);
    critic.load_state_dict(state, "", "golden");
    Tensor real = golden("gp_real"), fake = golden("gp_fake"), alpha = golden("gp_alpha");

    Tensor gp = gradient_penalty(critic, real, fake, alpha, 10.0f);
    expect_close(reshape(gp, {1}), "gp_" + act + "_gp");  // stored as (1,)
    std::vector<Tensor> params = critic.parameters();
    auto dgp = grad({gp}, params);
    auto named = critic.named_parameters();
    for (size_t i = 0; i < named.size(); ++i)
        expect_close(dgp[i], "gp_" + act + "_dgp_" + named[i].first, 1e-5f, 1e-3f);

    Tensor loss = add(sub(mean(critic.forward(fake)), mean(critic.forward(real))),
                      gradient_penalty(critic, real, fake, alpha, 10.0f));
    expect_close(reshape(loss, {1}), "gp_" + act + "_loss");
    auto dloss = grad({loss}, params);
    for (size_t i = 0; i < named.size(); ++i)
        expect_close(dloss[i], "gp_" + act + "_dloss_" + named[i].first, 1e-5f, 1e-3f);
}

INSTANTIATE_TEST_SUITE_P(Activations, ToyGoldenGp, ::testing::Values("relu", "leaky_relu", "tanh"));

TEST(ToyGolden, SpectralNormWeightGradientMatchesFiniteDifferences) {
    Rng rng(5);
    Tensor w = rng.randn({3, 4}).requires_grad_(true);
    SpectralNormVectors vec = init_spectral_norm_vectors(w, rng);
    for (int k = 0; k < 3; ++k) spectral_normalized_weight(w.detach(), vec, true);
    // u, v held fixed (no power iteration), as within one forward.
    EXPECT_TRUE(ganvas::testing::gradcheck(
        [&](const std::vector<Tensor>& in) {
            return spectral_normalized_weight(in[0], vec, false);
        },
        {w}));
}
