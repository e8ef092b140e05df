// Gradient checks: autograd against central finite differences.
//
// The function's output is reduced to a scalar by a fixed random projection,
// so every output element's gradient is exercised. Inputs are float32, so the
// step and tolerances are sized for single precision.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

#include "autograd/autograd.h"
#include "ops/ops.h"
#include "tensor/rng.h"

namespace ganvas::testing {

using Fn = std::function<Tensor(const std::vector<Tensor>&)>;

struct GradCheckOptions {
    float eps = 1e-2f;
    float atol = 2e-3f;
    float rtol = 2e-2f;
    uint64_t seed = 1234;
};

inline Tensor projected(const Fn& f, const std::vector<Tensor>& inputs, const Tensor& w) {
    return sum(mul(f(inputs), w));
}

// Checks d(sum(f(inputs) * w))/d(input_i) for every input that requires grad.
inline ::testing::AssertionResult gradcheck(const Fn& f, std::vector<Tensor> inputs,
                                            GradCheckOptions opt = {}) {
    Rng rng(opt.seed);
    Tensor w;
    {
        NoGradGuard no_grad;
        w = rng.randn(f(inputs).shape());
    }
    std::vector<Tensor> wrt;
    for (auto& t : inputs)
        if (t.requires_grad()) wrt.push_back(t);
    std::vector<Tensor> analytic = grad({projected(f, inputs, w)}, wrt);
    for (size_t k = 0; k < wrt.size(); ++k) {
        Tensor x = wrt[k];
        float* p = x.data();
        const float* ga = analytic[k].data();
        for (int64_t i = 0; i < x.numel(); ++i) {
            const float old = p[i];
            double fp, fm;
            {
                NoGradGuard no_grad;
                p[i] = old + opt.eps;
                fp = projected(f, inputs, w).item();
                p[i] = old - opt.eps;
                fm = projected(f, inputs, w).item();
                p[i] = old;
            }
            const double numeric = (fp - fm) / (2.0 * opt.eps);
            if (std::fabs(numeric - ga[i]) > opt.atol + opt.rtol * std::fabs(numeric))
                return ::testing::AssertionFailure()
                       << "input " << k << " element " << i << ": autograd " << ga[i]
                       << " vs finite difference " << numeric;
        }
    }
    return ::testing::AssertionSuccess();
}

// Second derivatives: checks the gradient of h(x) = sum(grad(f, x, create_graph) * v).
inline ::testing::AssertionResult gradgradcheck(const Fn& f, std::vector<Tensor> inputs,
                                                GradCheckOptions opt = {}) {
    Rng rng(opt.seed + 1);
    Tensor w;
    std::vector<Tensor> v;
    {
        NoGradGuard no_grad;
        w = rng.randn(f(inputs).shape());
        for (auto& t : inputs)
            if (t.requires_grad()) v.push_back(rng.randn(t.shape()));
    }
    Fn h = [&](const std::vector<Tensor>& in) {
        std::vector<Tensor> wrt;
        for (auto& t : in)
            if (t.requires_grad()) wrt.push_back(t);
        bool differentiable = grad_mode_enabled();
        GradModeGuard on(true);
        std::vector<Tensor> g = grad({projected(f, in, w)}, wrt, {}, differentiable);
        Tensor total = Tensor::scalar(0.0f);
        for (size_t i = 0; i < g.size(); ++i) total = add(total, sum(mul(g[i], v[i])));
        return total;
    };
    return gradcheck(h, inputs, opt);
}

inline Tensor leaf(Rng& rng, const Shape& shape, float scale = 1.0f) {
    Tensor t = rng.randn(shape);
    if (scale != 1.0f) {
        float* p = t.data();
        for (int64_t i = 0; i < t.numel(); ++i) p[i] *= scale;
    }
    t.requires_grad_(true);
    return t;
}

}  // namespace ganvas::testing
