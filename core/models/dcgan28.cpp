#include "models/dcgan28.h"

#include "ops/ops.h"

namespace ganvas {

Generator28::Generator28(Rng& rng)
    : fc(kZDim, 128 * 7 * 7, false, rng),
      bn0(128 * 7 * 7, 0),
      up1(128, 64, 4, 2, 1, false, rng),
      bn1(64, 2),
      up2(64, 1, 4, 2, 1, true, rng) {
    register_module("fc", fc);
    register_module("bn0", bn0);
    register_module("up1", up1);
    register_module("bn1", bn1);
    register_module("up2", up2);
}

Tensor Generator28::forward(const Tensor& z) {
    Tensor h = relu(bn0.forward(fc.forward(z)));  // (N, 6272)
    h = reshape(h, {-1, 128, 7, 7});              // (N, 128, 7, 7)
    h = relu(bn1.forward(up1.forward(h)));        // (N, 64, 14, 14)
    return tanh(up2.forward(h));                  // (N, 1, 28, 28)
}

Discriminator28::Discriminator28(Rng& rng, bool batchnorm)
    : c1(1, 64, 4, 2, 1, true, rng),
      c2(64, 128, 4, 2, 1, !batchnorm, rng),
      fc(128 * 7 * 7, 1, true, rng) {
    register_module("c1", c1);
    register_module("c2", c2);
    if (batchnorm) {
        bn2 = std::make_unique<BatchNorm>(128, 2);
        register_module("bn2", *bn2);
    }
    register_module("fc", fc);
}

Tensor Discriminator28::forward(const Tensor& x) {
    Tensor h = leaky_relu(c1.forward(x), 0.2f);  // (N, 64, 14, 14)
    h = c2.forward(h);                           // (N, 128, 7, 7)
    if (bn2) h = bn2->forward(h);
    h = leaky_relu(h, 0.2f);
    return squeeze(fc.forward(flatten(h, 1)), 1);  // (N,)
}

Dcgan28::Dcgan28(Rng& rng)
    : G(rng),
      D(rng, true),
      opt_G(G.parameters(), 2e-4, 0.5, 0.999),
      opt_D(D.parameters(), 2e-4, 0.5, 0.999) {
    dcgan_init(G, rng);
    dcgan_init(D, rng);
}

StepStats Dcgan28::gan_step(const Tensor& real, Rng& rng) {
    return step_with_noise(real, rng.randn({real.size(0), kZDim}));
}

StepStats Dcgan28::step_with_noise(const Tensor& real, const Tensor& z) {
    G.train();
    D.train();
    const int64_t n = real.size(0);
    Tensor ones = Tensor::ones({n}), zeros = Tensor::zeros({n});
    Tensor fake = G.forward(z);  // (B, 1, 28, 28)

    // Discriminator: real -> 1, fake -> 0 (the generator is held fixed by detach).
    Tensor d_real = D.forward(real);
    Tensor d_fake = D.forward(fake.detach());
    Tensor loss_D = add(binary_cross_entropy_with_logits(d_real, ones),
                        binary_cross_entropy_with_logits(d_fake, zeros));
    opt_D.zero_grad();
    loss_D.backward();
    opt_D.step();

    // Generator, non-saturating: make D call the fakes real. Only G's gradients
    // are computed: the reference's D gradients here are discarded at the next
    // zero_grad, so skipping them changes no number.
    Tensor d_gen = D.forward(fake);
    Tensor loss_G = binary_cross_entropy_with_logits(d_gen, ones);
    std::vector<Tensor> params = G.parameters();
    std::vector<Tensor> grads = grad({loss_G}, params);
    opt_G.zero_grad();
    for (size_t i = 0; i < params.size(); ++i) params[i].set_grad(grads[i]);
    opt_G.step();

    auto mean_sigmoid = [](const Tensor& logits) {
        NoGradGuard no_grad;
        return mean(sigmoid(logits)).item();
    };
    return {{"loss_D", loss_D.item()},
            {"loss_G", loss_G.item()},
            {"D(x)", mean_sigmoid(d_real)},
            {"D(G(z))", mean_sigmoid(d_fake)}};
}

Tensor Dcgan28::sample(const Tensor& z) {
    NoGradGuard no_grad;
    G.eval();
    Tensor out = G.forward(z);
    G.train();
    return out;
}

NamedTensors Dcgan28::optimizer_state() const {
    NamedTensors out = opt_G.state("optim.G");
    for (auto& e : opt_D.state("optim.D")) out.push_back(e);
    return out;
}

void Dcgan28::load_optimizer_state(const std::map<std::string, Tensor>& state,
                                   const std::string& source) {
    opt_G.load_state(state, "optim.G", source);
    opt_D.load_state(state, "optim.D", source);
}

}  // namespace ganvas
