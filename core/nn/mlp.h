// A multilayer perceptron for the toy GAN lab: `hidden_layers` layers of `width`
// units with one activation, then a linear output. Layers are named fc0, fc1, ...
// like an unrolled torch Sequential of Linear layers.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nn/layers.h"
#include "nn/spectral_norm.h"

namespace ganvas {

enum class Activation { relu, leaky_relu, tanh };
const char* activation_name(Activation a);
// "relu", "leaky_relu" (slope 0.2), "tanh"; throws std::invalid_argument otherwise.
Activation parse_activation(const std::string& name);
Tensor activate(const Tensor& x, Activation a);

class Mlp : public Module {
public:
    // spectral_norm: every layer under torch.nn.utils.spectral_norm.
    Mlp(int64_t in, int64_t out, int hidden_layers, int64_t width, Activation act,
        bool spectral_norm, Rng& rng);
    Tensor forward(const Tensor& x);  // (B, in) -> (B, out)
    std::string type_name() const override { return "MLP"; }
    // The weight matrices (not biases), for weight clipping's statistics.
    std::vector<Tensor> weights() const;
    int layer_count() const { return static_cast<int>(std::max(plain_.size(), sn_.size())); }

    Activation activation;
    bool spectral_norm;

private:
    std::vector<std::unique_ptr<Linear>> plain_;
    std::vector<std::unique_ptr<SpectralNormLinear>> sn_;
};

// WGAN-GP's penalty (Gulrajani et al. 2017): lambda * mean((|grad_x f(x_hat)|_2 - 1)^2)
// at x_hat = alpha * real + (1 - alpha) * fake, with a graph through the gradient
// (create_graph), so backward reaches the critic's parameters exactly.
// real, fake (B, d); alpha (B, 1). The critic maps (B, d) to (B, 1).
Tensor gradient_penalty(Mlp& critic, const Tensor& real, const Tensor& fake, const Tensor& alpha,
                        float lambda);

}  // namespace ganvas
