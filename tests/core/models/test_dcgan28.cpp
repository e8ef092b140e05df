// dcgan28 against the PyTorch reference: loading its checkpoint, eval-mode
// samples, one full training step, and a second derivative through
// conv2d -> leaky_relu -> linear (the WGAN-GP pattern).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "autograd/autograd.h"
#include "io/npy.h"
#include "io/safetensors.h"
#include "models/dcgan28.h"
#include "ops/ops.h"
#include "support/golden.h"

using namespace ganvas;
using ganvas::testing::expect_close;
using ganvas::testing::golden;
using ganvas::testing::golden_file;
using ganvas::testing::StepMatch;
using ganvas::testing::strided;

TEST(Dcgan28Golden, ReferenceCheckpointSamplesMatch) {
    Rng rng(0);
    Dcgan28 model(rng);
    model.load_state_dict(load_safetensors_map(golden_file("dcgan28/checkpoint.safetensors")),
                          "checkpoint");
    Tensor out = model.sample(golden("dcgan28/z.npy"));
    expect_close(out, golden("dcgan28/out.npy"), 1e-4, 0, "samples");
}

TEST(Dcgan28Golden, OneTrainingStepMatches) {
    Rng rng(0);
    Dcgan28 model(rng);
    model.load_state_dict(load_safetensors_map(golden_file("dcgan28/checkpoint.safetensors")),
                          "checkpoint");
    StepStats stats =
        model.step_with_noise(golden("dcgan28/step_real.npy"), golden("dcgan28/step_z.npy"));
    Tensor losses = golden("dcgan28/step_losses.npy");
    EXPECT_NEAR(stats[0].second, losses.data()[0], 1e-4f);
    EXPECT_NEAR(stats[1].second, losses.data()[1], 1e-4f);

    // Adam's first step moves each weight by about lr * sign(grad), so a
    // gradient that is zero up to rounding could flip: allow a handful.
    const float lr = 2e-4f;
    StepMatch match(2 * lr + 1e-5f, 2e-5f);
    for (auto& [name, t] : model.state_dict()) {
        if (t.dtype() != DType::f32) continue;
        const bool big = name == "G.fc.weight" || name == "G.up1.weight" || name == "D.c2.weight";
        Tensor ours = big ? strided(t, 97) : t;
        match.add(ours, golden("dcgan28/step_after_" + name + ".npy"), name);
    }
    match.expect_few_off();
}

TEST(Dcgan28Golden, SecondDerivativeOfGradientPenaltyMatches) {
    Tensor x = golden("double_backward/x.npy").requires_grad_();
    Tensor w = golden("double_backward/w.npy").requires_grad_();
    Tensor b = golden("double_backward/b.npy").requires_grad_();
    Tensor lw = golden("double_backward/lw.npy").requires_grad_();
    Tensor lb = golden("double_backward/lb.npy").requires_grad_();
    Tensor h = leaky_relu(conv2d(x, w, b, {}), 0.2f);
    Tensor y = squeeze(linear(flatten(h, 1), lw, lb), 1);
    Tensor g = grad({sum(y)}, {x}, {}, true)[0];
    expect_close(g, golden("double_backward/grad_x.npy"), 1e-5, 0, "grad_x");
    Tensor norm = sqrt(sum(mul(flatten(g, 1), flatten(g, 1)), {1}));
    Tensor gp = mean(pow_scalar(add_scalar(norm, -1.0f), 2.0f));
    EXPECT_NEAR(gp.item(), golden("double_backward/gp.npy").item(), 1e-5f);
    auto grads = grad({gp}, {w, b, lw, lb});
    const char* names[] = {"w", "b", "lw", "lb"};
    for (int i = 0; i < 4; ++i)
        expect_close(grads[i], golden("double_backward/dgp_d" + std::string(names[i]) + ".npy"),
                     1e-4, 0, names[i]);
}

TEST(Dcgan28Settings, ExtraDiscriminatorStepsUpdateDMoreOftenThanG) {
    Rng rng(1);
    Dcgan28 model(rng);
    model.set_hyper_param("d_steps", 3);
    Tensor real = rng.randn({4, 1, 28, 28});
    StepStats stats = model.gan_step(real, rng);
    EXPECT_EQ(model.opt_D.steps(), 3);
    EXPECT_EQ(model.opt_G.steps(), 1);
    for (auto& [name, value] : stats) EXPECT_TRUE(std::isfinite(value)) << name;
}

TEST(Dcgan28Settings, OutOfRangeOrUnknownSettingsAreRefusedAndChangeNothing) {
    Rng rng(1);
    Dcgan28 model(rng);
    try {
        model.set_hyper_param("lr_G", 5.0);
        ADD_FAILURE() << "lr_G = 5 was accepted";
    } catch (const std::invalid_argument& e) {  // the range as a person writes it
        EXPECT_STREQ(e.what(), "lr_G must be between 1e-06 and 0.1, not 5");
    }
    EXPECT_THROW(model.set_hyper_param("lr_G", std::nan("")), std::invalid_argument);
    EXPECT_THROW(model.set_hyper_param("d_steps", 1.5), std::invalid_argument);
    EXPECT_THROW(model.set_hyper_param("momentum", 0.9), std::invalid_argument);
    EXPECT_DOUBLE_EQ(model.opt_G.lr, 2e-4);
    EXPECT_EQ(model.d_steps, 1);
    model.set_hyper_param("beta1", 0.8);
    EXPECT_DOUBLE_EQ(model.opt_G.beta1, 0.8);
    EXPECT_DOUBLE_EQ(model.opt_D.beta1, 0.8);
}
