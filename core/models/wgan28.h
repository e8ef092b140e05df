// WGAN-28: the Wasserstein GANs of shared/reference/torch_reference.py on 28×28 images.
//
// Both train Generator28 against the critic Discriminator28(batchnorm = false)
// with n_critic critic updates per generator update. They differ in how the
// critic is kept (roughly) 1-Lipschitz, which the Kantorovich–Rubinstein dual
// W1(p, q) = sup_{‖f‖_L ≤ 1} E_p[f] − E_q[f] needs:
//   wgan_gp28   (Gulrajani et al. 2017, the reference's WGANGP): a gradient
//               penalty λ·E[(‖∇x f(x̂)‖ − 1)²] on random interpolates x̂,
//               computed by exact double backward; Adam 1e-4, betas (0, 0.9).
//   wgan_clip28 (Arjovsky et al. 2017): every critic weight clipped into
//               [−c, c] after each critic update; RMSprop 5e-5.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "models/dcgan28.h"

namespace ganvas {

struct GradientPenalty {
    Tensor penalty;  // ()    E[(‖∇x f(x̂)‖ − 1)²], differentiable w.r.t. the critic's weights
    Tensor grad_norm;  // (B,)  ‖∇x f(x̂)‖ per interpolate
};

// torch_reference.gradient_penalty: x̂ = eps·real + (1 − eps)·fake with eps
// (B, 1, 1, 1) in [0, 1), and the penalty on the critic's input gradient at x̂.
// real, fake: (B, C, H, W); `critic` maps (B, C, H, W) -> (B,).
GradientPenalty gradient_penalty(const std::function<Tensor(const Tensor&)>& critic,
                                 const Tensor& real, const Tensor& fake, const Tensor& eps);

enum class LipschitzConstraint { GradientPenalty, WeightClipping };

class Wgan28 : public ImageGan28 {
public:
    Wgan28(Rng& rng, LipschitzConstraint constraint);
    std::string name() const override;

    // Draws, in the reference's order, each critic update's z (B, 64) and (for
    // the gradient penalty) eps (B, 1, 1, 1), then the generator's z.
    StepStats gan_step(const Tensor& real, Rng& rng) override;
    // One step with given noise: critic_z and critic_eps hold n_critic tensors
    // each (critic_eps is ignored when clipping); z_G (B, 64).
    StepStats step_with_noise(const Tensor& real, const std::vector<Tensor>& critic_z,
                              const std::vector<Tensor>& critic_eps, const Tensor& z_G);

    NamedTensors optimizer_state() const override;
    void load_optimizer_state(const std::map<std::string, Tensor>& state,
                              const std::string& source) override;
    std::vector<Setting> settings() override;

    const LipschitzConstraint constraint;  // D is the critic: no batch norm, c2 has a bias
    // Adam (0, 0.9) with the gradient penalty, RMSprop with clipping.
    std::unique_ptr<Optimizer> opt_G, opt_D;
    int n_critic = 5;
    double lambda = 10.0;  // gradient-penalty weight
    double clip = 0.01;    // weight-clipping bound c

private:
    struct CriticStep {
        float loss = 0, wasserstein = 0, penalty = 0, grad_norm = 0;
    };
    CriticStep critic_update(const Tensor& real, const Tensor& z, const Tensor& eps);
    float generator_update(const Tensor& z);
};

}  // namespace ganvas
