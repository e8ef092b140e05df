#include "nn/layers.h"

#include <cmath>
#include <stdexcept>

#include "backend/update_kernels.h"
#include "nn/layer_trace.h"
#include "ops/conv.h"
#include "ops/dispatch.h"
#include "ops/indexing.h"
#include "ops/matmul.h"
#include "ops/norm.h"

namespace ganvas {

void init_uniform_fan_in(Tensor& t, int64_t fan_in, Rng& rng) {
    const float bound = fan_in > 0 ? 1.0f / std::sqrt(static_cast<float>(fan_in)) : 0.0f;
    rng.fill_uniform(t, -bound, bound);
}

void WeightBiasLayer::init_parameters(const Shape& weight_shape, int64_t bias_size, int64_t fan_in,
                                      bool has_bias, Rng& rng) {
    Tensor w = Tensor::empty(weight_shape);
    init_uniform_fan_in(w, fan_in, rng);
    weight = register_parameter("weight", w);
    if (has_bias) {
        Tensor b = Tensor::empty({bias_size});
        init_uniform_fan_in(b, fan_in, rng);
        bias = register_parameter("bias", b);
    }
}

Linear::Linear(int64_t in, int64_t out, bool has_bias, Rng& rng) {
    init_parameters({out, in}, out, in, has_bias, rng);
}

Tensor Linear::forward(const Tensor& x) const {
    Tensor y = linear(x, weight, bias);
    LayerTrace::record(this, y);
    return y;
}

Conv2d::Conv2d(int64_t in, int64_t out, int64_t k, int64_t stride, int64_t padding, bool has_bias,
               Rng& rng) {
    params.stride = {stride, stride};
    params.padding = {padding, padding};
    init_parameters({out, in, k, k}, out, in * k * k, has_bias, rng);
}

Tensor Conv2d::forward(const Tensor& x) const {
    Tensor y = conv2d(x, weight, bias, params);
    LayerTrace::record(this, y);
    return y;
}

ConvTranspose2d::ConvTranspose2d(int64_t in, int64_t out, int64_t k, int64_t stride,
                                 int64_t padding, bool has_bias, Rng& rng) {
    params.stride = {stride, stride};
    params.padding = {padding, padding};
    // PyTorch computes fan_in from weight.size(1), which is `out` for a transposed convolution.
    init_parameters({in, out, k, k}, out, out * k * k, has_bias, rng);
}

Tensor ConvTranspose2d::forward(const Tensor& x) const {
    Tensor y = conv_transpose2d(x, weight, bias, params);
    LayerTrace::record(this, y);
    return y;
}

Embedding::Embedding(int64_t count, int64_t dim, Rng& rng) {
    Tensor w = Tensor::empty({count, dim});
    rng.fill_normal(w, 0.0f, 1.0f);
    weight = register_parameter("weight", w);
}

Tensor Embedding::forward(const Tensor& idx) const {
    Tensor y = embedding(weight, idx);
    LayerTrace::record(this, y);
    return y;
}

BatchNorm::BatchNorm(int64_t channels, int spatial_dims, float momentum_, float eps_)
    : momentum(momentum_), eps(eps_), spatial_(spatial_dims) {
    weight = register_parameter("weight", Tensor::ones({channels}));
    bias = register_parameter("bias", Tensor::zeros({channels}));
    running_mean = register_buffer("running_mean", Tensor::zeros({channels}));
    running_var = register_buffer("running_var", Tensor::ones({channels}));
    num_batches_tracked = register_buffer("num_batches_tracked", Tensor::zeros({}, DType::i64));
}

Tensor BatchNorm::forward(const Tensor& x) {
    const int64_t want = spatial_ ? 4 : 2;
    if (x.dim() != want)
        throw std::invalid_argument(type_name() + ": expects a " + std::to_string(want) +
                                    "-D input, got " + shape_str(x.shape()));
    if (training()) {
        Backend& be = dispatch("num_batches_tracked", {num_batches_tracked});
        be.update().add_i64_(1, num_batches_tracked.storage(), 1);
    }
    Tensor y = batch_norm(x, running_mean, running_var, weight, bias, training(), momentum, eps);
    LayerTrace::record(this, y);
    return y;
}

void dcgan_init(Module& m, Rng& rng) {
    if (auto* l = dynamic_cast<WeightBiasLayer*>(&m)) {  // Linear, Conv2d, ConvTranspose2d
        rng.fill_normal(l->weight, 0.0f, 0.02f);
        if (l->bias.defined()) l->bias.fill_(0.0f);
    } else if (auto* b = dynamic_cast<BatchNorm*>(&m)) {
        rng.fill_normal(b->weight, 1.0f, 0.02f);
        b->bias.fill_(0.0f);
    }
    for (auto& [name, child] : m.children()) dcgan_init(*child, rng);
}

}  // namespace ganvas
