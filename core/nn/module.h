// Module: named parameters, buffers and children, as torch.nn.Module.
//
// Names follow PyTorch's state_dict keys ("fc.weight", "bn0.running_mean"),
// in registration order, so checkpoints move both ways between Ganvas and
// PyTorch. Parameters are leaf tensors; loading copies data into them, so
// optimizers holding the same handles stay valid.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tensor/tensor.h"

namespace ganvas {

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

class Module {
public:
    virtual ~Module() = default;
    Module() = default;
    Module(const Module&) = delete;
    Module& operator=(const Module&) = delete;

    NamedTensors named_parameters(const std::string& prefix = "") const;
    NamedTensors named_buffers(const std::string& prefix = "") const;
    // Parameters and buffers of each module, then its children: torch's order.
    NamedTensors state_dict(const std::string& prefix = "") const;
    std::vector<Tensor> parameters() const;
    int64_t parameter_count() const;

    // Copies every entry `prefix + name` of `state` into this module. A missing
    // key or a wrong shape throws std::runtime_error naming `source` and the key.
    void load_state_dict(const std::map<std::string, Tensor>& state, const std::string& prefix,
                         const std::string& source);
    // The checks of load_state_dict alone, so a caller loading several modules
    // can validate all of them before changing any.
    void check_state_dict(const std::map<std::string, Tensor>& state, const std::string& prefix,
                          const std::string& source) const;

    // Moves every parameter and buffer (with their gradients) to `device` in place:
    // the handles stay the same, so layers, optimizers and views of the state keep
    // working, and an optimizer's state follows its parameters on its next step.
    void to(Device device);

    void train(bool on = true);
    void eval() { train(false); }
    bool training() const { return training_; }

    // Children with their names, for layer tables in the UI.
    const std::vector<std::pair<std::string, Module*>>& children() const { return children_; }
    virtual std::string type_name() const { return "Module"; }

protected:
    Tensor& register_parameter(const std::string& name, Tensor t);
    Tensor& register_buffer(const std::string& name, Tensor t);
    void register_module(const std::string& name, Module& m);

private:
    void collect(const std::string& prefix, bool params, bool buffers, NamedTensors& out) const;

    // Stable addresses: registered tensors are owned here and referenced by the layers.
    std::vector<std::pair<std::string, std::unique_ptr<Tensor>>> params_;
    std::vector<std::pair<std::string, std::unique_ptr<Tensor>>> buffers_;
    std::vector<std::pair<std::string, Module*>> children_;
    bool training_ = true;
};

}  // namespace ganvas
