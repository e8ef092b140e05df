// Softmax, log_softmax, cross_entropy and the 2-D poolings against tensors PyTorch
// 1.13 wrote (tests/golden/golden_softmax.py): values, gradients and second derivatives.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>

#include "autograd/autograd.h"
#include "io/npy.h"
#include "ops/ops.h"
#include "support/golden.h"

using namespace ganvas;

namespace {

Tensor golden(const std::string& name) {
    return ganvas::testing::golden("softmax/" + name + ".npy");
}

// An infinite golden value (log_softmax of -inf) must be matched exactly.
void expect_close(const Tensor& got, const std::string& name, float atol = 1e-5f,
                  float rtol = 1e-4f) {
    ganvas::testing::expect_close(got, golden(name), atol, rtol, name);
}

Tensor param(const std::string& name) {
    return golden(name).requires_grad_(true);
}

}  // namespace

TEST(SoftmaxGolden, SoftmaxAndLogSoftmaxAlongEachDim) {
    const std::vector<std::pair<std::string, int64_t>> dims = {{"d0", 0}, {"d1", 1}, {"dlast", -1}};
    Tensor gy = golden("sm_gy"), v = golden("sm_v");
    for (bool log : {false, true})
        for (const auto& [tag, dim] : dims) {
            const std::string name = std::string(log ? "log_softmax_" : "softmax_") + tag;
            SCOPED_TRACE(name);
            Tensor x = param("sm_x");
            Tensor y = log ? log_softmax(x, dim) : softmax(x, dim);
            expect_close(y, name + "_y");
            // The plain (fused) gradient, then the differentiable one and its derivative.
            expect_close(grad({sum(mul(y, gy))}, {x})[0], name + "_gx");
            Tensor gx =
                grad({sum(mul(log ? log_softmax(x, dim) : softmax(x, dim), gy))}, {x}, {}, true)[0];
            expect_close(gx, name + "_gx");
            expect_close(grad({sum(mul(gx, v))}, {x})[0], name + "_ggx");
        }
}

TEST(SoftmaxGolden, CrossEntropy) {
    Tensor x = param("ce_x"), t = golden("ce_t");
    ASSERT_EQ(t.dtype(), DType::i64);
    Tensor y = cross_entropy(x, t);
    expect_close(y, "ce_y");
    expect_close(grad({y}, {x})[0], "ce_gx");
    Tensor gx = grad({cross_entropy(x, t)}, {x}, {}, true)[0];
    expect_close(gx, "ce_gx");
    expect_close(grad({sum(mul(gx, golden("ce_v")))}, {x})[0], "ce_ggx");
}

TEST(SoftmaxGolden, Pooling) {
    using Pool = std::function<Tensor(const Tensor&)>;
    const std::vector<std::pair<std::string, Pool>> cases = {
        {"mp_k2s2", [](const Tensor& t) { return max_pool2d(t, 2, 2); }},
        {"mp_k3s2p1", [](const Tensor& t) { return max_pool2d(t, 3, 2, 1); }},
        {"mp_ties_k3s2p1", [](const Tensor& t) { return max_pool2d(t, 3, 2, 1); }},
        {"mp_ties_k2s1", [](const Tensor& t) { return max_pool2d(t, 2, 1); }},
        {"ap_k3s2p1", [](const Tensor& t) { return avg_pool2d(t, 3, 2, 1); }},
        {"aap_3x3", [](const Tensor& t) { return adaptive_avg_pool2d(t, 3, 3); }},
        {"aap_5x5", [](const Tensor& t) { return adaptive_avg_pool2d(t, 5, 5); }},
    };
    for (const auto& [p, pool] : cases) {
        SCOPED_TRACE(p);
        Tensor x = param(p + "_x"), gy = param(p + "_gy");
        Tensor y = pool(x);
        expect_close(y, p + "_y");
        Tensor gx = grad({sum(mul(y, gy))}, {x}, {}, true)[0];
        expect_close(gx, p + "_gx");
        // Linear in x: the second derivative lives in the gradient's dependence on gy.
        expect_close(grad({sum(mul(gx, golden(p + "_v")))}, {gy})[0], p + "_ggy");
    }
}
