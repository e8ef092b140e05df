// toy2d: spec parsing, every objective trains with finite losses, the D/G
// schedule, weight clipping's bound, settings, and the lab's read-outs.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>

#include "data/toy_distributions.h"
#include "models/model.h"
#include "models/toy2d.h"
#include "ops/ops.h"

using namespace ganvas;

namespace {

Batch toy_batch(const std::string& dist, int64_t n, Rng& rng) {
    ToyDistribution d = make_toy_distribution(dist);
    Tensor x = d.sample(n, rng);
    return {reshape(x, {n, d.dim, 1, 1}), Tensor()};
}

}  // namespace

TEST(Toy2d, ParsesSpecsAndRejectsBadOnes) {
    Toy2dConfig c = parse_toy2d_spec("toy2d");
    EXPECT_EQ(c.objective, ToyObjective::wgan_gp);
    c = parse_toy2d_spec("toy2d:objective=minimax,layers=2,width=32,activation=tanh,sn=1,dim=1");
    EXPECT_EQ(c.objective, ToyObjective::minimax);
    EXPECT_EQ(c.g_layers, 2);
    EXPECT_EQ(c.d_width, 32);
    EXPECT_EQ(c.d_activation, Activation::tanh);
    EXPECT_TRUE(c.spectral_norm);
    EXPECT_EQ(c.data_dim, 1);
    for (const char* bad : {"toy2d:objective=gan", "toy2d:width=0", "toy2d:width=abc",
                            "toy2d:colour=red", "toy2d:layers", "toy2d:lr_d=nan"})
        EXPECT_THROW(parse_toy2d_spec(bad), std::invalid_argument) << bad;
    // An unknown key lists the known ones, and each listed key is one the parser takes.
    std::string message;
    try {
        parse_toy2d_spec("toy2d:hidden=3");
    } catch (const std::invalid_argument& e) {
        message = e.what();
    }
    const std::string list_start = "(known: ";
    ASSERT_NE(message.find("unknown key 'hidden' " + list_start), std::string::npos) << message;
    std::stringstream known(
        message.substr(message.find(list_start) + list_start.size(),
                       message.rfind(')') - message.find(list_start) - list_start.size()));
    int listed = 0;
    for (std::string key; std::getline(known >> std::ws, key, ',');) {
        ++listed;
        try {
            parse_toy2d_spec("toy2d:" + key + "=1");
        } catch (const std::invalid_argument& e) {
            EXPECT_EQ(std::string(e.what()).find("unknown key"), std::string::npos) << e.what();
        }
    }
    EXPECT_EQ(listed, 19);
    EXPECT_EQ(toy2d_spec_for_data("toy2d", 1), "toy2d:dim=1");
    EXPECT_EQ(toy2d_spec_for_data("toy2d:width=8", 2), "toy2d:width=8,dim=2");
    EXPECT_EQ(toy2d_spec_for_data("toy2d:dim=2", 1), "toy2d:dim=2");
    EXPECT_EQ(toy2d_spec_for_data("dcgan28", 1), "dcgan28");
    Rng rng(0);
    EXPECT_EQ(make_model("toy2d:objective=least_squares", rng)->name(), "toy2d");
}

TEST(Toy2d, EveryObjectiveTrainsWithFiniteLossesAndTheRightSchedule) {
    for (const std::string& objective : objective_names())
        for (int sn = 0; sn <= 1; ++sn) {
            Rng rng(1);
            Toy2d model(parse_toy2d_spec("toy2d:width=16,objective=" + objective +
                                         ",sn=" + std::to_string(sn)),
                        rng);
            const int d_steps = model.effective_d_steps();
            EXPECT_EQ(d_steps, is_wasserstein(parse_objective(objective)) ? 5 : 1);
            for (int s = 0; s < 10; ++s) {
                StepStats stats = model.step(toy_batch("ring8", 32, rng), rng);
                ASSERT_EQ(stats[0].first, "loss_D");
                ASSERT_EQ(stats[1].first, "loss_G");
                for (auto& [name, v] : stats) ASSERT_TRUE(std::isfinite(v)) << objective << name;
            }
            EXPECT_EQ(model.d_updates(), 10);
            EXPECT_EQ(model.g_updates(), 10 / d_steps);
        }
}

