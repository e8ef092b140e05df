// The interface every trainable model of the lab offers a Session: one
// training step on a batch, its networks by name, and optimizer state.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "data/batcher.h"
#include "nn/module.h"
#include "tensor/rng.h"

namespace ganvas {

// Named scalars of one training step, in display order ("loss_D", "loss_G", "D(x)", ...).
using StepStats = std::vector<std::pair<std::string, float>>;

class GanModel;

class Model {
public:
    virtual ~Model() = default;
    virtual std::string name() const = 0;

    // One reference training step; noise, where the model needs any, comes from `rng`.
    virtual StepStats step(const Batch& batch, Rng& rng) = 0;

    // The networks by prefix ("G", "D", "C"), for checkpoints and layer tables.
    virtual std::vector<std::pair<std::string, Module*>> networks() = 0;
    // Optimizer state as named tensors ("optim.G.step", ...).
    virtual NamedTensors optimizer_state() const = 0;
    virtual void load_optimizer_state(const std::map<std::string, Tensor>& state,
                                      const std::string& source) = 0;

    // Weights and buffers with the network prefix: "G.fc.weight", as the PyTorch reference.
    NamedTensors state_dict();
    // Loads every network's tensors; checks all before changing any.
    void load_state_dict(const std::map<std::string, Tensor>& state, const std::string& source);

    // The generative side, for models that have one.
    virtual GanModel* as_gan() { return nullptr; }
};

// Builds a model by name ("dcgan28"); throws std::invalid_argument listing the known names.
std::unique_ptr<Model> make_model(const std::string& name, Rng& rng);
std::vector<std::string> model_names();
// The reference models `ganvas bench` times (shared/BENCHMARKS.md).
std::vector<std::string> benchmark_model_names();

}  // namespace ganvas
