// Session: one experiment — model, optimizers, data, random state and step
// count — behind step(). The command line and the window drive the same class.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "backend/host_memory.h"
#include "data/batcher.h"
#include "data/dataset.h"
#include "models/gan_model.h"
#include "models/model.h"

namespace ganvas {

struct SessionConfig {
    std::string model = "dcgan28";
    std::string data = "fashion-mnist";
    int64_t batch = 64;
    uint64_t seed = 0;
    // Where the model trains. Data and noise are drawn on the host from the same random
    // streams on either device, so the same seed gives the same run up to rounding.
    Device device = Device::cpu;
    // prior49 only: a vqgan28 checkpoint that codes `data` (and, for Fashion-MNIST,
    // the test split as held-out codes) once at the start.
    std::string vq;
    // Reports (what, done, total) while the data is prepared (VQ coding); may be empty.
    std::function<void(const std::string&, int64_t, int64_t)> progress;
};

class Session {
public:
    explicit Session(const SessionConfig& config);  // loads the data and builds the model

    StepStats step();  // one reference training step on the next batch
    int64_t steps_done() const { return steps_; }
    Model& model() { return *model_; }
    GanModel* gan() { return model_->as_gan(); }  // nullptr for a classifier
    const SessionConfig& config() const { return config_; }
    const ImageDataset& dataset() const { return data_; }
    // Held-out data for a test metric: the test split's codes with --vq, the file after
    // the comma of codes:TRAIN.npy,HELDOUT.npy; empty (size 0) otherwise.
    const ImageDataset& heldout() const { return heldout_; }
    // Takes effect from the next step; the batch order starts a fresh epoch.
    // Throws std::invalid_argument outside [1, dataset size].
    void set_batch(int64_t batch);
    // One example batch, for tracing layer shapes; draws no random numbers.
    Batch example_batch() const;                // on the host
    Batch on_device(const Batch& batch) const;  // `batch` moved to the session's device

    // 64 noise vectors fixed at construction, so sample grids show one
    // model's evolution rather than new draws each time (generative models only).
    const Tensor& fixed_noise() const { return fixed_noise_; }  // on the host
    // (64, 1, 28, 28), or one row of 8 per class for a conditional generator (class_grid);
    // generator in eval mode; throws for a classifier.
    Tensor fixed_samples();

    // Everything needed to continue bit for bit: weights, buffers, optimizer
    // state, both random streams, the batch order and the step count.
    void save_checkpoint(const std::string& path) const;
    // Validates the whole file before changing anything; throws std::runtime_error naming it,
    // also when it was saved from another model, batch size, data or VQGAN.
    void load_checkpoint(const std::string& path);

private:
    // Declared first, so destroyed last: when the session's tensors are gone, the
    // host memory cache frees the blocks they leave behind. A window that moves
    // to another model (other sizes) would otherwise keep them (backend/host_memory.h).
    struct TrimHostMemoryAtEnd {
        ~TrimHostMemoryAtEnd() { trim_host_memory(); }
    } trim_at_end_;
    SessionConfig config_;
    ImageDataset data_;
    ImageDataset heldout_;
    Rng rng_;       // noise for training steps
    Rng data_rng_;  // batch order
    std::unique_ptr<Model> model_;
    std::unique_ptr<Batcher> batcher_;
    Tensor fixed_noise_;
    Tensor fixed_noise_on_device_;  // the same, where the generator runs
    int64_t steps_ = 0;
};

// The session a Ganvas training checkpoint was saved from (model, data, batch, seed,
// vq), so the window can open a run without restating them. Throws
// std::runtime_error naming the file when it is not a Ganvas training checkpoint.
SessionConfig checkpoint_session_config(const std::string& path);

// Whether two --data specs name the same data: "fashion-mnist" is "fashion-mnist:train",
// and files are compared as paths ("./a.idx" is "a.idx"). A spec that does not parse
// is compared as text.
bool same_data_spec(const std::string& a, const std::string& b);

// The model a checkpoint holds: `model_name` when given, else the file's "model"
// metadata, else guessed from its tensor names (files of the PyTorch reference).
// Throws std::runtime_error naming the file when it cannot tell.
std::string checkpoint_model_name(const std::string& path, const std::string& model_name = "");

// A generative model with the weights of a checkpoint, Ganvas's or the PyTorch
// reference's. The model is `model_name`, else the file's "model" metadata,
// else guessed from its tensor names; one that does not generate is an error.
// Only the generator's tensors are read, so a file of them alone samples: named
// "G.fc.weight", ... as the reference's checkpoints, or bare as `G.state_dict()`.
// The networks the model does not sample with keep their initial weights.
std::unique_ptr<Model> load_generator(const std::string& path, const std::string& model_name = "");

}  // namespace ganvas
