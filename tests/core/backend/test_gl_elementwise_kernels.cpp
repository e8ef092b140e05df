// The OpenGL backend's elementwise kernels where the op table cannot look:
// NaN, infinities and signed zeros (the table draws N(0, 1) inputs and its
// tolerance ignores NaN), and the one-line refusal of a broadcast too deep for
// the shader. Skipped, with the reason, only where no GL 4.3 opens.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "backend/backend.h"
#include "ops/activation.h"
#include "ops/elementwise.h"
#include "tensor/rng.h"

namespace ganvas {
namespace {

const float kInf = std::numeric_limits<float>::infinity();
const float kNan = std::numeric_limits<float>::quiet_NaN();

class GlElementwiseKernels : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        if (!backend_available(Device::gpu, &why)) GTEST_SKIP() << "no OpenGL backend: " << why;
    }
};

// Equal where both are NaN, or equal within float rounding (the GPU's exp2,
// log2 and exp are not the C library's).
bool same_value(float cpu, float gpu) {
    if (std::isnan(cpu) || std::isnan(gpu)) return std::isnan(cpu) && std::isnan(gpu);
    if (std::isinf(cpu) || std::isinf(gpu)) return cpu == gpu;
    return std::abs(cpu - gpu) <= 1e-5f * std::max(1.0f, std::abs(cpu));
}

using UnaryFn = std::function<Tensor(const Tensor&)>;

TEST_F(GlElementwiseKernels, NanAndInfinitiesGiveWhatTheCpuGives) {
    const std::vector<float> values{kNan,  kInf,  -kInf,  0.0f,    -0.0f,  1.0f,
                                    -1.0f, -2.0f, 100.0f, -100.0f, 3e-30f, -3e-30f};
    const Tensor x = Tensor::from_vector({static_cast<int64_t>(values.size())}, values);
    const std::vector<std::pair<const char*, UnaryFn>> ops{
        {"relu", [](const Tensor& t) { return relu(t); }},
        {"leaky_relu", [](const Tensor& t) { return leaky_relu(t, 0.2f); }},
        {"tanh", [](const Tensor& t) { return tanh(t); }},
        {"sigmoid", [](const Tensor& t) { return sigmoid(t); }},
        {"gelu", [](const Tensor& t) { return gelu(t); }},
        {"clamp", [](const Tensor& t) { return clamp(t, -0.5f, 0.7f); }},
        {"sign", [](const Tensor& t) { return sign(t); }},
        {"abs", [](const Tensor& t) { return abs(t); }},
        {"sqrt", [](const Tensor& t) { return sqrt(t); }},
        {"exp", [](const Tensor& t) { return exp(t); }},
        {"log", [](const Tensor& t) { return log(t); }},
        {"pow 3", [](const Tensor& t) { return pow_scalar(t, 3.0f); }},
        {"pow 0.5", [](const Tensor& t) { return pow_scalar(t, 0.5f); }},
        {"pow -1", [](const Tensor& t) { return pow_scalar(t, -1.0f); }},
        {"pow -1.5", [](const Tensor& t) { return pow_scalar(t, -1.5f); }},
        {"pow 0", [](const Tensor& t) { return pow_scalar(t, 0.0f); }},
        {"1 / x", [](const Tensor& t) { return div(Tensor::ones(t.shape(), t.device()), t); }},
    };
    for (const auto& [name, op] : ops) {
        const std::vector<float> cpu = op(x).to_vector(), gpu = op(x.to(Device::gpu)).to_vector();
        for (size_t i = 0; i < values.size(); ++i)
            EXPECT_TRUE(same_value(cpu[i], gpu[i]))
                << name << "(" << values[i] << "): cpu " << cpu[i] << ", gpu " << gpu[i];
    }
}

TEST_F(GlElementwiseKernels, ReluGradientIsATrueZeroWhereTheInputIsNotPositive) {
    for (Device device : {Device::cpu, Device::gpu}) {
        Tensor x = Tensor::from_vector({4}, {-1.0f, 0.0f, -3.0f, 2.0f}).to(device);
        x.requires_grad_();
        const Tensor gy = Tensor::from_vector({4}, {kInf, kNan, -kInf, 5.0f}).to(device);
        const std::vector<float> relu_grad = grad({relu(x)}, {x}, {gy})[0].to_vector();
        EXPECT_EQ(relu_grad, (std::vector<float>{0.0f, 0.0f, 0.0f, 5.0f}));
        const std::vector<float> leaky = grad({leaky_relu(x, 0.5f)}, {x}, {gy})[0].to_vector();
        EXPECT_EQ(leaky[0], kInf);
        EXPECT_TRUE(std::isnan(leaky[1]));
        EXPECT_EQ(leaky[2], -kInf);
        EXPECT_EQ(leaky[3], 5.0f);
    }
}

TEST_F(GlElementwiseKernels, ABroadcastTooDeepForTheShaderIsRefusedInOneLine) {
    // 17 dimensions broadcast alternately: no two merge, one more than the shader holds.
    Shape sa, sb;
    for (int d = 0; d < 17; ++d) {
        sa.push_back(d % 2 ? 1 : 2);
        sb.push_back(d % 2 ? 2 : 1);
    }
    const Tensor a = Tensor::ones(sa, Device::gpu), b = Tensor::ones(sb, Device::gpu);
    std::string message;
    try {
        add(a, b);
    } catch (const std::exception& e) {
        message = e.what();
    }
    EXPECT_NE(message.find("add"), std::string::npos) << message;
    EXPECT_NE(message.find("17"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    // 16 of them still run, and agree with the CPU element for element.
    sa.pop_back(), sb.pop_back();
    Rng rng(3);
    const Tensor ca = rng.randn(sa), cb = rng.randn(sb);
    const std::vector<float> cpu = add(ca, cb).to_vector();
    EXPECT_EQ(add(ca.to(Device::gpu), cb.to(Device::gpu)).to_vector(), cpu);
    EXPECT_EQ(cpu.size(), size_t{1} << 16);
}

}  // namespace
}  // namespace ganvas