TEST(Toy2d, WeightClippingKeepsEveryCriticWeightWithinC) {
    Rng rng(2);
    Toy2d model(parse_toy2d_spec("toy2d:objective=wgan_clip,width=32,lr_d=0.05,clip=0.01"), rng);
    bool outside_at_start = false;
    for (auto& p : model.discriminator().parameters())
        for (int64_t i = 0; i < p.numel(); ++i) outside_at_start |= std::fabs(p.data()[i]) > 0.01f;
    EXPECT_TRUE(outside_at_start);  // PyTorch's init is wider than c: the clamp must act
    for (int s = 0; s < 20; ++s) {
        model.step(toy_batch("ring8", 64, rng), rng);
        for (auto& p : model.discriminator().parameters())
            for (int64_t i = 0; i < p.numel(); ++i) ASSERT_LE(std::fabs(p.data()[i]), 0.01f);
    }
}

TEST(Toy2d, SpectralNormBoundsTheCriticsSlope) {
    // Each normalized layer has spectral norm about 1 and ReLU is 1-Lipschitz, so
    // |grad_x D| stays near or below 1 even with a large learning rate.
    Rng rng(3);
    Toy2d model(parse_toy2d_spec("toy2d:objective=wgan_clip,clip=10,sn=1,lr_d=0.01"), rng);
    for (int s = 0; s < 30; ++s) model.step(toy_batch("ring8", 64, rng), rng);
    // A few more power iterations so sigma is near the top singular value.
    for (int s = 0; s < 30; ++s) {
        NoGradGuard no_grad;
        model.discriminator().forward(Tensor::zeros({1, 2}));
    }
    Tensor x = rng.randn({200, 2});
    Tensor g = model.critic_input_gradient(x);
    for (int64_t i = 0; i < 200; ++i)
        EXPECT_LE(std::hypot(g.data()[2 * i], g.data()[2 * i + 1]), 1.05f);
}

TEST(Toy2d, OneDimensionalDataAndNoise) {
    Rng rng(4);
    Toy2d model(parse_toy2d_spec("toy2d:dim=1,noise_dim=1,noise=uniform,objective=non_saturating"),
                rng);
    for (int s = 0; s < 5; ++s) model.step(toy_batch("bimodal1d", 32, rng), rng);
    Tensor z = model.noise(100, rng);
    for (int64_t i = 0; i < 100; ++i) ASSERT_LE(std::fabs(z.data()[i]), 1.0f);
    EXPECT_EQ(model.generate(z).shape(), (Shape{100, 1}));
    Tensor p = model.discriminate(Tensor::zeros({7, 1}));
    EXPECT_EQ(p.shape(), (Shape{7}));
    EXPECT_GT(p.data()[0], 0);  // a probability
    EXPECT_LT(p.data()[0], 1);
    EXPECT_THROW(model.step(toy_batch("ring8", 8, rng), rng), std::invalid_argument);
}

TEST(Toy2d, GeneratorPushIsMinusTheLossGradientPerPoint) {
    Rng rng(5);
    Toy2d model(parse_toy2d_spec("toy2d:objective=wgan_gp,width=16"), rng);
    Tensor fake = rng.randn({4, 2});
    Tensor push = model.generator_push(fake);
    // WGAN: G's loss is -mean f, so a point's push is +grad f at it.
    Tensor g = model.critic_input_gradient(fake);
    for (int64_t i = 0; i < 8; ++i) EXPECT_NEAR(push.data()[i], g.data()[i], 1e-5);
}

TEST(Toy2d, SettingsApplyAndStructuralOnesRebuild) {
    Rng rng(6);
    Toy2d model(parse_toy2d_spec("toy2d"), rng);
    model.set_hyper_param("lr_G", 3e-4);
    model.set_hyper_param("d_steps", 2);
    EXPECT_EQ(model.effective_d_steps(), 2);
    model.step(toy_batch("ring8", 8, rng), rng);
    EXPECT_EQ(model.d_updates(), 1);
    model.set_hyper_param("d_width", 8);
    EXPECT_EQ(model.d_updates(), 0);  // a fresh start
    EXPECT_EQ(model.discriminator().parameters()[0].shape(), (Shape{8, 2}));
    model.set_hyper_param("objective", 3);
    EXPECT_EQ(model.config().objective, ToyObjective::wgan_clip);
    EXPECT_EQ(model.effective_d_steps(), 5);
    EXPECT_THROW(model.set_hyper_param("objective", 7), std::invalid_argument);
    EXPECT_THROW(model.set_hyper_param("g_layers", 1.5), std::invalid_argument);
    for (const HyperParam& h : model.hyper_params()) EXPECT_FALSE(h.help.empty()) << h.name;
}
