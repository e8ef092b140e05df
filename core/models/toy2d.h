// toy2d: a GAN on 1-D or 2-D toy data (data/toy_distributions.h) with MLP
// generator and discriminator/critic, and the objectives of the GAN literature
// side by side, small enough to train in real time in the GAN Lab.
//
// Objectives: the original minimax GAN (saturating generator loss), the
// non-saturating GAN, least squares (LSGAN), WGAN with weight clipping
// (RMSprop 5e-5, c = 0.01, 5 critic steps) and WGAN-GP (lambda = 10, Adam 1e-4,
// betas (0, 0.9), 5 critic steps, exact double backward). Spectral
// normalization of the discriminator combines with any of them.
//
// One step() is one D (critic) update; every d_steps-th step also updates G.
#pragma once

#include <string>

#include "models/model.h"
#include "nn/mlp.h"
#include "optim/optimizer.h"

namespace ganvas {

enum class ToyObjective { minimax, non_saturating, least_squares, wgan_clip, wgan_gp };
const char* objective_name(ToyObjective o);  // "minimax", "non_saturating", ...
std::vector<std::string> objective_names();
ToyObjective parse_objective(const std::string& name);  // throws std::invalid_argument
bool is_wasserstein(ToyObjective o);

struct Toy2dConfig {
    int data_dim = 2;                // 1 or 2: must match the data
    int noise_dim = 2;               // 1 or 2
    bool gaussian_noise = true;      // else uniform on [-1, 1]
    int g_layers = 3, d_layers = 3;  // hidden layers
    int64_t g_width = 64, d_width = 64;
    Activation g_activation = Activation::relu, d_activation = Activation::relu;
    ToyObjective objective = ToyObjective::wgan_gp;
    bool spectral_norm = false;  // on the discriminator
    // Optimiser and schedule; negative means the objective's default (see above;
    // the GAN-family objectives use Adam 1e-3, betas (0.5, 0.999), one D step).
    double lr_g = -1, lr_d = -1;
    int d_steps = -1;
    float clip = 0.01f;       // WGAN weight clipping bound c
    float gp_lambda = 10.0f;  // WGAN-GP penalty weight
};

// "toy2d" or "toy2d:key=value,..." with keys dim, noise_dim, noise (gaussian|uniform),
// layers, width, activation (setting G and D alike), g_layers, d_layers, g_width,
// d_width, g_activation, d_activation, objective, sn (0|1), lr_g, lr_d, d_steps,
// clip, lambda. Throws std::invalid_argument naming a bad key or value.
Toy2dConfig parse_toy2d_spec(const std::string& spec);
bool is_toy2d_spec(const std::string& model_name);
// Adds "dim=N" to a toy2d spec that does not set it, so the model fits its data.
std::string toy2d_spec_for_data(const std::string& spec, int64_t data_dim);

class Toy2d : public Model {
public:
    Toy2d(const Toy2dConfig& config, Rng& rng);
    std::string name() const override { return "toy2d"; }
    const Toy2dConfig& config() const { return config_; }

    // batch.images (B, dim, 1, 1) or (B, dim): one D update, plus a G update
    // every d_steps calls. Stats: loss_D, loss_G (latest), and W_estimate
    // (E f(real) - E f(fake)) for WGANs or D(x), D(G(z)) (probabilities) otherwise.
    StepStats step(const Batch& batch, Rng& rng) override;
    StepStats d_step(const Tensor& real, Rng& rng);  // real (B, dim)
    StepStats g_step(int64_t batch, Rng& rng);

    std::vector<std::pair<std::string, Module*>> networks() override;
    NamedTensors optimizer_state() const override;
    void load_optimizer_state(const std::map<std::string, Tensor>& state,
                              const std::string& source) override;
    std::vector<Setting> settings() override;
    // `ganvas train` draws data points and generated ones on the plane; the window's
    // Experiment sidebar cannot train it (the GAN Lab does).
    std::string progress_image_name() const override { return "samples"; }
    bool write_progress_image(const std::string& path, const ImageDataset& data,
                              const Tensor& fixed_noise) override;
    bool trains_in_window() const override { return false; }
    void trace_forward(const Batch& batch) override;
    Shape example_shape(int64_t) const override { return {1, config_.data_dim, 1, 1}; }  // a point

    // --- for the lab's views; no graph is left behind ---
    Tensor noise(int64_t n, Rng& rng) const;  // (n, noise_dim)
    Tensor generate(const Tensor& z);         // (n, noise_dim) -> (n, dim), eval mode
    // D's output on x (n, dim): the probability sigmoid(logit) for the GAN family
    // (least squares: the raw score), the critic value f(x) for WGANs. Eval mode.
    Tensor discriminate(const Tensor& x);           // (n,)
    Tensor critic_raw(const Tensor& x);             // (n,) the logit or score itself
    Tensor critic_input_gradient(const Tensor& x);  // (n, dim): d D_raw / d x
    // Where G's loss pushes generated points: -d loss_G / d x at x (n, dim).
    Tensor generator_push(const Tensor& fake);
    int64_t d_updates() const { return d_updates_; }
    int64_t g_updates() const { return g_updates_; }
    int effective_d_steps() const;

    Mlp& generator() { return *g_; }
    Mlp& discriminator() { return *d_; }

private:
    void build();  // networks and optimizers from config_, drawing from init_rng_
    Tensor d_loss(const Tensor& d_real, const Tensor& d_fake) const;
    Tensor g_loss(const Tensor& d_fake) const;
    double default_lr() const;

    Toy2dConfig config_;
    const Toy2dConfig initial_;  // the spec's: the settings' defaults
    Rng init_rng_;
    std::unique_ptr<Mlp> g_, d_;
    std::unique_ptr<Optimizer> opt_g_, opt_d_;
    int64_t d_updates_ = 0, g_updates_ = 0;
    float last_loss_g_ = 0;
};

}  // namespace ganvas
