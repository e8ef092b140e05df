// The interface every trainable model of the lab offers a Session: one
// training step on a batch, its networks by name, and optimizer state.
#pragma once

#include <functional>
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

// A setting the window may change between steps, with what a tooltip says of it.
struct HyperParam {
    std::string name;  // "lr_G"
    std::string help;
    double value = 0, min = 0, max = 0;
    bool log_scale = false;  // drawn as a logarithmic slider
    bool integer = false;
};

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

    // Settings that may change between steps (learning rates, betas, steps per phase).
    virtual std::vector<HyperParam> hyper_params() const { return {}; }
    // Checks `name` and the range against hyper_params(), then applies it;
    // throws std::invalid_argument saying which and why.
    void set_hyper_param(const std::string& name, double value);

    // Runs every network forward once on one example of `batch`, in eval mode
    // and without a graph, so a LayerTrace sees each layer's output shape.
    virtual void trace_forward(const Batch& batch) = 0;
    // The shape of one example of the data the model reads: (1, 1, S, S) images
    // by default; a model of something else (code grids) says so.
    virtual Shape example_shape(int64_t image_size) const { return {1, 1, image_size, image_size}; }

    // Network `prefix` as a function of images (N, 1, 28, 28), graph kept, for
    // gradients with respect to the input (the effective receptive field);
    // empty when the network does not read images (a generator reads z).
    virtual std::function<Tensor(const Tensor&)> image_network(const std::string& prefix) {
        (void)prefix;
        return {};
    }
    // Tensors a model shows the window beyond samples and metrics (a VQGAN's
    // reconstructions, codes, codebook), by name, computed without a graph from
    // `examples`, fixed images of the data (N, 1, 28, 28). Most models have none.
    virtual NamedTensors views(const Tensor& examples) { return {}; }

    // The generative side, for models that have one.
    virtual GanModel* as_gan() { return nullptr; }

protected:
    virtual void apply_hyper_param(const std::string& name, double value) = 0;
};

// Builds a model by name ("dcgan28"); throws std::invalid_argument listing the known names.
std::unique_ptr<Model> make_model(const std::string& name, Rng& rng);
std::vector<std::string> model_names();
// The reference models `ganvas bench` times (shared/BENCHMARKS.md).
std::vector<std::string> benchmark_model_names();

}  // namespace ganvas
