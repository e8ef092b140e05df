// wgan_gp28 and wgan_clip28 against the PyTorch reference: the gradient
// penalty and its parameter gradients, one full WGANGP step, loading the
// reference's checkpoint; weight clipping; settings.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "autograd/autograd.h"
#include "io/npy.h"
#include "io/safetensors.h"
#include "models/model.h"
#include "models/wgan28.h"
#include "ops/ops.h"
#include "support/golden.h"
#include "support/gradcheck.h"

using namespace ganvas;
using ganvas::testing::expect_close;
using ganvas::testing::golden;
using ganvas::testing::golden_file;
using ganvas::testing::StepMatch;
using ganvas::testing::strided;

namespace {

float max_abs(const Tensor& a) {
    float m = 0.0f;
    for (int64_t i = 0; i < a.numel(); ++i) m = std::max(m, std::fabs(a.data()[i]));
    return m;
}

std::unique_ptr<Wgan28> reference_model(
    LipschitzConstraint c = LipschitzConstraint::GradientPenalty) {
    Rng rng(0);
    auto model = std::make_unique<Wgan28>(rng, c);
    model->load_state_dict(load_safetensors_map(golden_file("wgan28/checkpoint.safetensors")),
                           "checkpoint");
    return model;
}

int64_t adam_steps(const std::unique_ptr<Optimizer>& o) {
    return dynamic_cast<const Adam&>(*o).steps();
}

// The golden step's noise, (5, B, ...) in the file, as one tensor per critic update.
std::vector<Tensor> unstack(const Tensor& t) {
    std::vector<Tensor> out;
    for (int64_t i = 0; i < t.size(0); ++i) out.push_back(squeeze(narrow(t, 0, i, 1), 0).clone());
    return out;
}

}  // namespace

TEST(Wgan28Golden, ReferenceCheckpointSamplesMatch) {
    auto model = reference_model();
    Tensor out = model->sample(golden("wgan28/z.npy"));
    expect_close(out, golden("wgan28/out.npy"), 1e-4, 0, "samples");
}

TEST(Wgan28Golden, GradientPenaltyAndItsParameterGradientsMatch) {
    auto model = reference_model();
    Discriminator28& D = model->D;
    GradientPenalty gp = gradient_penalty(
        [&](const Tensor& x) { return D.forward(x); }, golden("wgan28/gp_real.npy"),
        golden("wgan28/gp_fake.npy"), golden("wgan28/gp_eps.npy"));
    EXPECT_NEAR(gp.penalty.item(), golden("wgan28/gp_value.npy").item(), 1e-5f);
    expect_close(gp.grad_norm, golden("wgan28/gp_grad_norm.npy"), 1e-6, 0, "gradient norms");

    NamedTensors params = D.named_parameters();
    std::vector<Tensor> wrt;
    for (auto& [name, t] : params) wrt.push_back(t);
    std::vector<Tensor> grads = grad({gp.penalty}, wrt);
    for (size_t i = 0; i < params.size(); ++i) {
        const std::string& name = params[i].first;
        Tensor want = golden("wgan28/gp_dD." + name + ".npy");
        Tensor ours = name == "c2.weight" ? strided(grads[i], 13) : grads[i];
        // Relative to the gradient's size: they span 1e-5 (fc.weight) to 1e-2.
        expect_close(ours, want, 1e-4f * max_abs(want) + 1e-8f, 0, name);
    }
    // fc.bias moves f without changing its slope: no gradient, in both programs.
    EXPECT_EQ(max_abs(grads.back()), 0.0f);
}

TEST(Wgan28Golden, OneTrainingStepMatches) {
    auto model = reference_model();
    StepStats stats = model->step_with_noise(
        golden("wgan28/step_real.npy"), unstack(golden("wgan28/step_z.npy")),
        unstack(golden("wgan28/step_eps.npy")), golden("wgan28/step_z_G.npy"));
    Tensor losses = golden("wgan28/step_losses.npy");
    ASSERT_EQ(stats[0].first, "loss_D");
    ASSERT_EQ(stats[1].first, "loss_G");
    EXPECT_NEAR(stats[0].second, losses.data()[0], 1e-4f * std::fabs(losses.data()[0]));
    EXPECT_NEAR(stats[1].second, losses.data()[1], 1e-4f);
    EXPECT_EQ(adam_steps(model->opt_D), 5);

    // Five Adam steps move each critic weight by at most about 5 lr; a gradient
    // that is zero up to rounding may flip a step's sign: allow a handful.
    const float lr = 1e-4f;
    StepMatch match(10 * lr + 1e-5f, 2e-5f);
    for (auto& [name, t] : model->state_dict()) {
        if (t.dtype() != DType::f32) continue;
        const bool big = name == "G.fc.weight" || name == "G.up1.weight" || name == "D.c2.weight";
        Tensor ours = big ? strided(t, 97) : t;
        match.add(ours, golden("wgan28/step_after_" + name + ".npy"), name);
    }
    match.expect_few_off();
}

