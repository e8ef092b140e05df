#include "optim/optimizer.h"

#include <cmath>
#include <stdexcept>

#include "backend/cpu/thread_pool.h"

namespace ganvas {
namespace {

constexpr int64_t kGrain = 1 << 14;

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
    return buffer.defined() ? buffer : Tensor::zeros(param.shape());
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
    for (size_t i = 0; i < params_.size(); ++i) {
        Tensor p = params_[i];
        Tensor grad = p.grad();
        if (!grad.defined()) continue;
        float* w = p.data();
        const float* g = grad.data();
        const int64_t n = p.numel();
        if (momentum != 0.0 && !momentum_buffer_[i].defined()) {
            // torch: the first buffer is the (decayed) gradient itself.
            const float wd = static_cast<float>(weight_decay), mom = static_cast<float>(momentum);
            momentum_buffer_[i] = Tensor::empty(p.shape());
            float* b = momentum_buffer_[i].data();
            for (int64_t j = 0; j < n; ++j) {
                const float d = wd != 0.0f ? g[j] + wd * w[j] : g[j];
                b[j] = d;
                w[j] += -static_cast<float>(lr) * (nesterov ? d + mom * b[j] : b[j]);
            }
            continue;
        }
        float* b = momentum != 0.0 ? momentum_buffer_[i].data() : nullptr;
        const float mom = static_cast<float>(momentum), wd = static_cast<float>(weight_decay);
        const float lr_f = static_cast<float>(lr);
        cpu::parallel_for(n, kGrain, [&](int64_t s, int64_t e) {
            for (int64_t j = s; j < e; ++j) {
                float d = wd != 0.0f ? g[j] + wd * w[j] : g[j];
                if (b) {
                    b[j] = mom * b[j] + d;
                    d = nesterov ? d + mom * b[j] : b[j];
                }
                w[j] += -lr_f * d;
            }
        });
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
            find_state(state, prefix + "." + std::to_string(i) + ".momentum_buffer",
                       params_[i].shape(), DType::f32, source)
                .clone();
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
        exp_avg_.push_back(Tensor::zeros(p.shape()));
        exp_avg_sq_.push_back(Tensor::zeros(p.shape()));
    }
}

void Adam::step() {
    ++step_;
    // torch computes the bias corrections in double from the step count.
    const double bc1 = 1.0 - std::pow(static_cast<double>(beta1), static_cast<double>(step_));
    const double bc2 = 1.0 - std::pow(static_cast<double>(beta2), static_cast<double>(step_));
    const float step_size = static_cast<float>(lr / bc1);
    const float bc2_sqrt = static_cast<float>(std::sqrt(bc2));
    const float b1 = static_cast<float>(beta1), b2 = static_cast<float>(beta2);
    const float one_minus_b1 = static_cast<float>(1.0 - beta1),
                one_minus_b2 = static_cast<float>(1.0 - beta2);
    const float wd = static_cast<float>(weight_decay), eps_f = static_cast<float>(eps);
    const float decay = static_cast<float>(1.0 - lr * weight_decay);
    for (size_t i = 0; i < params_.size(); ++i) {
        Tensor p = params_[i];
        Tensor grad = p.grad();
        if (!grad.defined()) continue;
        float* w = p.data();
        const float* g = grad.data();
        float* m = exp_avg_[i].data();
        float* v = exp_avg_sq_[i].data();
        cpu::parallel_for(p.numel(), kGrain, [&](int64_t s, int64_t e) {
            for (int64_t j = s; j < e; ++j) {
                float gj = g[j];
                if (wd != 0.0f) {
                    if (decoupled)
                        w[j] *= decay;  // param.mul_(1 - lr * wd)
                    else
                        gj += wd * w[j];
                }
                m[j] = m[j] * b1 + gj * one_minus_b1;  // exp_avg.mul_(b1).add_(g, alpha=1-b1)
                v[j] = v[j] * b2 +
                       one_minus_b2 * (gj * gj);  // exp_avg_sq.mul_(b2).addcmul_(g, g, 1-b2)
                const float denom = std::sqrt(v[j]) / bc2_sqrt + eps_f;
                w[j] += -step_size * (m[j] / denom);  // param.addcdiv_(m, denom, -step_size)
            }
        });
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
    int64_t step = find_state(state, prefix + ".step", {}, DType::i64, source).data_i64()[0];
    std::vector<Tensor> m, v;
    for (size_t i = 0; i < params_.size(); ++i) {
        const std::string key = prefix + "." + std::to_string(i);
        m.push_back(
            find_state(state, key + ".exp_avg", params_[i].shape(), DType::f32, source).clone());
        v.push_back(
            find_state(state, key + ".exp_avg_sq", params_[i].shape(), DType::f32, source).clone());
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
    for (auto& p : params_) square_avg_.push_back(Tensor::zeros(p.shape()));
}

void RMSprop::step() {
    ++step_;
    for (size_t i = 0; i < params_.size(); ++i) {
        Tensor p = params_[i];
        Tensor grad = p.grad();
        if (!grad.defined()) continue;
        float* w = p.data();
        const float* g = grad.data();
        float* v = square_avg_[i].data();
        const float a = static_cast<float>(alpha),
                    one_minus_alpha = static_cast<float>(1.0 - alpha);
        const float lr_f = static_cast<float>(lr), eps_f = static_cast<float>(eps);
        cpu::parallel_for(p.numel(), kGrain, [&](int64_t s, int64_t e) {
            for (int64_t j = s; j < e; ++j) {
                v[j] = v[j] * a +
                       one_minus_alpha * (g[j] * g[j]);  // square_avg.mul_(a).addcmul_(g, g, 1-a)
                w[j] += -lr_f *
                        (g[j] / (std::sqrt(v[j]) + eps_f));  // param.addcdiv_(g, sqrt(v)+eps, -lr)
            }
        });
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
    int64_t step = find_state(state, prefix + ".step", {}, DType::i64, source).data_i64()[0];
    std::vector<Tensor> v;
    for (size_t i = 0; i < params_.size(); ++i)
        v.push_back(find_state(state, prefix + "." + std::to_string(i) + ".square_avg",
                               params_[i].shape(), DType::f32, source)
                        .clone());
    step_ = step;
    square_avg_ = std::move(v);
}

void clip_weights_(const std::vector<Tensor>& params, float c) {
    for (Tensor p : params) {
        float* w = p.data();
        for (int64_t j = 0; j < p.numel(); ++j) w[j] = std::min(std::max(w[j], -c), c);
    }
}

}  // namespace ganvas
