// Optimizers with PyTorch's exact update formulas (torch.optim, 1.13).
//
// Hyperparameters are public fields so the UI can change them between steps.
// State (step count and moment buffers) is saved and restored as named
// tensors, so a resumed run continues bit for bit. Steps run as update kernels
// on the parameters' device; the moment buffers live beside their parameters
// (and follow them there after Module::to), the step count on the host.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "nn/module.h"

namespace ganvas {

class Optimizer {
public:
    explicit Optimizer(std::vector<Tensor> params) : params_(std::move(params)) {}
    virtual ~Optimizer() = default;

    virtual void step() = 0;  // uses each parameter's .grad; skips those without one
    void zero_grad();         // set_to_none, as the reference does
    const std::vector<Tensor>& params() const { return params_; }

    // "prefix.step", "prefix.<i>.<buffer>" for parameter i.
    virtual NamedTensors state(const std::string& prefix) const = 0;
    // Throws std::runtime_error naming `source` when a tensor is missing or misshapen.
    virtual void load_state(const std::map<std::string, Tensor>& state, const std::string& prefix,
                            const std::string& source) = 0;

    double lr = 1e-3;  // doubles, as Python floats: the update constants round as torch's do

protected:
    std::vector<Tensor> params_;
};

// Several optimizers' state, each under its checkpoint prefix ("optim.G", "optim.D"),
// in the order given: what a model with more than one optimizer saves and loads.
NamedTensors optimizers_state(
    const std::vector<std::pair<std::string, const Optimizer*>>& optimizers);
void load_optimizers_state(const std::vector<std::pair<std::string, Optimizer*>>& optimizers,
                           const std::map<std::string, Tensor>& state, const std::string& source);

class SGD : public Optimizer {
public:
    SGD(std::vector<Tensor> params, double lr, double momentum = 0.0, double weight_decay = 0.0,
        bool nesterov = false);
    void step() override;
    NamedTensors state(const std::string& prefix) const override;
    void load_state(const std::map<std::string, Tensor>& state, const std::string& prefix,
                    const std::string& source) override;
    double momentum, weight_decay;
    bool nesterov;

private:
    std::vector<Tensor> momentum_buffer_;  // undefined until the first step
};

// Adam, and AdamW when decoupled_weight_decay is set.
class Adam : public Optimizer {
public:
    Adam(std::vector<Tensor> params, double lr, double beta1 = 0.9, double beta2 = 0.999,
         double eps = 1e-8, double weight_decay = 0.0, bool decoupled_weight_decay = false);
    void step() override;
    NamedTensors state(const std::string& prefix) const override;
    void load_state(const std::map<std::string, Tensor>& state, const std::string& prefix,
                    const std::string& source) override;
    double beta1, beta2, eps, weight_decay;
    bool decoupled;
    int64_t steps() const { return step_; }

private:
    int64_t step_ = 0;
    std::vector<Tensor> exp_avg_, exp_avg_sq_;
};

std::unique_ptr<Adam> make_adamw(std::vector<Tensor> params, double lr, double beta1, double beta2,
                                 double weight_decay, double eps = 1e-8);

class RMSprop : public Optimizer {
public:
    RMSprop(std::vector<Tensor> params, double lr, double alpha = 0.99f, double eps = 1e-8);
    void step() override;
    NamedTensors state(const std::string& prefix) const override;
    void load_state(const std::map<std::string, Tensor>& state, const std::string& prefix,
                    const std::string& source) override;
    double alpha, eps;

private:
    int64_t step_ = 0;
    std::vector<Tensor> square_avg_;
};

// WGAN's Lipschitz constraint by weight clipping: every value into [-c, c].
void clip_weights_(const std::vector<Tensor>& params, float c);

}  // namespace ganvas
