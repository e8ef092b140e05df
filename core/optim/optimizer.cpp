#include "optim/optimizer.h"

#include <cmath>
#include <stdexcept>

#include "backend/op_profile.h"
#include "backend/update_kernels.h"
#include "ops/dispatch.h"

namespace ganvas {
namespace {

const Tensor& find_state(const std::map<std::string, Tensor>& state, const std::string& key,
                         const Shape& shape, DType dtype, const std::string& source) {
    auto it = state.find(key);
    if (it == state.end()) throw std::runtime_error(source + ": missing optimizer tensor " + key);
    if (it->second.shape() != shape || it->second.dtype() != dtype)
        throw std::runtime_error(source + ": optimizer tensor " + key + " is " +
                                 shape_str(it->second.shape()) + ", expected " + shape_str(shape));
    return it->second;
}

Tensor step_tensor(int64_t step) {
    return Tensor::from_vector_i64({}, {step});
}

// Buffers that exist only after the first step are saved as zeros before it.
Tensor saved(const Tensor& buffer, const Tensor& param) {
    return buffer.defined() ? buffer : zeros_on(param, param.shape());
}

// A copy of a loaded state tensor on the device of the parameter it belongs to.
Tensor copy_on(const Tensor& loaded, const Tensor& param) {
    Tensor out = empty_on(param, loaded.shape());
    out.copy_(loaded);
    return out;
}

// State follows its parameter to the device it moved to after the optimizer was built
// (Module::to after the constructor), so the step runs where the weights are.
void follow(Tensor& state, const Tensor& param) {
    if (state.device() != param.device()) state.to_(param.device());
}

}  // namespace

void Optimizer::zero_grad() {
    for (auto& p : params_) p.zero_grad();
}

// -- SGD ----------------------------------------------------------------------

SGD::SGD(std::vector<Tensor> params, double lr_, double momentum_, double weight_decay_,
         bool nesterov_)
    : Optimizer(std::move(params)),
      momentum(momentum_),
      weight_decay(weight_decay_),
      nesterov(nesterov_) {
    lr = lr_;
    momentum_buffer_.resize(params_.size());
}

void SGD::step() {
    PhaseScope phase(Phase::optimizer);
    SgdStep s;
    s.lr = static_cast<float>(lr);
    s.momentum = static_cast<float>(momentum);
    s.weight_decay = static_cast<float>(weight_decay);
    s.nesterov = nesterov;
    for (size_t i = 0; i < params_.size(); ++i) {
        Tensor p = params_[i];
        Tensor grad = p.grad();
        if (!grad.defined()) continue;
        Backend& be = dispatch("sgd_step", {p, grad});
        Storage* buffer = nullptr;
        s.first_momentum_step = false;
        if (momentum != 0.0) {
            if (!momentum_buffer_[i].defined()) {
                momentum_buffer_[i] = empty_on(p, p.shape());
                s.first_momentum_step = true;
            }
            follow(momentum_buffer_[i], p);
            buffer = &momentum_buffer_[i].storage();
        }
        be.update().sgd_step(s, p.numel(), p.storage(), grad.storage(), buffer);
    }
}

NamedTensors SGD::state(const std::string& prefix) const {
    NamedTensors out;
    if (momentum == 0.0) return out;
    for (size_t i = 0; i < params_.size(); ++i)
        out.emplace_back(prefix + "." + std::to_string(i) + ".momentum_buffer",
                         saved(momentum_buffer_[i], params_[i]));
    return out;
}

void SGD::load_state(const std::map<std::string, Tensor>& state, const std::string& prefix,
                     const std::string& source) {
    if (momentum == 0.0) return;
    for (size_t i = 0; i < params_.size(); ++i)
        momentum_buffer_[i] =
            copy_on(find_state(state, prefix + "." + std::to_string(i) + ".momentum_buffer",
                               params_[i].shape(), DType::f32, source),
                    params_[i]);
}

NamedTensors optimizers_state(
    const std::vector<std::pair<std::string, const Optimizer*>>& optimizers) {
    NamedTensors out;
    for (const auto& [prefix, opt] : optimizers)
        for (auto& entry : opt->state(prefix)) out.push_back(std::move(entry));
    return out;
}

void load_optimizers_state(const std::vector<std::pair<std::string, Optimizer*>>& optimizers,
                           const std::map<std::string, Tensor>& state, const std::string& source) {
    for (const auto& [prefix, opt] : optimizers) opt->load_state(state, prefix, source);
}

// -- Adam / AdamW --------------------------------------------------------------

Adam::Adam(std::vector<Tensor> params, double lr_, double b1, double b2, double eps_, double wd,
           bool decoupled_)
    : Optimizer(std::move(params)),
      beta1(b1),
      beta2(b2),
      eps(eps_),
      weight_decay(wd),
      decoupled(decoupled_) {
    lr = lr_;
    for (auto& p : params_) {
        exp_avg_.push_back(zeros_on(p, p.shape()));
        exp_avg_sq_.push_back(zeros_on(p, p.shape()));
    }
}

void Adam::step() {
    PhaseScope phase(Phase::optimizer);
    ++step_;
    // torch computes the bias corrections in double from the step count.
    const double bc1 = 1.0 - std::pow(static_cast<double>(beta1), static_cast<double>(step_));
    const double bc2 = 1.0 - std::pow(static_cast<double>(beta2), static_cast<double>(step_));
    AdamStep s;
    s.step_size = static_cast<float>(lr / bc1);
    s.bc2_sqrt = static_cast<float>(std::sqrt(bc2));
    s.beta1 = static_cast<float>(beta1);
    s.beta2 = static_cast<float>(beta2);
    s.one_minus_beta1 = static_cast<float>(1.0 - beta1);
    s.one_minus_beta2 = static_cast<float>(1.0 - beta2);
    s.weight_decay = static_cast<float>(weight_decay);
    s.eps = static_cast<float>(eps);
    s.decoupled = decoupled;
    s.decay = static_cast<float>(1.0 - lr * weight_decay);
    for (size_t i = 0; i < params_.size(); ++i) {
        Tensor p = params_[i];
        Tensor grad = p.grad();
        if (!grad.defined()) continue;
        Backend& be = dispatch("adam_step", {p, grad});
        follow(exp_avg_[i], p);
        follow(exp_avg_sq_[i], p);
        be.update().adam_step(s, p.numel(), p.storage(), grad.storage(), exp_avg_[i].storage(),
                              exp_avg_sq_[i].storage());
    }
}

NamedTensors Adam::state(const std::string& prefix) const {
    NamedTensors out;
    out.emplace_back(prefix + ".step", step_tensor(step_));
    for (size_t i = 0; i < params_.size(); ++i) {
        out.emplace_back(prefix + "." + std::to_string(i) + ".exp_avg", exp_avg_[i]);
        out.emplace_back(prefix + "." + std::to_string(i) + ".exp_avg_sq", exp_avg_sq_[i]);
    }
    return out;
}

void Adam::load_state(const std::map<std::string, Tensor>& state, const std::string& prefix,
                      const std::string& source) {
    int64_t step = find_state(state, prefix + ".step", {}, DType::i64, source).to_vector_i64()[0];
    std::vector<Tensor> m, v;
    for (size_t i = 0; i < params_.size(); ++i) {
        const std::string key = prefix + "." + std::to_string(i);
        m.push_back(
            copy_on(find_state(state, key + ".exp_avg", params_[i].shape(), DType::f32, source),
                    params_[i]));
        v.push_back(
            copy_on(find_state(state, key + ".exp_avg_sq", params_[i].shape(), DType::f32, source),
                    params_[i]));
    }
    step_ = step;
    exp_avg_ = std::move(m);
    exp_avg_sq_ = std::move(v);
}

std::unique_ptr<Adam> make_adamw(std::vector<Tensor> params, double lr, double beta1, double beta2,
                                 double weight_decay, double eps) {
    return std::make_unique<Adam>(std::move(params), lr, beta1, beta2, eps, weight_decay, true);
}

// -- RMSprop -------------------------------------------------------------------

RMSprop::RMSprop(std::vector<Tensor> params, double lr_, double alpha_, double eps_)
    : Optimizer(std::move(params)), alpha(alpha_), eps(eps_) {
    lr = lr_;
    for (auto& p : params_) square_avg_.push_back(zeros_on(p, p.shape()));
}

void RMSprop::step() {
    PhaseScope phase(Phase::optimizer);
    ++step_;
    RmspropStep s;
    s.lr = static_cast<float>(lr);
    s.alpha = static_cast<float>(alpha);
    s.one_minus_alpha = static_cast<float>(1.0 - alpha);
    s.eps = static_cast<float>(eps);
    for (size_t i = 0; i < params_.size(); ++i) {
        Tensor p = params_[i];
        Tensor grad = p.grad();
        if (!grad.defined()) continue;
        Backend& be = dispatch("rmsprop_step", {p, grad});
        follow(square_avg_[i], p);
        be.update().rmsprop_step(s, p.numel(), p.storage(), grad.storage(),
                                 square_avg_[i].storage());
    }
}

NamedTensors RMSprop::state(const std::string& prefix) const {
    NamedTensors out;
    out.emplace_back(prefix + ".step", step_tensor(step_));
    for (size_t i = 0; i < params_.size(); ++i)
        out.emplace_back(prefix + "." + std::to_string(i) + ".square_avg", square_avg_[i]);
    return out;
}

void RMSprop::load_state(const std::map<std::string, Tensor>& state, const std::string& prefix,
                         const std::string& source) {
    int64_t step = find_state(state, prefix + ".step", {}, DType::i64, source).to_vector_i64()[0];
    std::vector<Tensor> v;
    for (size_t i = 0; i < params_.size(); ++i)
        v.push_back(copy_on(find_state(state, prefix + "." + std::to_string(i) + ".square_avg",
                                       params_[i].shape(), DType::f32, source),
                            params_[i]));
    step_ = step;
    square_avg_ = std::move(v);
}

void clip_weights_(const std::vector<Tensor>& params, float c) {
    PhaseScope phase(Phase::optimizer);  // a constraint on the weights, applied after the update
    for (Tensor p : params) {
        Backend& be = dispatch("clip_weights_", {p});
        be.update().clamp_(p.numel(), p.storage(), -c, c);
    }
}

}  // namespace ganvas
