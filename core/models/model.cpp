#include "models/model.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/cdcgan28.h"
#include "models/classifier28.h"
#include "models/dcgan28.h"
#include "models/prior49.h"
#include "models/toy2d.h"
#include "models/vqgan28.h"
#include "models/wgan28.h"
#include "ops/elementwise.h"
#include "tensor/rng.h"

namespace ganvas {

void Model::to(Device device) {
    for (auto& [prefix, net] : networks()) net->to(device);
}

Device Model::device() {
    for (auto& [prefix, net] : networks())
        for (const Tensor& p : net->parameters()) return p.device();
    return Device::cpu;
}

Batch reference_batch(const Model& model, Rng& rng) {
    Tensor real = add_scalar(mul_scalar(rng.rand({64, 1, 28, 28}), 2.0f), -1.0f);
    std::vector<int64_t> labels(64);
    for (int64_t& l : labels) l = rng.randint(10);
    std::vector<float> codes(64 * 7 * 7);
    for (float& c : codes) c = static_cast<float>(rng.randint(256));
    if (model.code_prior()) return {Tensor::from_vector({64, 1, 7, 7}, codes), Tensor()};
    return {real, Tensor::from_vector_i64({64}, labels)};
}

NamedTensors Model::state_dict() {
    NamedTensors out;
    for (auto& [prefix, net] : networks())
        for (auto& entry : net->state_dict(prefix + ".")) out.push_back(entry);
    return out;
}

void Model::load_state_dict(const std::map<std::string, Tensor>& state, const std::string& source) {
    // Validate every network before copying anything, so a bad file changes nothing.
    for (auto& [prefix, net] : networks()) net->check_state_dict(state, prefix + ".", source);
    for (auto& [prefix, net] : networks()) net->load_state_dict(state, prefix + ".", source);
}

Setting number_setting(std::string name, double default_value, double min, double max,
                       std::string help) {
    Setting s;
    s.name = std::move(name);
    s.help = std::move(help);
    s.default_value = default_value;
    s.min = min;
    s.max = max;
    return s;
}

Setting count_setting(std::string name, int64_t default_value, int64_t min, int64_t max,
                      std::string help) {
    Setting s = number_setting(std::move(name), static_cast<double>(default_value),
                               static_cast<double>(min), static_cast<double>(max), std::move(help));
    s.integer = true;
    return s;
}

Setting switch_setting(std::string name, bool default_value, std::string help) {
    Setting s = count_setting(std::move(name), default_value ? 1 : 0, 0, 1, std::move(help));
    s.boolean = true;
    return s;
}

namespace {

Setting find_setting(std::vector<Setting> settings, const std::string& model,
                     const std::string& name) {
    for (Setting& s : settings)
        if (s.name == name) return std::move(s);
    std::string known;
    for (const Setting& s : settings) known += (known.empty() ? "" : ", ") + s.name;
    throw std::invalid_argument(model + " has no setting '" + name + "'" +
                                (known.empty() ? " (it has none)" : " (known: " + known + ")"));
}

void check_value(const Setting& s, double value) {
    if (s.boolean && value != 0 && value != 1)
        throw std::invalid_argument(s.name + " is on or off: give 1 or 0, not " +
                                    number_str(value));
    if (!std::isfinite(value) || value < s.min || value > s.max)
        throw std::invalid_argument(s.name + " must be between " + number_str(s.min) + " and " +
                                    number_str(s.max) + ", not " + number_str(value));
    if (s.integer && value != std::floor(value))
        throw std::invalid_argument(s.name + " must be a whole number, not " + number_str(value));
}

}  // namespace

// Reading through the declarations' getters changes nothing; settings() is not const
// only because the same declarations also carry the setters.
std::vector<HyperParam> Model::hyper_params() const {
    std::vector<HyperParam> out;
    for (const Setting& s : const_cast<Model*>(this)->settings())
        out.push_back({s.name, s.help, s.get(), s.min, s.max, s.log_scale, s.integer, s.boolean,
                       s.default_value});
    return out;
}

void Model::set_hyper_param(const std::string& name, double value) {
    Setting s = find_setting(settings(), this->name(), name);
    check_value(s, value);
    s.set(value);
}

double Model::hyper_param(const std::string& name) const {
    return find_setting(const_cast<Model*>(this)->settings(), this->name(), name).get();
}

void Model::restore_default_settings() {
    for (const Setting& s : settings()) s.set(s.default_value);
}

std::vector<std::string> model_names() {
    return {"dcgan28", "cdcgan28", "wgan_gp28",    "wgan_clip28",
            "vqgan28", "prior49",  "classifier28", "toy2d"};
}
std::vector<std::string> window_model_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const std::string& name : model_names()) {
            Rng rng(0);
            if (make_model(name, rng)->trains_in_window()) out.push_back(name);
        }
        return out;
    }();
    return names;
}

std::vector<std::string> benchmark_model_names() {
    return {"dcgan28", "wgan_gp28", "vqgan28", "prior49"};
}

std::unique_ptr<Model> make_model(const std::string& name, Rng& rng) {
    if (name == "dcgan28") return std::make_unique<Dcgan28>(rng);
    if (is_cdcgan28_spec(name))
        return std::make_unique<Cdcgan28>(rng, parse_cdcgan28_classes(name));
    if (name == "wgan_gp28")
        return std::make_unique<Wgan28>(rng, LipschitzConstraint::GradientPenalty);
    if (name == "wgan_clip28")
        return std::make_unique<Wgan28>(rng, LipschitzConstraint::WeightClipping);
    if (name == "classifier28") return std::make_unique<Classifier28>(rng);
    if (is_toy2d_spec(name)) return std::make_unique<Toy2d>(parse_toy2d_spec(name), rng);
    if (name == "vqgan28" || name.rfind("vqgan28:", 0) == 0)
        return std::make_unique<Vqgan28>(rng, parse_vqgan28_options(name));
    if (name == "prior49") return std::make_unique<Prior49>(rng);
    const std::vector<std::string> names = model_names();
    const std::string head = name.substr(0, name.find(':'));
    if (head != name && std::find(names.begin(), names.end(), head) != names.end())
        throw std::invalid_argument("'" + name + "': " + head +
                                    " takes no options after a colon (cdcgan28, vqgan28 and "
                                    "toy2d do)");
    std::string known;
    for (auto& n : names) known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown model '" + name + "' (known: " + known + ")");
}

std::string model_spec_for_data(const std::string& spec, const ImageDataset& data) {
    if (spec == "cdcgan28" && data.labels.defined())
        return spec + ":classes=" + std::to_string(std::max<size_t>(1, data.class_names.size()));
    return toy2d_spec_for_data(spec, data.images.size(1));
}

std::string model_spec_for_weights(const std::string& spec,
                                   const std::map<std::string, Tensor>& tensors) {
    const auto embed = tensors.find("G.embed.weight");
    if (spec == "cdcgan28" && embed != tensors.end() && embed->second.dim() == 2)
        return spec + ":classes=" + std::to_string(embed->second.size(0));
    return spec;
}

}  // namespace ganvas
