// The interface every trainable model of the lab offers a Session.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "nn/module.h"
#include "tensor/rng.h"

namespace ganvas {

// Named scalars of one training step, in display order ("loss_D", "loss_G", "D(x)", ...).
using StepStats = std::vector<std::pair<std::string, float>>;

class GanModel {
public:
    virtual ~GanModel() = default;
    virtual std::string name() const = 0;
    virtual int64_t z_dim() const = 0;

    // One reference training step on a batch of real images (B, 1, 28, 28);
    // noise comes from `rng`.
    virtual StepStats step(const Tensor& real, Rng& rng) = 0;

    // Generator output in eval mode, no graph: z (N, z_dim) -> (N, 1, 28, 28).
    virtual Tensor sample(const Tensor& z) = 0;

    // The networks by prefix ("G", "D"), for checkpoints and layer tables.
    virtual std::vector<std::pair<std::string, Module*>> networks() = 0;
    // Optimizer state as named tensors ("optim.G.step", ...).
    virtual NamedTensors optimizer_state() const = 0;
    virtual void load_optimizer_state(const std::map<std::string, Tensor>& state, const std::string& source) = 0;

    // Weights and buffers with the network prefix: "G.fc.weight", as the PyTorch reference.
    NamedTensors state_dict();
    // Loads every network's tensors; checks all before changing any.
    void load_state_dict(const std::map<std::string, Tensor>& state, const std::string& source);
};

// Builds a model by name ("dcgan28"); throws std::invalid_argument listing the known names.
std::unique_ptr<GanModel> make_model(const std::string& name, Rng& rng);
std::vector<std::string> model_names();

}  // namespace ganvas
