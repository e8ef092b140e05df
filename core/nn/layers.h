// The layers of the reference models, with PyTorch's default initialisation.
#pragma once

#include "nn/module.h"
#include "ops/conv.h"
#include "tensor/rng.h"

namespace ganvas {

// A layer with a weight and an optional bias, both drawn from PyTorch's
// default U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
class WeightBiasLayer : public Module {
public:
    Tensor weight;
    Tensor bias;  // undefined without bias

protected:
    void init_parameters(const Shape& weight_shape, int64_t bias_size, int64_t fan_in,
                         bool has_bias, Rng& rng);
};

class Linear : public WeightBiasLayer {
public:
    Linear(int64_t in, int64_t out, bool bias, Rng& rng);
    Tensor forward(const Tensor& x) const;  // (..., in) -> (..., out)
    std::string type_name() const override { return "Linear"; }
    // weight (out, in), bias (out)
};

class Conv2d : public WeightBiasLayer {
public:
    Conv2d(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t padding, bool bias,
           Rng& rng);
    Tensor forward(const Tensor& x) const;  // (N, in, H, W) -> (N, out, Ho, Wo)
    std::string type_name() const override { return "Conv2d"; }
    Conv2dParams params;  // weight (out, in, k, k), bias (out)
};

class ConvTranspose2d : public WeightBiasLayer {
public:
    ConvTranspose2d(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t padding,
                    bool bias, Rng& rng);
    Tensor forward(const Tensor& x) const;
    std::string type_name() const override { return "ConvTranspose2d"; }
    Conv2dParams params;  // weight (in, out, k, k), bias (out)
};

// A table of `count` vectors of size `dim`, looked up by int64 index; weight N(0, 1) as torch.
class Embedding : public Module {
public:
    Embedding(int64_t count, int64_t dim, Rng& rng);
    Tensor forward(const Tensor& idx) const;  // int64 (...) -> (..., dim)
    std::string type_name() const override { return "Embedding"; }
    Tensor weight;  // (count, dim)
};

// BatchNorm1d on (N, C) and BatchNorm2d on (N, C, H, W): one class, as the maths is the same.
class BatchNorm : public Module {
public:
    BatchNorm(int64_t channels, int spatial_dims, float momentum = 0.1f, float eps = 1e-5f);
    Tensor forward(const Tensor& x);  // updates running stats in training mode
    std::string type_name() const override { return spatial_ ? "BatchNorm2d" : "BatchNorm1d"; }
    Tensor weight, bias, running_mean, running_var, num_batches_tracked;
    float momentum, eps;

private:
    int spatial_;
};

// PyTorch's default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias
// (kaiming_uniform with a = sqrt(5) reduces to this bound).
void init_uniform_fan_in(Tensor& t, int64_t fan_in, Rng& rng);

// DCGAN's initialisation (Radford et al.): conv and linear weights N(0, 0.02),
// biases 0, batch-norm weights N(1, 0.02), as torch_reference.dcgan_init.
void dcgan_init(Module& m, Rng& rng);

}  // namespace ganvas
