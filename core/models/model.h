// The interface every trainable model of the lab offers a Session: one
// training step on a batch, its networks by name, and optimizer state.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "data/batcher.h"
#include "data/dataset.h"
#include "nn/module.h"
#include "tensor/rng.h"

namespace ganvas {

// Named scalars of one training step, in display order ("loss_D", "loss_G", "D(x)", ...).
using StepStats = std::vector<std::pair<std::string, float>>;

class GanModel;
class CodePrior;

// A setting's value as the window shows it: a copy of the declaration with its
// current value, safe to hand to another thread.
struct HyperParam {
    std::string name;  // "lr_G"
    std::string help;
    double value = 0, min = 0, max = 0;
    bool log_scale = false;  // drawn as a logarithmic slider
    bool integer = false;
    bool boolean = false;  // 0 or 1: drawn as a checkbox
    double default_value = 0;
};

// One setting of a model, declared once: name, tooltip, default, range, scale and
// the field it reads and writes. The sidebar, --set, checkpoints and experiment
// files all go through these declarations, so a setting cannot exist in one of
// them and be missing from another.
struct Setting {
    std::string name, help;
    double default_value = 0, min = 0, max = 0;
    bool log_scale = false, integer = false, boolean = false;
    std::function<double()> get;
    std::function<void(double)> set;  // called only with a value checked against the range

    Setting& log() {
        log_scale = true;
        return *this;
    }
    // Reads and writes `field` (double, float, int, int64_t or bool).
    template <class T>
    Setting& bind(T& field) {
        get = [&field] { return static_cast<double>(field); };
        set = [&field](double v) { field = static_cast<T>(v); };
        return *this;
    }
    // For a setting that is more than one field (a beta of both optimizers).
    Setting& bind(std::function<double()> getter, std::function<void(double)> setter) {
        get = std::move(getter);
        set = std::move(setter);
        return *this;
    }
};

// A real number in [min, max]; bind it to its field with .bind(...).
Setting number_setting(std::string name, double default_value, double min, double max,
                       std::string help);
// A whole number in [min, max].
Setting count_setting(std::string name, int64_t default_value, int64_t min, int64_t max,
                      std::string help);
// On or off: 1 or 0 on the command line and in files, a checkbox in the window.
Setting switch_setting(std::string name, bool default_value, std::string help);

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

    // Moves every network's weights and buffers to `device` in place (the handles stay);
    // optimizer state follows its parameters at their next step. Batches must then come
    // on that device too; noise is drawn on the host and moved, so a run is the same
    // on either device up to rounding.
    void to(Device device);
    Device device();  // where the networks' weights are

    // Weights and buffers with the network prefix: "G.fc.weight", as the PyTorch reference.
    NamedTensors state_dict();
    // Loads every network's tensors; checks all before changing any.
    void load_state_dict(const std::map<std::string, Tensor>& state, const std::string& source);

    // The settings that may change between steps (learning rates, betas, steps per
    // phase), each declared once with its field; built afresh on each call.
    virtual std::vector<Setting> settings() { return {}; }
    // The declarations with their current values, for the window and for files.
    std::vector<HyperParam> hyper_params() const;
    // Checks `name` and the value against the declaration, then applies it; throws
    // std::invalid_argument saying which and why (unknown name, out of range, not a
    // whole number, a switch given something other than 0 or 1).
    void set_hyper_param(const std::string& name, double value);
    // The current value of setting `name`; throws std::invalid_argument for an unknown one.
    double hyper_param(const std::string& name) const;
    // Every setting back to its declared default.
    void restore_default_settings();

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

    // What a model can do, asked by the command line and the window instead of
    // casting to a concrete model. The defaults describe a model that does none of it.

    // Throws std::invalid_argument, saying what to give instead, when the model cannot
    // train on `data` (a code prior reads code grids, not images); `heldout` may be empty.
    virtual void check_training_data(const ImageDataset& data, const ImageDataset& heldout) const {
        (void)data;
        (void)heldout;
    }
    // The picture `ganvas train` writes every --sample-every steps: its file-name
    // prefix ("samples", "reconstructions"), or empty for a model without one.
    virtual std::string progress_image_name() const { return ""; }
    // Writes that picture as a PNG at `path`, from the training data and the session's
    // fixed noise (undefined for a model without noise); false when there is nothing to show.
    virtual bool write_progress_image(const std::string& path, const ImageDataset& data,
                                      const Tensor& fixed_noise) {
        (void)path, (void)data, (void)fixed_noise;
        return false;
    }
    // Metrics measured on held-out data every --eval-every steps: their names, then
    // the measuring. Most models have none.
    virtual std::vector<std::string> heldout_metric_names() const { return {}; }
    virtual StepStats evaluate_heldout(const ImageDataset& heldout) {
        (void)heldout;
        return {};
    }
    // The line `ganvas train` prints when a run ends (held-out likelihood, test
    // accuracy), without the newline; empty when the progress image says it all.
    // `data_spec` is the --data trained on, `heldout` the session's held-out data.
    virtual std::string final_report(const std::string& data_spec, const ImageDataset& heldout) {
        (void)data_spec, (void)heldout;
        return "";
    }
    // Whether the window's Experiment sidebar can train it from a data spec alone
    // (a toy model trains in the GAN Lab, a code prior in the VQ Stage 2 panel).
    virtual bool trains_in_window() const { return true; }
    // The network to sample code grids from, for models that learn a prior over a
    // VQGAN's codes; they are sampled and decoded, not generated from noise.
    virtual const CodePrior* code_prior() const { return nullptr; }
};

// Builds a model by name ("dcgan28"); throws std::invalid_argument listing the known names.
std::unique_ptr<Model> make_model(const std::string& name, Rng& rng);
// The model `spec` names, fitted to the data it trains on: toy2d takes its dimension from
// the data, cdcgan28 its number of classes (as cdcgan28:classes=K). Others come back as given.
std::string model_spec_for_data(const std::string& spec, const ImageDataset& data);
// The same from a checkpoint's tensors, for sampling without the data: a cdcgan28's classes
// are the rows of G.embed.weight.
std::string model_spec_for_weights(const std::string& spec,
                                   const std::map<std::string, Tensor>& tensors);
std::vector<std::string> model_names();
// The models the window's Experiment sidebar offers: those whose trains_in_window() is true.
std::vector<std::string> window_model_names();
// The reference models `ganvas bench` times (shared/BENCHMARKS.md).
std::vector<std::string> benchmark_model_names();
// The reference step's batch of 64 for `model`, drawn from `rng` as torch_reference.py
// does: images uniform in [-1, 1) with random labels, or random code grids for a code prior.
Batch reference_batch(const Model& model, Rng& rng);

}  // namespace ganvas
