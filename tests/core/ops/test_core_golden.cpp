// The basic ops against PyTorch: outputs and input gradients for a fixed
// upstream gradient, from tests/golden/golden_core.py.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "autograd/autograd.h"
#include "io/npy.h"
#include "ops/ops.h"
#include "support/golden.h"

using namespace ganvas;

namespace {

Tensor golden(const std::string& name) {
    return ganvas::testing::golden("core/" + name + ".npy");
}

void expect_close(const Tensor& got, const Tensor& want, const std::string& what) {
    ganvas::testing::expect_close(got, want, 1e-5, 1e-5, what);
}

void check(const std::string& name, int n_inputs,
           const std::function<Tensor(const std::vector<Tensor>&)>& fn) {
    std::vector<Tensor> xs;
    for (int i = 0; i < n_inputs; ++i)
        xs.push_back(golden(name + "_in" + std::to_string(i)).requires_grad_());
    Tensor y = fn(xs);
    expect_close(y, golden(name + "_out"), name + " output");
    std::vector<Tensor> grads = grad({y}, xs, {golden(name + "_g")});
    for (int i = 0; i < n_inputs; ++i)
        expect_close(grads[i], golden(name + "_grad" + std::to_string(i)),
                     name + " grad " + std::to_string(i));
}

}  // namespace

TEST(CoreGolden, BroadcastingArithmetic) {
    check("add_broadcast", 2, [](auto& x) { return add(x[0], x[1]); });
    check("sub_broadcast", 2, [](auto& x) { return sub(x[0], x[1]); });
    check("mul_broadcast", 2, [](auto& x) { return mul(x[0], x[1]); });
    check("div_broadcast", 2, [](auto& x) { return div(x[0], x[1]); });
}

TEST(CoreGolden, UnaryMaths) {
    check("exp", 1, [](auto& x) { return exp(x[0]); });
    check("log", 1, [](auto& x) { return log(x[0]); });
    check("sqrt", 1, [](auto& x) { return sqrt(x[0]); });
    check("pow3", 1, [](auto& x) { return pow_scalar(x[0], 3.0f); });
    check("abs", 1, [](auto& x) { return abs(x[0]); });
    check("clamp", 1, [](auto& x) { return clamp(x[0], -0.5f, 0.7f); });
}

TEST(CoreGolden, Reductions) {
    check("sum_dims", 1, [](auto& x) { return sum(x[0], {0, 2}); });
    check("mean_keepdim", 1, [](auto& x) { return mean(x[0], {1}, true); });
    check("sum_all", 1, [](auto& x) { return sum(x[0]); });
}

TEST(CoreGolden, ShapeOps) {
    check("permute", 1, [](auto& x) { return permute(x[0], {2, 0, 1}); });
    check("cat", 2, [](auto& x) { return cat({x[0], x[1]}, 1); });
    check("flatten", 1, [](auto& x) { return flatten(x[0], 1); });
    check("narrow", 1, [](auto& x) { return narrow(x[0], 2, 1, 2); });
}

TEST(CoreGolden, MatmulAndLinear) {
    check("matmul", 2, [](auto& x) { return matmul(x[0], x[1]); });
    check("bmm", 2, [](auto& x) { return matmul(x[0], x[1]); });
    check("linear", 3, [](auto& x) { return linear(x[0], x[1], x[2]); });
}
