// Optimizer steps on a device, for the tests that compare a backend's update
// kernels with the CPU's: the same layer, the same gradients, read back.
#pragma once

#include <cmath>
#include <functional>
#include <memory>
#include <vector>

#include "nn/layers.h"
#include "optim/optimizer.h"
#include "tensor/rng.h"

namespace ganvas::testing {

// n values spread over [-scale, scale], different for each seed, with no pattern a
// kernel could get right by accident.
inline std::vector<float> wavy(int64_t n, float scale, int seed) {
    std::vector<float> v(n);
    for (int64_t i = 0; i < n; ++i)
        v[i] = scale * static_cast<float>(std::sin(0.7 * static_cast<double>(i) + 1.3 * seed));
    return v;
}

// Three steps of an optimizer over a Linear(in, out) layer's parameters, built on the
// CPU and then moved to `device` with Module::to, with the same gradients each step;
// returns the parameters and the optimizer's f32 state, read back.
inline std::vector<std::vector<float>> three_steps(
    Device device, int64_t in, int64_t out,
    const std::function<std::unique_ptr<Optimizer>(std::vector<Tensor>)>& make) {
    Rng rng(21);
    Linear layer(in, out, true, rng);
    std::unique_ptr<Optimizer> opt = make(layer.parameters());
    layer.to(device);
    for (int step = 0; step < 3; ++step) {
        opt->zero_grad();
        int seed = 30 + step * 2;
        for (Tensor p : layer.parameters())
            p.set_grad(Tensor::from_vector(p.shape(), wavy(p.numel(), 0.5f, seed++), device));
        opt->step();
    }
    std::vector<std::vector<float>> result;
    for (const Tensor& p : layer.parameters()) {
        EXPECT_EQ(p.device(), device);
        result.push_back(p.to_vector());
    }
    for (const auto& [name, t] : opt->state("s"))
        if (t.dtype() == DType::f32) result.push_back(t.to_vector());
    return result;
}

}  // namespace ganvas::testing
