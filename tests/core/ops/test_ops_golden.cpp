// Activations, losses, batch norm and layer norm against tensors PyTorch wrote
// (tests/golden/golden_ops.py): values, gradients, second derivatives and
// batch norm's running statistics over two training calls and an eval call.
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
    return ganvas::testing::golden("ops/" + name + ".npy");
}

void expect_close(const Tensor& got, const std::string& name, float atol = 1e-5f,
                  float rtol = 1e-4f) {
    ganvas::testing::expect_close(got, golden(name), atol, rtol, name);
}

Tensor param(const std::string& name) {
    return golden(name).requires_grad_(true);
}

}  // namespace

TEST(OpsGolden, Activations) {
    using Act = std::function<Tensor(const Tensor&)>;
    const std::vector<std::pair<std::string, Act>> cases = {
        {"relu", [](const Tensor& t) { return relu(t); }},
        {"leaky_relu", [](const Tensor& t) { return leaky_relu(t, 0.2f); }},
        {"tanh", [](const Tensor& t) { return tanh(t); }},
        {"sigmoid", [](const Tensor& t) { return sigmoid(t); }},
    };
    Tensor gy = golden("act_gy"), v = golden("act_v");
    for (const auto& [name, f] : cases) {
        Tensor x = param("act_x");
        Tensor y = f(x);
        expect_close(y, name + "_y");
        Tensor gx = grad({sum(mul(y, gy))}, {x}, {}, true)[0];
        expect_close(gx, name + "_gx");
        expect_close(grad({sum(mul(gx, v))}, {x})[0], name + "_ggx");
    }
}

TEST(OpsGolden, Losses) {
    using Loss = std::function<Tensor(const Tensor&, const Tensor&)>;
    const std::vector<std::pair<std::string, Loss>> cases = {
        {"bce",
         [](const Tensor& a, const Tensor& b) { return binary_cross_entropy_with_logits(a, b); }},
        {"mse", [](const Tensor& a, const Tensor& b) { return mse_loss(a, b); }},
        {"l1", [](const Tensor& a, const Tensor& b) { return l1_loss(a, b); }},
    };
    for (const auto& [name, f] : cases) {
        Tensor x = param("loss_x"), t = param("loss_t");
        Tensor y = f(x, t);
        expect_close(reshape(y, {1}),
                     name + "_y");  // saved as (1,): .npy via make_golden has no 0-d
        std::vector<Tensor> g = grad({y}, {x, t});
        expect_close(g[0], name + "_gx");
        expect_close(g[1], name + "_gt");
    }
}

// Two training calls then one eval call, each checked for output, gradients and buffers.
void check_batch_norm(const std::string& p) {
    Tensor w = param(p + "_weight"), b = param(p + "_bias");
    Tensor rm = golden(p + "_rm0"), rv = golden(p + "_rv0");
    for (const std::string step : {"1", "2"}) {
        Tensor x = param(p + "_x" + step);
        Tensor y = batch_norm(x, rm, rv, w, b, true);
        expect_close(y, p + "_y" + step);
        expect_close(rm, p + "_rm" + step);
        expect_close(rv, p + "_rv" + step);
        std::vector<Tensor> g = grad({sum(mul(y, golden(p + "_gy" + step)))}, {x, w, b});
        expect_close(g[0], p + "_gx" + step, 2e-5f);
        expect_close(g[1], p + "_gw" + step, 2e-5f);
        expect_close(g[2], p + "_gb" + step, 2e-5f);
    }
    Tensor x = param(p + "_xe");
    Tensor y = batch_norm(x, rm, rv, w, b, false);
    expect_close(y, p + "_ye");
    std::vector<Tensor> g = grad({sum(mul(y, golden(p + "_gye")))}, {x, w, b});
    expect_close(g[0], p + "_gxe");
    expect_close(g[1], p + "_gwe", 2e-5f);
    expect_close(g[2], p + "_gbe", 2e-5f);
    expect_close(rm, p + "_rm2");  // eval leaves the buffers alone
    expect_close(rv, p + "_rv2");
}

TEST(OpsGolden, BatchNorm1d) {
    check_batch_norm("bn1d");
}

TEST(OpsGolden, BatchNorm2d) {
    check_batch_norm("bn2d");
}

TEST(OpsGolden, LayerNorm) {
    Tensor x = param("ln_x"), w = param("ln_w"), b = param("ln_b");
    Tensor y = layer_norm(x, w, b);
    expect_close(y, "ln_y");
    std::vector<Tensor> g = grad({sum(mul(y, golden("ln_gy")))}, {x, w, b});
    expect_close(g[0], "ln_gx", 2e-5f);
    expect_close(g[1], "ln_gw", 2e-5f);
    expect_close(g[2], "ln_gb", 2e-5f);
}
