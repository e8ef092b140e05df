#include "models/wgan28.h"

#include <stdexcept>

#include "autograd/autograd.h"
#include "nn/layer_trace.h"
#include "ops/ops.h"

namespace ganvas {

GradientPenalty gradient_penalty(const std::function<Tensor(const Tensor&)>& critic,
                                 const Tensor& real, const Tensor& fake, const Tensor& eps) {
    // The input gradient needs a graph even where the caller records none (a
    // penalty measured under NoGradGuard); the result is differentiable only
    // when the caller records one.
    const bool differentiable = grad_mode_enabled();
    GradModeGuard record_graph(true);
    // The reference's expression, term by term, so the rounding matches.
    Tensor x = add(mul(eps, real), mul(add_scalar(neg(eps), 1.0f), fake))  // (B, C, H, W)
                   .detach()
                   .requires_grad_();
    Tensor out = critic(x);                                   // (B,)
    Tensor g = grad({sum(out)}, {x}, {}, differentiable)[0];  // (B, C, H, W)
    Tensor flat = flatten(g, 1);                              // (B, C*H*W)
    Tensor norm = sqrt(sum(mul(flat, flat), {1}));            // (B,)
    GradientPenalty gp;
    gp.penalty = mean(pow_scalar(add_scalar(norm, -1.0f), 2.0f));
    gp.grad_norm = norm;
    return gp;
}

namespace {

Adam& adam(Optimizer& o) {
    return dynamic_cast<Adam&>(o);
}

float scalar(const Tensor& t) {
    NoGradGuard no_grad;
    return t.item();
}

}  // namespace

Wgan28::Wgan28(Rng& rng, LipschitzConstraint constraint_)
    : ImageGan28(rng, /*discriminator_batchnorm=*/false), constraint(constraint_) {
    if (constraint == LipschitzConstraint::GradientPenalty) {
        opt_G = std::make_unique<Adam>(G.parameters(), 1e-4, 0.0, 0.9);
        opt_D = std::make_unique<Adam>(D.parameters(), 1e-4, 0.0, 0.9);
    } else {
        opt_G = std::make_unique<RMSprop>(G.parameters(), 5e-5);
        opt_D = std::make_unique<RMSprop>(D.parameters(), 5e-5);
    }
    dcgan_init(G, rng);
    dcgan_init(D, rng);
    // Clipping is the constraint itself: the critic starts inside it.
    if (constraint == LipschitzConstraint::WeightClipping)
        clip_weights_(D.parameters(), static_cast<float>(clip));
}

std::string Wgan28::name() const {
    return constraint == LipschitzConstraint::GradientPenalty ? "wgan_gp28" : "wgan_clip28";
}

StepStats Wgan28::gan_step(const Tensor& real, Rng& rng) {
    const int64_t n = real.size(0);
    const bool gp = constraint == LipschitzConstraint::GradientPenalty;
    std::vector<Tensor> zs, eps;
    for (int i = 0; i < n_critic; ++i) {
        zs.push_back(rng.randn({n, kZDim}).to(real.device()));
        if (gp) eps.push_back(rng.rand({n, 1, 1, 1}).to(real.device()));
    }
    return step_with_noise(real, zs, eps, rng.randn({n, kZDim}).to(real.device()));
}

StepStats Wgan28::step_with_noise(const Tensor& real, const std::vector<Tensor>& critic_z,
                                  const std::vector<Tensor>& critic_eps, const Tensor& z_G) {
    const bool gp = constraint == LipschitzConstraint::GradientPenalty;
    if (critic_z.empty() || (gp && critic_eps.size() != critic_z.size()))
        throw std::invalid_argument(
            "wgan step: need one z (and, with the gradient penalty, one "
            "eps) per critic update");
    CriticStep last;
    for (size_t i = 0; i < critic_z.size(); ++i)
        last = critic_update(real, critic_z[i], gp ? critic_eps[i] : Tensor());
    const float loss_G = generator_update(z_G);
    // As the reference returns: the last critic update's numbers, measured before it.
    StepStats stats = {{"loss_D", last.loss}, {"loss_G", loss_G}, {"W_estimate", last.wasserstein}};
    if (gp) {
        stats.emplace_back("gradient_penalty", last.penalty);
        stats.emplace_back("grad_norm", last.grad_norm);
    }
    return stats;
}

// One critic update: loss = E[f(fake)] − E[f(real)] (+ λ·penalty), minimised,
// so f rises on real images and falls on generated ones.
Wgan28::CriticStep Wgan28::critic_update(const Tensor& real, const Tensor& z, const Tensor& eps) {
    Tensor fake;  // (B, 1, 28, 28), the generator held fixed
    {
        NoGradGuard no_grad;
        G.train();  // batch statistics, and the running ones move, as in the reference
        fake = G.forward(z);
    }
    D.train();
    Tensor f_fake = mean(D.forward(fake));  // ()
    Tensor f_real = mean(D.forward(real));  // ()
    Tensor loss = sub(f_fake, f_real);
    CriticStep s;
    if (eps.defined()) {
        GradientPenalty gp =
            gradient_penalty([this](const Tensor& x) { return D.forward(x); }, real, fake, eps);
        loss = add(loss, mul_scalar(gp.penalty, static_cast<float>(lambda)));
        s.penalty = scalar(gp.penalty);
        s.grad_norm = scalar(mean(gp.grad_norm));
    }
    opt_D->zero_grad();
    loss.backward();
    opt_D->step();
    if (constraint == LipschitzConstraint::WeightClipping)
        clip_weights_(D.parameters(), static_cast<float>(clip));
    s.loss = scalar(loss);
    s.wasserstein = scalar(f_real) - scalar(f_fake);
    return s;
}

// Generator: raise the critic's score of its samples, loss = −E[f(G(z))]. Only
// G's gradients are computed; the reference's D gradients here are discarded
// at the next zero_grad, so skipping them changes no number.
float Wgan28::generator_update(const Tensor& z) {
    G.train();
    Tensor loss = neg(mean(D.forward(G.forward(z))));
    std::vector<Tensor> params = G.parameters();
    std::vector<Tensor> grads = grad({loss}, params);
    opt_G->zero_grad();
    for (size_t i = 0; i < params.size(); ++i) params[i].set_grad(grads[i]);
    opt_G->step();
    return scalar(loss);
}

std::vector<Setting> Wgan28::settings() {
    const bool gp = constraint == LipschitzConstraint::GradientPenalty;
    std::vector<Setting> out;
    if (gp) {
        out = {
            number_setting("lr_G", 1e-4, 1e-6, 1e-1,
                           "Generator learning rate (Adam). WGAN-GP uses 1e-4.")
                .log()
                .bind(opt_G->lr),
            number_setting("lr_D", 1e-4, 1e-6, 1e-1,
                           "Critic learning rate (Adam), 1e-4 in the reference.")
                .log()
                .bind(opt_D->lr),
            number_setting("beta1", 0.0, 0.0, 0.999,
                           "Adam's first-moment decay, both networks. WGAN-GP sets it to 0: no "
                           "momentum, since the critic's target moves with every generator update.")
                .bind([this] { return adam(*opt_G).beta1; },
                      [this](double v) { adam(*opt_G).beta1 = adam(*opt_D).beta1 = v; }),
            number_setting("beta2", 0.9, 0.0, 0.9999,
                           "Adam's second-moment decay, both networks (0.9 in the reference).")
                .bind([this] { return adam(*opt_G).beta2; },
                      [this](double v) { adam(*opt_G).beta2 = adam(*opt_D).beta2 = v; }),
        };
    } else {
        out = {
            number_setting("lr_G", 5e-5, 1e-6, 1e-1,
                           "Generator learning rate (RMSprop). The WGAN paper uses 5e-5.")
                .log()
                .bind(opt_G->lr),
            number_setting("lr_D", 5e-5, 1e-6, 1e-1,
                           "Critic learning rate (RMSprop), 5e-5 in the paper. Momentum-based "
                           "optimizers made the clipped critic unstable there.")
                .log()
                .bind(opt_D->lr),
        };
    }
    out.push_back(count_setting("n_critic", 5, 1, 20,
                                "Critic updates per generator update. The critic should be "
                                "trained close to optimal, so that its score gap estimates the "
                                "Wasserstein distance the generator then descends; the papers "
                                "use 5.")
                      .bind(n_critic));
    if (gp)
        out.push_back(number_setting("lambda", 10.0, 0.0, 100.0,
                                     "Gradient-penalty weight λ: the critic pays λ·(‖∇x f(x̂)‖ − "
                                     "1)² on random points x̂ between real and generated images, "
                                     "a soft version of ‖f‖_L ≤ 1. The paper uses 10; 0 removes "
                                     "the constraint, and the critic's scores then grow without "
                                     "bound.")
                          .bind(lambda));
    else
        out.push_back(number_setting("clip", 0.01, 1e-4, 1.0,
                                     "Weight-clipping bound c: after each critic update every "
                                     "critic weight is clipped into [−c, c], which bounds the "
                                     "Lipschitz constant crudely. Too small and gradients "
                                     "vanish; too large and the critic is slow to become "
                                     "optimal. The paper uses 0.01.")
                          .log()
                          .bind([this] { return clip; },
                                [this](double v) {
                                    clip = v;
                                    clip_weights_(D.parameters(), static_cast<float>(clip));
                                }));
    return out;
}

NamedTensors Wgan28::optimizer_state() const {
    return optimizers_state({{"optim.G", opt_G.get()}, {"optim.D", opt_D.get()}});
}

void Wgan28::load_optimizer_state(const std::map<std::string, Tensor>& state,
                                  const std::string& source) {
    load_optimizers_state({{"optim.G", opt_G.get()}, {"optim.D", opt_D.get()}}, state, source);
}

}  // namespace ganvas
