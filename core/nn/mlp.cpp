#include "nn/mlp.h"

#include <stdexcept>

#include "autograd/autograd.h"
#include "ops/ops.h"

namespace ganvas {

const char* activation_name(Activation a) {
    switch (a) {
        case Activation::relu:
            return "relu";
        case Activation::leaky_relu:
            return "leaky_relu";
        case Activation::tanh:
            return "tanh";
    }
    return "?";
}

Activation parse_activation(const std::string& name) {
    if (name == "relu") return Activation::relu;
    if (name == "leaky_relu") return Activation::leaky_relu;
    if (name == "tanh") return Activation::tanh;
    throw std::invalid_argument("unknown activation '" + name +
                                "' (known: relu, leaky_relu, tanh)");
}

Tensor activate(const Tensor& x, Activation a) {
    switch (a) {
        case Activation::relu:
            return relu(x);
        case Activation::leaky_relu:
            return leaky_relu(x, 0.2f);
        case Activation::tanh:
            return tanh(x);
    }
    return x;
}

Mlp::Mlp(int64_t in, int64_t out, int hidden_layers, int64_t width, Activation act, bool sn,
         Rng& rng)
    : activation(act), spectral_norm(sn) {
    if (hidden_layers < 0 || width < 1 || in < 1 || out < 1)
        throw std::invalid_argument("an MLP needs >= 0 hidden layers and positive sizes");
    for (int l = 0; l <= hidden_layers; ++l) {
        const int64_t a = l == 0 ? in : width, b = l == hidden_layers ? out : width;
        const std::string name = "fc" + std::to_string(l);
        if (sn) {
            sn_.push_back(std::make_unique<SpectralNormLinear>(a, b, rng));
            register_module(name, *sn_.back());
        } else {
            plain_.push_back(std::make_unique<Linear>(a, b, true, rng));
            register_module(name, *plain_.back());
        }
    }
}

Tensor Mlp::forward(const Tensor& x) {
    Tensor h = x;  // (B, in)
    const int n = layer_count();
    for (int l = 0; l < n; ++l) {
        h = spectral_norm ? sn_[l]->forward(h) : plain_[l]->forward(h);  // (B, width | out)
        if (l + 1 < n) h = activate(h, activation);
    }
    return h;
}

std::vector<Tensor> Mlp::weights() const {
    std::vector<Tensor> out;
    for (auto& l : plain_) out.push_back(l->weight);
    for (auto& l : sn_) out.push_back(l->weight_orig);
    return out;
}

Tensor gradient_penalty(Mlp& critic, const Tensor& real, const Tensor& fake, const Tensor& alpha,
                        float lambda) {
    // x_hat is a fresh leaf: the penalty's gradient reaches the critic, not G.
    Tensor x_hat;
    {
        NoGradGuard no_grad;
        x_hat = add(mul(alpha, real), mul(add_scalar(neg(alpha), 1.0f), fake));  // (B, d)
    }
    x_hat = x_hat.detach().requires_grad_(true);
    Tensor score = critic.forward(x_hat);                         // (B, 1)
    Tensor g = grad({sum(score, {0, 1})}, {x_hat}, {}, true)[0];  // (B, d)
    Tensor norm = sqrt(sum(mul(g, g), {1}));                      // (B,)
    Tensor gap = add_scalar(norm, -1.0f);
    return mul_scalar(mean(mul(gap, gap), {0}), lambda);  // ()
}

}  // namespace ganvas
