#include "models/model.h"

#include <cmath>
#include <stdexcept>

#include "models/classifier28.h"
#include "models/dcgan28.h"
#include "models/prior49.h"
#include "models/toy2d.h"
#include "models/vqgan28.h"
#include "models/wgan28.h"

namespace ganvas {

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

void Model::set_hyper_param(const std::string& name, double value) {
    for (const HyperParam& h : hyper_params()) {
        if (h.name != name) continue;
        if (!std::isfinite(value) || value < h.min || value > h.max)
            throw std::invalid_argument(name + " must be between " + number_str(h.min) + " and " +
                                        number_str(h.max) + ", not " + number_str(value));
        if (h.integer && value != std::floor(value))
            throw std::invalid_argument(name + " must be a whole number");
        apply_hyper_param(name, value);
        return;
    }
    throw std::invalid_argument(this->name() + " has no setting '" + name + "'");
}

std::vector<std::string> model_names() {
    return {"dcgan28", "wgan_gp28", "wgan_clip28", "vqgan28", "prior49", "classifier28", "toy2d"};
}
std::vector<std::string> benchmark_model_names() {
    return {"dcgan28", "wgan_gp28", "vqgan28", "prior49"};
}

std::unique_ptr<Model> make_model(const std::string& name, Rng& rng) {
    if (name == "dcgan28") return std::make_unique<Dcgan28>(rng);
    if (name == "wgan_gp28")
        return std::make_unique<Wgan28>(rng, LipschitzConstraint::GradientPenalty);
    if (name == "wgan_clip28")
        return std::make_unique<Wgan28>(rng, LipschitzConstraint::WeightClipping);
    if (name == "classifier28") return std::make_unique<Classifier28>(rng);
    if (is_toy2d_spec(name)) return std::make_unique<Toy2d>(parse_toy2d_spec(name), rng);
    if (name == "vqgan28" || name.rfind("vqgan28:", 0) == 0)
        return std::make_unique<Vqgan28>(rng, parse_vqgan28_options(name));
    if (name == "prior49") return std::make_unique<Prior49>(rng);
    std::string known;
    for (auto& n : model_names()) known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown model '" + name + "' (known: " + known + ")");
}

}  // namespace ganvas
