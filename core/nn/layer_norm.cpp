#include "nn/layer_norm.h"

#include "nn/layer_trace.h"
#include "ops/norm.h"

namespace ganvas {

LayerNorm::LayerNorm(int64_t channels, float eps_) : eps(eps_) {
    weight = register_parameter("weight", Tensor::ones({channels}));
    bias = register_parameter("bias", Tensor::zeros({channels}));
}

Tensor LayerNorm::forward(const Tensor& x) const {
    Tensor y = layer_norm(x, weight, bias, eps);
    LayerTrace::record(this, y);
    return y;
}

}  // namespace ganvas
