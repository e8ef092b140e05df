#include "models/dcgan28.h"

#include "autograd/autograd.h"
#include "nn/layer_trace.h"
#include "ops/ops.h"

namespace ganvas {

void ImageGan28::trace_forward(const Batch& batch) {
    NoGradGuard no_grad;
    G.eval();
    D.eval();
    G.forward(Tensor::zeros({1, kZDim}, DType::f32, batch.images.device()));
    D.forward(narrow(batch.images, 0, 0, 1));
    G.train();
    D.train();
}

Tensor ImageGan28::sample(const Tensor& z) {
    NoGradGuard no_grad;
    G.eval();
    Tensor out = G.forward(z);
    G.train();
    return out;
}

Generator28::Generator28(Rng& rng, int64_t in_features)
    : fc(in_features, 128 * 7 * 7, false, rng),
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
    Tensor out = tanh(up2.forward(h));            // (N, 1, 28, 28)
    LayerTrace::record(this, out);
    return out;
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
    Tensor logits = squeeze(fc.forward(flatten(h, 1)), 1);  // (N,)
    LayerTrace::record(this, logits);
    return logits;
}

Dcgan28::Dcgan28(Rng& rng)
    : ImageGan28(rng, /*discriminator_batchnorm=*/true),
      opt_G(G.parameters(), 2e-4, 0.5, 0.999),
      opt_D(D.parameters(), 2e-4, 0.5, 0.999) {
    dcgan_init(G, rng);
    dcgan_init(D, rng);
}

StepStats Dcgan28::gan_step(const Tensor& real, Rng& rng) {
    for (int i = 1; i < d_steps; ++i) {
        Tensor fake;
        {
            NoGradGuard no_grad;
            G.train();
            fake = G.forward(rng.randn({real.size(0), kZDim}).to(real.device()));
        }
        discriminator_update(real, fake);
    }
    return step_with_noise(real, rng.randn({real.size(0), kZDim}).to(real.device()));
}

// Discriminator: real -> 1, fake -> 0.
DiscriminatorStep Dcgan28::discriminator_update(const Tensor& real, const Tensor& fake) {
    D.train();
    const int64_t n = real.size(0);
    DiscriminatorStep d;
    d.real_logits = D.forward(real);
    d.fake_logits = D.forward(fake);
    d.loss = add(
        binary_cross_entropy_with_logits(d.real_logits, Tensor::ones({n}, d.real_logits.device())),
        binary_cross_entropy_with_logits(d.fake_logits,
                                         Tensor::zeros({n}, DType::f32, d.fake_logits.device())));
    opt_D.zero_grad();
    d.loss.backward();
    opt_D.step();
    return d;
}

std::vector<Setting> Dcgan28::settings() {
    return {
        number_setting("lr_G", 2e-4, 1e-6, 1e-1,
                       "Generator learning rate (Adam). The reference uses 2e-4.")
            .log()
            .bind(opt_G.lr),
        number_setting("lr_D", 2e-4, 1e-6, 1e-1,
                       "Discriminator learning rate (Adam). A much faster D wins the game and the "
                       "generator's gradients vanish.")
            .log()
            .bind(opt_D.lr),
        number_setting("beta1", 0.5, 0.0, 0.999,
                       "Adam's first-moment decay, both networks. DCGAN lowers it from 0.9 to 0.5 "
                       "so momentum does not overshoot in the moving minimax game.")
            .bind([this] { return opt_G.beta1; },
                  [this](double v) { opt_G.beta1 = opt_D.beta1 = v; }),
        number_setting("beta2", 0.999, 0.0, 0.9999,
                       "Adam's second-moment decay, both networks (0.999 in the reference).")
            .bind([this] { return opt_G.beta2; },
                  [this](double v) { opt_G.beta2 = opt_D.beta2 = v; }),
        count_setting("d_steps", 1, 1, 10,
                      "Discriminator updates per generator update (the steps per phase); "
                      "the reference does 1.")
            .bind(d_steps),
    };
}

StepStats Dcgan28::step_with_noise(const Tensor& real, const Tensor& z) {
    G.train();
    Tensor fake = G.forward(z);  // (B, 1, 28, 28)
    // The generator is held fixed by detach.
    DiscriminatorStep d = discriminator_update(real, fake.detach());

    // Generator, non-saturating (gan_model.h).
    Tensor loss_G = non_saturating_generator_update(D.forward(fake), G, opt_G);
    return minimax_gan_stats(d, loss_G);
}

NamedTensors Dcgan28::optimizer_state() const {
    return optimizers_state({{"optim.G", &opt_G}, {"optim.D", &opt_D}});
}

void Dcgan28::load_optimizer_state(const std::map<std::string, Tensor>& state,
                                   const std::string& source) {
    load_optimizers_state({{"optim.G", &opt_G}, {"optim.D", &opt_D}}, state, source);
}

}  // namespace ganvas
