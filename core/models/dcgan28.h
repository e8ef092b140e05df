// DCGAN-28: Generator28 + Discriminator28 + DCGAN.step of shared/reference/torch_reference.py.
#pragma once

#include <memory>

#include "models/gan_model.h"
#include "nn/layers.h"
#include "optim/optimizer.h"

namespace ganvas {

constexpr int64_t kZDim = 64;

class Generator28 : public Module {
public:
    // `in_features` is kZDim; a conditional generator adds its class embedding.
    explicit Generator28(Rng& rng, int64_t in_features = kZDim);
    Tensor forward(const Tensor& z);  // (N, 64) -> (N, 1, 28, 28) in [-1, 1]
    std::string type_name() const override { return "Generator28"; }
    Linear fc;            // 64 (in_features) -> 128*7*7, no bias
    BatchNorm bn0;        // BatchNorm1d(6272)
    ConvTranspose2d up1;  // 128 -> 64, 7 -> 14
    BatchNorm bn1;        // BatchNorm2d(64)
    ConvTranspose2d up2;  // 64 -> 1, 14 -> 28
};

// With batchnorm = false it is the WGAN-GP critic (c2 gets a bias, no bn2).
class Discriminator28 : public Module {
public:
    Discriminator28(Rng& rng, bool batchnorm = true);
    Tensor forward(const Tensor& x);  // (N, 1, 28, 28) -> (N,) logits
    std::string type_name() const override { return "Discriminator28"; }
    Conv2d c1;  // 1 -> 64, 28 -> 14
    Conv2d c2;  // 64 -> 128, 14 -> 7
    std::unique_ptr<BatchNorm> bn2;
    Linear fc;  // 6272 -> 1
};

// What dcgan28 and the WGANs share: Generator28 G against Discriminator28 D (the
// critic), constructed in that order from the same random stream, and all that
// needs only the two networks.
class ImageGan28 : public GanModel {
public:
    int64_t z_dim() const override { return kZDim; }
    Tensor sample(const Tensor& z) override;
    std::vector<std::pair<std::string, Module*>> networks() override {
        return {{"G", &G}, {"D", &D}};
    }
    void trace_forward(const Batch& batch) override;
    std::function<Tensor(const Tensor&)> image_network(const std::string& prefix) override {
        if (prefix != "D") return {};
        return [this](const Tensor& x) { return D.forward(x); };
    }

    Generator28 G;
    Discriminator28 D;

protected:
    ImageGan28(Rng& rng, bool discriminator_batchnorm) : G(rng), D(rng, discriminator_batchnorm) {}
};

class Dcgan28 : public ImageGan28 {
public:
    explicit Dcgan28(Rng& rng);
    std::string name() const override { return "dcgan28"; }
    StepStats gan_step(const Tensor& real, Rng& rng) override;
    StepStats step_with_noise(const Tensor& real, const Tensor& z);  // (B, 1, 28, 28), (B, 64)
    NamedTensors optimizer_state() const override;
    void load_optimizer_state(const std::map<std::string, Tensor>& state,
                              const std::string& source) override;
    std::vector<Setting> settings() override;

    Adam opt_G, opt_D;  // Adam 2e-4, betas (0.5, 0.999)
    // Discriminator updates per generator update; the reference does one. The
    // extra updates come first, on the same real batch with their own noise.
    int d_steps = 1;

private:
    DiscriminatorStep discriminator_update(const Tensor& real, const Tensor& fake);
};

}  // namespace ganvas
