#include "nn/module.h"

#include <stdexcept>

namespace ganvas {

Tensor& Module::register_parameter(const std::string& name, Tensor t) {
    t.requires_grad_(true);
    params_.emplace_back(name, std::make_unique<Tensor>(std::move(t)));
    return *params_.back().second;
}

Tensor& Module::register_buffer(const std::string& name, Tensor t) {
    buffers_.emplace_back(name, std::make_unique<Tensor>(std::move(t)));
    return *buffers_.back().second;
}

void Module::register_module(const std::string& name, Module& m) {
    children_.emplace_back(name, &m);
}

void Module::collect(const std::string& prefix, bool params, bool buffers,
                     NamedTensors& out) const {
    if (params)
        for (const auto& [name, t] : params_) out.emplace_back(prefix + name, *t);
    if (buffers)
        for (const auto& [name, t] : buffers_) out.emplace_back(prefix + name, *t);
    for (const auto& [name, child] : children_)
        child->collect(prefix + name + ".", params, buffers, out);
}

NamedTensors Module::named_parameters(const std::string& prefix) const {
    NamedTensors out;
    collect(prefix, true, false, out);
    return out;
}

NamedTensors Module::named_buffers(const std::string& prefix) const {
    NamedTensors out;
    collect(prefix, false, true, out);
    return out;
}

NamedTensors Module::state_dict(const std::string& prefix) const {
    NamedTensors out;
    collect(prefix, true, true, out);
    return out;
}

std::vector<Tensor> Module::parameters() const {
    std::vector<Tensor> out;
    for (auto& [name, t] : named_parameters()) out.push_back(t);
    return out;
}

int64_t Module::parameter_count() const {
    int64_t n = 0;
    for (auto& [name, t] : named_parameters()) n += t.numel();
    return n;
}

void Module::check_state_dict(const std::map<std::string, Tensor>& state, const std::string& prefix,
                              const std::string& source) const {
    for (const auto& [name, t] : state_dict(prefix)) {
        auto it = state.find(name);
        if (it == state.end()) throw std::runtime_error(source + ": missing tensor " + name);
        if (it->second.shape() != t.shape() || it->second.dtype() != t.dtype())
            throw std::runtime_error(source + ": tensor " + name + " is " +
                                     shape_str(it->second.shape()) + " " +
                                     dtype_name(it->second.dtype()) + ", expected " +
                                     shape_str(t.shape()) + " " + dtype_name(t.dtype()));
    }
}

void Module::load_state_dict(const std::map<std::string, Tensor>& state, const std::string& prefix,
                             const std::string& source) {
    check_state_dict(state, prefix, source);  // first, so a bad file changes nothing
    for (auto& [name, t] : state_dict(prefix)) {
        Tensor dst = t;
        dst.copy_(state.at(name));
    }
}

void Module::to(Device device) {
    for (auto& [name, t] : params_) t->to_(device);
    for (auto& [name, t] : buffers_) t->to_(device);
    for (auto& [name, child] : children_) child->to(device);
}

void Module::train(bool on) {
    training_ = on;
    for (auto& [name, child] : children_) child->train(on);
}

}  // namespace ganvas
