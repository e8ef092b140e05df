// LayerNorm over the last dimension, as torch.nn.LayerNorm(C): weight 1, bias 0.
#pragma once

#include "nn/module.h"

namespace ganvas {

class LayerNorm : public Module {
public:
    explicit LayerNorm(int64_t channels, float eps = 1e-5f);
    Tensor forward(const Tensor& x) const;  // (..., C) -> (..., C)
    std::string type_name() const override { return "LayerNorm"; }
    Tensor weight, bias;  // (C)
    float eps;
};

}  // namespace ganvas
