#include "train/session.h"

#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "io/safetensors.h"
#include "models/vq_codes.h"
#include "ops/shape_ops.h"

namespace ganvas {
namespace {

constexpr uint64_t kDataStream = 0x9e3779b97f4a7c15ULL;  // a second, independent seed
const std::string kSettingPrefix = "setting.";

const std::string& required_metadata(const StringMap& metadata, const std::string& key,
                                     const std::string& path) {
    auto it = metadata.find(key);
    if (it == metadata.end())
        throw std::runtime_error(path + ": not a Ganvas training checkpoint (no '" + key +
                                 "' metadata)");
    return it->second;
}

// The settings a checkpoint was saved with. One the model no longer has is skipped
// (an older or newer Ganvas); a value out of its range is an error naming the file.
void apply_saved_settings(const StringMap& metadata, Model& model, const std::string& path) {
    for (const auto& [key, text] : metadata) {
        if (key.rfind(kSettingPrefix, 0) != 0) continue;
        const std::string name = key.substr(kSettingPrefix.size());
        bool known = false;
        for (const HyperParam& h : model.hyper_params()) known |= h.name == name;
        if (!known) continue;
        try {
            model.set_hyper_param(name, std::stod(text));
        } catch (const std::exception& e) {
            throw std::runtime_error(path + ": saved setting " + name + " = '" + text +
                                     "': " + e.what());
        }
    }
}

// Two file names of one file, as far as their text tells ("./a.idx" is "a.idx").
bool same_file(const std::string& a, const std::string& b) {
    return std::filesystem::path(a).lexically_normal() ==
           std::filesystem::path(b).lexically_normal();
}

void check_batch(int64_t batch, const ImageDataset& data, const std::string& name) {
    if (batch < 1 || batch > data.images.size(0))
        throw std::invalid_argument("batch size " + std::to_string(batch) +
                                    " must be between 1 and the " +
                                    std::to_string(data.images.size(0)) + " images of " + name);
}

// With a VQGAN: the data and, for Fashion-MNIST, its test split as code grids.
void code_with_vq(const SessionConfig& config, ImageDataset& data, ImageDataset& heldout) {
    if (config.model != "prior49")
        throw std::invalid_argument("--vq codes the data for prior49, not for " + config.model);
    auto vq = load_vq_for_prior(config.vq);
    auto report = [&](const std::string& what) {
        return [&config, what](int64_t done, int64_t total) {
            if (config.progress) config.progress(what, done, total);
        };
    };
    data = encode_dataset(*vq, data, config.vq, report("coding " + data.name));
    const DataSpec spec = parse_data_spec(config.data);
    if (spec.kind == DataSpec::Kind::fashion_mnist && spec.split == "train") {
        ImageDataset test = load_fashion_mnist("test");
        heldout = encode_dataset(*vq, test, config.vq, report("coding " + test.name));
    }
}

// A model reads examples of one shape: say so up front, naming the data, rather than
// failing inside a layer at the first step.
void check_data_fits(Model& model, const Batch& example, const std::string& data_name) {
    try {
        model.trace_forward(example);
    } catch (const std::exception& e) {
        throw std::invalid_argument("data " + data_name + " holds examples " +
                                    shape_str(example.images.shape()) + " that " + model.name() +
                                    " cannot read (" + e.what() + ")");
    }
}

}  // namespace

Session::Session(const SessionConfig& config)
    : config_(config),
      data_(load_dataset(config.data)),
      rng_(config.seed),
      data_rng_(config.seed ^ kDataStream) {
    if (!config.vq.empty())
        code_with_vq(config, data_, heldout_);
    else
        heldout_ = load_heldout_codes(config.data);
    check_batch(config.batch, data_, config.data);
    // A toy model takes its dimension (1-D or 2-D) from the data, cdcgan28 its classes.
    model_ = make_model(model_spec_for_data(config.model, data_), rng_);
    model_->check_training_data(data_, heldout_);
    check_data_fits(*model_, example_batch(), config.data);
    model_->to(config.device);
    if (GanModel* g = gan()) {
        fixed_noise_ = rng_.randn({64, g->z_dim()});
        fixed_noise_on_device_ = fixed_noise_.to(config.device);
    }
    batcher_ = std::make_unique<Batcher>(data_, config.batch, data_rng_);
}

StepStats Session::step() {
    Batch batch = on_device(batcher_->next());
    StepStats stats = model_->step(batch, rng_);
    ++steps_;
    return stats;
}

void Session::set_batch(int64_t batch) {
    check_batch(batch, data_, config_.data);
    batcher_ = std::make_unique<Batcher>(data_, batch, data_rng_);
    config_.batch = batch;
}

Batch Session::on_device(const Batch& batch) const {
    return batch.to(config_.device);
}

Batch Session::example_batch() const {
    Batch b;
    b.images = narrow(data_.images, 0, 0, 1);
    if (data_.labels.defined()) b.labels = narrow(data_.labels, 0, 0, 1);
    return b;
}

Tensor Session::fixed_samples() {
    if (!gan()) throw std::logic_error(config_.model + " does not generate images");
    return gan()->sample_grid(fixed_noise_on_device_).to(Device::cpu);
}

void Session::save_checkpoint(const std::string& path) const {
    NamedTensors tensors = model_->state_dict();
    for (auto& e : model_->optimizer_state()) tensors.push_back(e);
    tensors.emplace_back("session.rng", rng_.state_tensor());
    tensors.emplace_back("session.data_rng", data_rng_.state_tensor());
    if (fixed_noise_.defined()) tensors.emplace_back("session.fixed_noise", fixed_noise_);
    for (auto& e : batcher_->state()) tensors.emplace_back("session." + e.first, e.second);
    StringMap meta = {{"model", config_.model},
                      {"data", config_.data},
                      {"batch", std::to_string(config_.batch)},
                      {"seed", std::to_string(config_.seed)},
                      {"vq", config_.vq},
                      {"step", std::to_string(steps_)},
                      {"writer", "ganvas"}};
    // The model's settings (--set, the window's sliders), so a resumed run goes on with them.
    for (const HyperParam& h : model_->hyper_params()) {
        char value[32];
        std::snprintf(value, sizeof value, "%.17g", h.value);
        meta[kSettingPrefix + h.name] = value;
    }
    save_safetensors(path, tensors, meta);
}

void Session::load_checkpoint(const std::string& path) {
    SafetensorsFile file = read_safetensors(path);
    std::map<std::string, Tensor> state(file.tensors.begin(), file.tensors.end());
    auto meta = [&](const std::string& key) { return required_metadata(file.metadata, key, path); };
    if (meta("model") != config_.model)
        throw std::runtime_error(path + ": checkpoint is for model " + meta("model") + ", not " +
                                 config_.model);
    if (!same_data_spec(meta("data"), config_.data))
        throw std::runtime_error(path + ": checkpoint was trained on data " + meta("data") +
                                 ", not " + config_.data);
    if (const auto vq = file.metadata.find("vq");
        vq != file.metadata.end() && !same_file(vq->second, config_.vq))
        throw std::runtime_error(path + ": checkpoint's codes come from --vq '" + vq->second +
                                 "', not '" + config_.vq + "'");
    if (meta("batch") != std::to_string(config_.batch))
        throw std::runtime_error(path + ": checkpoint was trained with batch " + meta("batch") +
                                 ", not " + std::to_string(config_.batch));
    int64_t step = 0;
    try {
        step = std::stoll(meta("step"));
    } catch (const std::logic_error&) {
        throw std::runtime_error(path + ": bad step count '" + meta("step") + "'");
    }
    auto take = [&](const std::string& key) {
        auto it = state.find(key);
        if (it == state.end()) throw std::runtime_error(path + ": missing tensor " + key);
        return it->second;
    };
    // Load into fresh objects first; swap in only when everything has loaded.
    Rng rng, data_rng;
    rng.load_state_tensor(take("session.rng"));
    data_rng.load_state_tensor(take("session.data_rng"));
    Tensor noise;
    if (fixed_noise_.defined()) {
        noise = take("session.fixed_noise");
        if (noise.shape() != fixed_noise_.shape())
            throw std::runtime_error(path + ": session.fixed_noise is " + shape_str(noise.shape()));
    }
    NamedTensors batcher_state;
    for (auto& [name, t] : state)
        if (name.rfind("session.batcher.", 0) == 0) batcher_state.emplace_back(name.substr(8), t);
    Rng scratch_model_rng(0);
    auto model = make_model(model_spec_for_data(config_.model, data_), scratch_model_rng);
    apply_saved_settings(file.metadata, *model, path);  // before the state: ema keeps its averages
    model->load_state_dict(state, path);
    model->load_optimizer_state(state, path);
    model->to(config_.device);  // a run resumes on either device
    auto batcher = std::make_unique<Batcher>(data_, config_.batch, data_rng_);
    try {
        batcher->load_state(batcher_state);
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(path + ": " + e.what());
    }

    model_ = std::move(model);
    batcher_ = std::move(batcher);
    rng_ = rng;
    data_rng_ = data_rng;
    if (noise.defined()) {
        fixed_noise_ = noise;
        fixed_noise_on_device_ = noise.to(config_.device);
    }
    steps_ = step;
}

bool same_data_spec(const std::string& a, const std::string& b) {
    DataSpec x, y;
    try {
        x = parse_data_spec(a);
        y = parse_data_spec(b);
    } catch (const std::runtime_error&) {
        return a == b;
    }
    return x.kind == y.kind && x.split == y.split && x.toy == y.toy && x.image_key == y.image_key &&
           same_file(x.columns, y.columns) && x.label_key == y.label_key &&
           same_file(x.images, y.images) && same_file(x.labels, y.labels) &&
           same_file(x.codes, y.codes) && same_file(x.heldout, y.heldout) &&
           same_file(x.path, y.path);
}

SessionConfig checkpoint_session_config(const std::string& path) {
    const StringMap meta = read_safetensors(path).metadata;
    auto get = [&](const std::string& key) { return required_metadata(meta, key, path); };
    SessionConfig config;
    config.model = get("model");
    config.data = get("data");
    try {
        config.batch = std::stoll(get("batch"));
        config.seed = std::stoull(get("seed"));
    } catch (const std::logic_error&) {
        throw std::runtime_error(path + ": bad batch or seed in its metadata");
    }
    if (auto it = meta.find("vq"); it != meta.end()) config.vq = it->second;
    return config;
}

namespace {

// Every image GAN here (dcgan28, wgan_gp28, wgan_clip28) samples with the same
// Generator28 under the PyTorch reference's prefix "G."; the discriminator or
// critic is for training only.
const std::string kGenerator = "G";

bool starts_with(const std::string& s, const std::string& prefix) {
    return s.rfind(prefix, 0) == 0;
}

// The checkpoint's tensors by name. The reference prefixes each network's keys
// ("G.fc.weight"); a generator saved on its own, `G.state_dict()`, has bare keys
// ("fc.weight", "up1.weight"): those are read as the generator's.
std::map<std::string, Tensor> tensors_by_name(const SafetensorsFile& file, bool* bare = nullptr) {
    std::map<std::string, Tensor> state(file.tensors.begin(), file.tensors.end());
    bool prefixed = false;
    for (auto& [name, t] : state) prefixed |= starts_with(name, kGenerator + ".");
    const bool bare_generator = !prefixed && state.count("fc.weight") &&
                                state.count("up1.weight");  // up1: only a generator has it
    if (bare) *bare = bare_generator;
    if (!bare_generator) return state;
    std::map<std::string, Tensor> named;
    for (auto& [name, t] : state) named.emplace(kGenerator + "." + name, t);
    return named;
}

// The model a checkpoint holds: its "model" metadata, or, for files from the
// PyTorch reference (which write none), a guess from the tensor names.
std::string model_name_of(const SafetensorsFile& file, const std::map<std::string, Tensor>& tensors,
                          const std::string& path) {
    if (auto it = file.metadata.find("model"); it != file.metadata.end()) return it->second;
    if (tensors.count("P.tok.weight")) return "prior49";
    if (tensors.count(kGenerator + ".embed.weight")) return "cdcgan28";  // a class embedding
    if (tensors.count(kGenerator + ".fc.weight")) {
        if (tensors.count("D.c2.bias")) return "wgan_gp28";  // a critic: no batch norm
        // dcgan28's discriminator (D.bn2.weight), or a generator saved alone: the
        // generator is the same in all three, so it samples the same either way.
        return "dcgan28";
    }
    throw std::runtime_error(path +
                             ": cannot tell which model this checkpoint holds: no 'model' "
                             "metadata, and none of its " +
                             std::to_string(tensors.size()) +
                             " tensors is G.fc.weight (a generator) or P.tok.weight (a code "
                             "prior); give --model M");
}

}  // namespace

std::string checkpoint_model_name(const std::string& path, const std::string& model_name) {
    if (!model_name.empty()) return model_name;
    const SafetensorsFile file = read_safetensors(path);
    return model_name_of(file, tensors_by_name(file), path);
}

std::unique_ptr<Model> load_generator(const std::string& path, const std::string& model_name) {
    const SafetensorsFile file = read_safetensors(path);  // read once: names and weights
    bool bare = false;
    const std::map<std::string, Tensor> tensors = tensors_by_name(file, &bare);
    const std::string name = model_name.empty() ? model_name_of(file, tensors, path) : model_name;
    Rng rng(0);
    std::unique_ptr<Model> model;
    try {
        model = make_model(model_spec_for_weights(name, tensors), rng);
    } catch (const std::invalid_argument& e) {
        if (!model_name.empty()) throw;
        throw std::runtime_error(path + ": " + e.what());  // the file's metadata named it
    }
    if (!model->as_gan())
        throw std::runtime_error(path + ": holds a " + name + ", which does not generate images");
    // Sampling runs the generator alone, so only its tensors are required: a file of
    // the generator's weights samples, and a missing one is named as it is.
    for (auto& [prefix, net] : model->networks()) {
        if (prefix != kGenerator) continue;
        try {
            net->load_state_dict(tensors, prefix + ".", path);
        } catch (const std::runtime_error& e) {
            if (!bare) throw;
            throw std::runtime_error(std::string(e.what()) + " (the file's names have no '" +
                                     prefix + ".' prefix: read as the generator's)");
        }
        return model;
    }
    model->load_state_dict(tensors, path);  // a generator under another name: every network
    return model;
}

}  // namespace ganvas
