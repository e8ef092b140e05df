// classifier28: a small CNN for Fashion-MNIST whose penultimate features
// measure sample quality (FFD, precision/recall), as Inception does for FID.
#pragma once

#include "models/model.h"
#include "nn/layers.h"
#include "optim/optimizer.h"

namespace ganvas {

constexpr int64_t kClassifierFeatures = 128;

class Classifier28Net : public Module {
public:
    explicit Classifier28Net(Rng& rng);
    // (N, 1, 28, 28) -> (N, 128), after the last ReLU: the features FFD compares.
    Tensor features(const Tensor& x);
    Tensor forward(const Tensor& x);  // (N, 1, 28, 28) -> (N, 10) logits
    std::string type_name() const override { return "Classifier28"; }
    Conv2d c1;   // 1 -> 32, 28x28, 3x3
    Conv2d c2;   // 32 -> 64, 28 -> 14
    Conv2d c3;   // 64 -> 128, 14 -> 7
    Linear fc1;  // 6272 -> 128
    Linear fc2;  // 128 -> 10
};

class Classifier28 : public Model {
public:
    explicit Classifier28(Rng& rng);
    std::string name() const override { return "classifier28"; }
    StepStats step(const Batch& batch, Rng& rng) override;  // cross-entropy, Adam 1e-3
    std::vector<std::pair<std::string, Module*>> networks() override { return {{"C", &net}}; }
    NamedTensors optimizer_state() const override { return opt.state("optim.C"); }
    void load_optimizer_state(const std::map<std::string, Tensor>& state,
                              const std::string& source) override {
        opt.load_state(state, "optim.C", source);
    }

    std::vector<Setting> settings() override;
    void trace_forward(const Batch& batch) override;
    std::function<Tensor(const Tensor&)> image_network(const std::string& prefix) override {
        if (prefix != "C") return {};
        return [this](const Tensor& x) { return net.forward(x); };
    }

    // The accuracy on the test split of the data it trained on (Fashion-MNIST's test
    // set for fashion-mnist, the data itself otherwise).
    std::string final_report(const std::string& data_spec, const ImageDataset& heldout) override;

    struct Outputs {
        Tensor features;       // (N, 128)
        Tensor probabilities;  // (N, 10)
    };
    // Eval mode, no graph, in chunks of `chunk` images so memory stays small.
    Outputs evaluate(const Tensor& images, int64_t chunk = 500);
    // Share of `images` whose most probable class is `labels`.
    double accuracy(const Tensor& images, const Tensor& labels);

    Classifier28Net net;
    Adam opt;
};

}  // namespace ganvas