// The penalty's parameter gradients against finite differences, on a critic
// small enough to perturb every weight: conv -> leaky_relu -> linear.
TEST(Wgan28GradCheck, GradientPenaltyParameterGradients) {
    Rng rng(5);
    Tensor real = rng.randn({3, 1, 5, 5}), fake = rng.randn({3, 1, 5, 5}),
           eps = rng.rand({3, 1, 1, 1});
    Tensor w = mul_scalar(rng.randn({2, 1, 3, 3}), 0.5f).requires_grad_();
    Tensor b = mul_scalar(rng.randn({2}), 0.1f).requires_grad_();
    Tensor lw = mul_scalar(rng.randn({1, 2 * 3 * 3}), 0.5f).requires_grad_();
    auto penalty = [&](const std::vector<Tensor>& p) {
        auto critic = [&](const Tensor& x) {
            Tensor h = leaky_relu(conv2d(x, p[0], p[1], {}), 0.2f);    // (B, 2, 3, 3)
            return squeeze(linear(flatten(h, 1), p[2], Tensor()), 1);  // (B,)
        };
        return gradient_penalty(critic, real, fake, eps).penalty;
    };
    ganvas::testing::GradCheckOptions opt;
    opt.eps = 1e-3f;
    EXPECT_TRUE(ganvas::testing::gradcheck(penalty, {w, b, lw}, opt));
}

TEST(Wgan28Clip, EveryCriticWeightStaysInsideTheClipBound) {
    Rng rng(3);
    auto model = make_model("wgan_clip28", rng);
    auto* wgan = dynamic_cast<Wgan28*>(model.get());
    ASSERT_NE(wgan, nullptr);
    model->set_hyper_param("clip", 0.005);
    Tensor real = rng.rand({8, 1, 28, 28});
    for (int i = 0; i < 2; ++i) {
        StepStats stats = model->step(Batch{real, Tensor()}, rng);
        for (auto& [name, v] : stats) EXPECT_TRUE(std::isfinite(v)) << name;
    }
    int64_t at_bound = 0, total = 0;
    for (const Tensor& p : wgan->D.parameters()) {
        for (int64_t i = 0; i < p.numel(); ++i) {
            ASSERT_LE(std::fabs(p.data()[i]), 0.005f) << "critic weight outside [-c, c]";
            at_bound += std::fabs(p.data()[i]) == 0.005f;
        }
        total += p.numel();
    }
    // N(0, 0.02) weights: most start outside ±0.005, so the clip really acted.
    EXPECT_GT(at_bound, total / 4);
    // The generator is not clipped.
    EXPECT_GT(max_abs(wgan->G.fc.weight), 0.005f);
}

TEST(Wgan28Settings, RunsTheRequestedNumberOfCriticUpdates) {
    Rng rng(4);
    Wgan28 model(rng, LipschitzConstraint::GradientPenalty);
    model.set_hyper_param("n_critic", 2);
    Tensor real = rng.rand({4, 1, 28, 28});
    StepStats stats = model.gan_step(real, rng);
    EXPECT_EQ(adam_steps(model.opt_D), 2);
    EXPECT_EQ(adam_steps(model.opt_G), 1);
    std::vector<std::string> names;
    for (auto& [name, v] : stats) {
        names.push_back(name);
        EXPECT_TRUE(std::isfinite(v)) << name;
    }
    EXPECT_EQ(names, (std::vector<std::string>{"loss_D", "loss_G", "W_estimate", "gradient_penalty",
                                               "grad_norm"}));
}

TEST(Wgan28Settings, BadSettingsAreRefusedAndChangeNothing) {
    Rng rng(1);
    Wgan28 gp(rng, LipschitzConstraint::GradientPenalty);
    EXPECT_THROW(gp.set_hyper_param("lambda", -1.0), std::invalid_argument);
    EXPECT_THROW(gp.set_hyper_param("lambda", std::nan("")), std::invalid_argument);
    EXPECT_THROW(gp.set_hyper_param("n_critic", 0), std::invalid_argument);
    EXPECT_THROW(gp.set_hyper_param("n_critic", 2.5), std::invalid_argument);
    EXPECT_THROW(gp.set_hyper_param("lr_D", 3.0), std::invalid_argument);
    EXPECT_THROW(gp.set_hyper_param("clip", 0.01), std::invalid_argument);  // not a GP setting
    EXPECT_DOUBLE_EQ(gp.lambda, 10.0);
    EXPECT_EQ(gp.n_critic, 5);
    EXPECT_DOUBLE_EQ(gp.opt_D->lr, 1e-4);
    gp.set_hyper_param("beta2", 0.99);
    EXPECT_DOUBLE_EQ(dynamic_cast<Adam&>(*gp.opt_D).beta2, 0.99);

    Wgan28 clip(rng, LipschitzConstraint::WeightClipping);
    EXPECT_THROW(clip.set_hyper_param("clip", 0.0), std::invalid_argument);
    EXPECT_THROW(clip.set_hyper_param("clip", -0.01), std::invalid_argument);
    EXPECT_THROW(clip.set_hyper_param("lambda", 10), std::invalid_argument);
    EXPECT_THROW(clip.set_hyper_param("beta1", 0.5), std::invalid_argument);  // RMSprop has none
    EXPECT_DOUBLE_EQ(clip.clip, 0.01);
    EXPECT_DOUBLE_EQ(clip.opt_D->lr, 5e-5);
}
