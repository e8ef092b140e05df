// The CPU element-wise kernels called directly through the backend, against
// values computed here; and every element-wise op and activation on the
// emulated GPU, equal to the CPU forward and backward (so none of them reads
// tensor memory on the host).
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "backend/backend.h"
#include "backend/elementwise_kernels.h"
#include "backend/emulated_gpu.h"
#include "ops/ops.h"

namespace ganvas {
namespace {

const ElementwiseKernels& kernels() {
    return backend_for(Device::cpu).elementwise();
}

// Values with both signs, a zero and fractions; `n` of them, odd where the test wants.
std::vector<float> sample(int64_t n, float scale = 1.0f) {
    std::vector<float> v(n);
    for (int64_t i = 0; i < n; ++i)
        v[i] = scale * static_cast<float>((i * 37) % 23 - 11) / 4.0f;  // -2.75 .. 2.75
    return v;
}

std::vector<float> positive(int64_t n) {
    std::vector<float> v(n);
    for (int64_t i = 0; i < n; ++i) v[i] = 0.25f + static_cast<float>((i * 13) % 17) / 3.0f;
    return v;
}

std::vector<float> run_unary(UnaryOp op, float p0, float p1, const std::vector<float>& in) {
    const int64_t n = static_cast<int64_t>(in.size());
    Tensor x = Tensor::from_vector({n}, in), y = Tensor::empty({n});
    kernels().unary(op, p0, p1, x.storage(), y.storage(), n);
    return y.to_vector();
}

void expect_each(const std::vector<float>& got, const std::vector<float>& in,
                 const std::function<float(float)>& f, const char* what) {
    ASSERT_EQ(got.size(), in.size()) << what;
    for (size_t i = 0; i < in.size(); ++i) EXPECT_FLOAT_EQ(got[i], f(in[i])) << what << " at " << i;
}

TEST(CpuElementwiseKernels, EveryUnaryModeOnAnOddSize) {
    const std::vector<float> x = sample(7), p = positive(7);
    expect_each(
        run_unary(UnaryOp::add_scalar, 1.5f, 0, x), x, [](float v) { return v + 1.5f; },
        "add_scalar");
    expect_each(
        run_unary(UnaryOp::mul_scalar, -3.0f, 0, x), x, [](float v) { return v * -3.0f; },
        "mul_scalar");
    expect_each(
        run_unary(UnaryOp::pow, 2.0f, 0, x), x, [](float v) { return v * v; }, "square");
    expect_each(
        run_unary(UnaryOp::pow, 1.5f, 0, p), p,
        [](float v) { return static_cast<float>(std::pow(double(v), 1.5)); }, "pow");
    expect_each(
        run_unary(UnaryOp::sqrt, 0, 0, p), p,
        [](float v) { return static_cast<float>(std::sqrt(double(v))); }, "sqrt");
    expect_each(
        run_unary(UnaryOp::exp, 0, 0, x), x,
        [](float v) { return static_cast<float>(std::exp(double(v))); }, "exp");
    expect_each(
        run_unary(UnaryOp::log, 0, 0, p), p,
        [](float v) { return static_cast<float>(std::log(double(v))); }, "log");
    expect_each(
        run_unary(UnaryOp::abs, 0, 0, x), x, [](float v) { return v < 0 ? -v : v; }, "abs");
    expect_each(
        run_unary(UnaryOp::sign, 0, 0, x), x,
        [](float v) { return v > 0   ? 1.0f
                             : v < 0 ? -1.0f
                                     : 0.0f; }, "sign");
    expect_each(
        run_unary(UnaryOp::clamp, -1.0f, 0.5f, x), x,
        [](float v) { return v < -1.0f  ? -1.0f
                             : v > 0.5f ? 0.5f
                                        : v; }, "clamp");
    expect_each(
        run_unary(UnaryOp::clamp_mask, -1.0f, 0.5f, x), x,
        [](float v) { return v >= -1.0f && v <= 0.5f ? 1.0f : 0.0f; }, "clamp_mask");
    // GELU''(x) = phi(x) (2 - x^2), phi(x) = exp(-x^2 / 2) / sqrt(2 pi).
    const std::vector<float> curv = run_unary(UnaryOp::gelu_curvature, 0, 0, x);
    for (size_t i = 0; i < x.size(); ++i) {
        const double v = x[i], phi = std::exp(-0.5 * v * v) / std::sqrt(2.0 * M_PI);
        EXPECT_NEAR(curv[i], phi * (2.0 - v * v), 1e-6) << "gelu_curvature at " << i;
    }
}

TEST(CpuElementwiseKernels, UnarySplitOverThreadsCoversEveryElement) {
    const int64_t n = 2 * 32768 + 5;  // more than one chunk of the pool, not a multiple of it
    const std::vector<float> x = sample(n);
    expect_each(
        run_unary(UnaryOp::mul_scalar, 2.0f, 0, x), x, [](float v) { return v * 2.0f; },
        "mul_scalar");
}

// out[i] of a binary op over `sizes`, computed from each output index as NumPy does.
std::vector<float> naive_binary(BinaryOp op, const Shape& sa, const std::vector<float>& a,
                                const Shape& sb, const std::vector<float>& b, const Shape& out) {
    const size_t rank = out.size();
    std::vector<float> r(shape_numel(out));
    std::vector<int64_t> idx(rank, 0);
    for (size_t flat = 0; flat < r.size(); ++flat) {
        int64_t rem = static_cast<int64_t>(flat);
        for (size_t d = rank; d-- > 0;) {
            idx[d] = rem % out[d];
            rem /= out[d];
        }
        auto at = [&](const Shape& s, const std::vector<float>& v) {
            int64_t off = 0;
            for (size_t k = 0; k < s.size(); ++k) {
                const int64_t i = s[k] == 1 ? 0 : idx[rank - s.size() + k];
                off = off * s[k] + i;
            }
            return v[off];
        };
        const float u = at(sa, a), w = at(sb, b);
        r[flat] = op == BinaryOp::add   ? u + w
                  : op == BinaryOp::sub ? u - w
                  : op == BinaryOp::mul ? u * w
                                        : u / w;
    }
    return r;
}

// Strides of `s` read at the output's rank, 0 where broadcast (the geometry's contract).
std::vector<int64_t> strides_at(const Shape& s, const Shape& out) {
    std::vector<int64_t> st(out.size(), 0);
    int64_t stride = 1;
    for (size_t k = s.size(); k-- > 0;) {
        st[out.size() - s.size() + k] = s[k] == 1 ? 0 : stride;
        stride *= s[k];
    }
    return st;
}

void expect_binary(const Shape& sa, const Shape& sb, const Shape& out) {
    const std::vector<float> a = sample(shape_numel(sa)), b = positive(shape_numel(sb));
    Tensor ta = Tensor::from_vector(sa, a), tb = Tensor::from_vector(sb, b);
    BroadcastGeometry g{out, strides_at(sa, out), strides_at(sb, out)};
    for (BinaryOp op : {BinaryOp::add, BinaryOp::sub, BinaryOp::mul, BinaryOp::div}) {
        Tensor r = Tensor::empty(out);
        kernels().binary(op, g, ta.storage(), tb.storage(), r.storage());
        EXPECT_EQ(r.to_vector(), naive_binary(op, sa, a, sb, b, out))
            << shape_str(sa) << " with " << shape_str(sb) << ", op " << static_cast<int>(op);
    }
}

TEST(CpuElementwiseKernels, BinaryOnEqualScalarAndBroadcastShapes) {
    expect_binary({7}, {7}, {7});
    expect_binary({3, 5}, {}, {3, 5});            // scalar b
    expect_binary({1}, {2, 3}, {2, 3});           // scalar a
    expect_binary({2, 1, 3}, {4, 1}, {2, 4, 3});  // both broadcast
    expect_binary({5, 1}, {1, 3}, {5, 3});        // outer product
    expect_binary({2, 3, 1, 5}, {3, 4, 1}, {2, 3, 4, 5});
    expect_binary({2, 0, 3}, {3}, {2, 0, 3});       // empty
    expect_binary({70, 1001}, {1001}, {70, 1001});  // rows split over the pool
}

struct ActivationCase {
    ActivationOp f;
    float slope;
    std::function<double(double)> value, derivative;
};

TEST(CpuElementwiseKernels, EveryActivationForwardAndBackward) {
    auto normal_cdf = [](double v) { return 0.5 * (1.0 + std::erf(v / std::sqrt(2.0))); };
    auto normal_pdf = [](double v) { return std::exp(-0.5 * v * v) / std::sqrt(2.0 * M_PI); };
    auto sig = [](double v) { return 1.0 / (1.0 + std::exp(-v)); };
    const std::vector<ActivationCase> cases = {
        {ActivationOp::relu, 0.0f, [](double v) { return v > 0 ? v : 0.0; },
         [](double v) { return v > 0 ? 1.0 : 0.0; }},
        {ActivationOp::leaky_relu, 0.2f, [](double v) { return v > 0 ? v : 0.2 * v; },
         [](double v) { return v > 0 ? 1.0 : 0.2; }},
        {ActivationOp::leaky_relu, 0.0f, [](double v) { return v > 0 ? v : 0.0; },
         [](double v) { return v > 0 ? 1.0 : 0.0; }},
        {ActivationOp::tanh, 0.0f, [](double v) { return std::tanh(v); },
         [](double v) { return 1.0 - std::tanh(v) * std::tanh(v); }},
        {ActivationOp::sigmoid, 0.0f, sig, [&](double v) { return sig(v) * (1.0 - sig(v)); }},
        {ActivationOp::gelu, 0.0f, [&](double v) { return v * normal_cdf(v); },
         [&](double v) { return normal_cdf(v) + v * normal_pdf(v); }},
    };
    const int64_t n = 9;
    const std::vector<float> x = sample(n), g = sample(n, -0.5f);
    Tensor tx = Tensor::from_vector({n}, x), tg = Tensor::from_vector({n}, g);
    for (const ActivationCase& c : cases) {
        SCOPED_TRACE("activation " + std::to_string(static_cast<int>(c.f)) + " slope " +
                     std::to_string(c.slope));
        Tensor y = Tensor::empty({n}), dx = Tensor::empty({n});
        kernels().activation_forward(c.f, c.slope, tx.storage(), y.storage(), n);
        // tanh's and sigmoid's derivatives read the forward output, the others the input.
        const bool from_output = c.f == ActivationOp::tanh || c.f == ActivationOp::sigmoid;
        kernels().activation_backward(c.f, c.slope, tg.storage(),
                                      from_output ? y.storage() : tx.storage(), dx.storage(), n);
        const std::vector<float> yv = y.to_vector(), dv = dx.to_vector();
        for (int64_t i = 0; i < n; ++i) {
            EXPECT_NEAR(yv[i], c.value(x[i]), 2e-6) << "value at " << x[i];
            EXPECT_NEAR(dv[i], g[i] * c.derivative(x[i]), 2e-6) << "derivative at " << x[i];
        }
    }
}

TEST(CpuElementwiseKernels, ReluKeepsNonFiniteGradientsOffTheDeadSide) {
    const float inf = INFINITY;
    Tensor x = Tensor::from_vector({4}, {-inf, -1.0f, 0.0f, 2.0f});
    Tensor g = Tensor::from_vector({4}, {NAN, inf, NAN, 3.0f});
    Tensor y = Tensor::empty({4}), dx = Tensor::empty({4});
    kernels().activation_forward(ActivationOp::relu, 0.0f, x.storage(), y.storage(), 4);
    EXPECT_EQ(y.to_vector(), (std::vector<float>{0, 0, 0, 2}));
    kernels().activation_backward(ActivationOp::relu, 0.0f, g.storage(), x.storage(), dx.storage(),
                                  4);
    EXPECT_EQ(dx.to_vector(), (std::vector<float>{0, 0, 0, 3}));
}

}  // namespace
}  // namespace ganvas

// ---------------------------------------------------------------------------
// Every op of ops/elementwise.h and ops/activation.h on the emulated GPU.

namespace ganvas {
namespace {

using UnaryFn = std::function<Tensor(const Tensor&)>;

// f on the CPU and on the emulated GPU: the same values, the same input
// gradient for an upstream gradient `g`, and the output on the GPU.
void expect_same_on_gpu(const UnaryFn& f, const std::vector<float>& values, const char* what) {
    SCOPED_TRACE(what);
    EmulatedGpuScope scope;
    const int64_t n = static_cast<int64_t>(values.size());
    Tensor g = Tensor::from_vector({n}, sample(n, 0.7f));
    Tensor xc = Tensor::from_vector({n}, values).requires_grad_();
    Tensor yc = f(xc);
    yc.backward(g);

    Tensor xg = Tensor::from_vector({n}, values).to(Device::gpu).requires_grad_();
    Tensor yg = f(xg);
    ASSERT_EQ(yg.device(), Device::gpu);
    EXPECT_EQ(yg.to_vector(), yc.to_vector());
    if (!yc.requires_grad()) return;  // sign: no gradient
    yg.backward(g.to(Device::gpu));
    ASSERT_TRUE(xg.grad().defined());
    EXPECT_EQ(xg.grad().device(), Device::gpu);
    EXPECT_EQ(xg.grad().to_vector(), xc.grad().to_vector());
}

TEST(EmulatedGpuElementwise, EveryUnaryOpAndActivationMatchesTheCpu) {
    const std::vector<float> x = sample(11), p = positive(11);
    expect_same_on_gpu([](const Tensor& a) { return add_scalar(a, 0.25f); }, x, "add_scalar");
    expect_same_on_gpu([](const Tensor& a) { return mul_scalar(a, -1.5f); }, x, "mul_scalar");
    expect_same_on_gpu([](const Tensor& a) { return neg(a); }, x, "neg");
    expect_same_on_gpu([](const Tensor& a) { return pow_scalar(a, 2.0f); }, x, "square");
    expect_same_on_gpu([](const Tensor& a) { return pow_scalar(a, 1.5f); }, p, "pow");
    expect_same_on_gpu([](const Tensor& a) { return sqrt(a); }, p, "sqrt");
    expect_same_on_gpu([](const Tensor& a) { return exp(a); }, x, "exp");
    expect_same_on_gpu([](const Tensor& a) { return log(a); }, p, "log");
    expect_same_on_gpu([](const Tensor& a) { return abs(a); }, x, "abs");
    expect_same_on_gpu([](const Tensor& a) { return sign(a); }, x, "sign");
    expect_same_on_gpu([](const Tensor& a) { return clamp(a, -1.0f, 0.5f); }, x, "clamp");
    expect_same_on_gpu([](const Tensor& a) { return relu(a); }, x, "relu");
    expect_same_on_gpu([](const Tensor& a) { return leaky_relu(a, 0.2f); }, x, "leaky_relu");
    expect_same_on_gpu([](const Tensor& a) { return tanh(a); }, x, "tanh");
    expect_same_on_gpu([](const Tensor& a) { return sigmoid(a); }, x, "sigmoid");
    expect_same_on_gpu([](const Tensor& a) { return gelu(a); }, x, "gelu");
}

TEST(EmulatedGpuElementwise, BinaryOpsMatchTheCpuForwardAndBackward) {
    EmulatedGpuScope scope;
    const std::vector<float> av = sample(6), bv = positive(6);
    using BinaryFn = std::function<Tensor(const Tensor&, const Tensor&)>;
    const std::vector<std::pair<const char*, BinaryFn>> ops = {
        {"add", [](const Tensor& a, const Tensor& b) { return a + b; }},
        {"sub", [](const Tensor& a, const Tensor& b) { return a - b; }},
        {"mul", [](const Tensor& a, const Tensor& b) { return a * b; }},
        {"div", [](const Tensor& a, const Tensor& b) { return a / b; }},
    };
    Tensor g = Tensor::from_vector({2, 3}, sample(6, 0.3f));
    for (const auto& [name, f] : ops) {
        SCOPED_TRACE(name);
        Tensor ac = Tensor::from_vector({2, 3}, av).requires_grad_();
        Tensor bc = Tensor::from_vector({2, 3}, bv).requires_grad_();
        Tensor yc = f(ac, bc);
        yc.backward(g);
        Tensor ag = Tensor::from_vector({2, 3}, av).to(Device::gpu).requires_grad_();
        Tensor bg = Tensor::from_vector({2, 3}, bv).to(Device::gpu).requires_grad_();
        Tensor yg = f(ag, bg);
        EXPECT_EQ(yg.device(), Device::gpu);
        EXPECT_EQ(yg.to_vector(), yc.to_vector());
        yg.backward(g.to(Device::gpu));
        EXPECT_EQ(ag.grad().to_vector(), ac.grad().to_vector());
        EXPECT_EQ(bg.grad().to_vector(), bc.grad().to_vector());

        // BroadcastGeometry forward. (Its backward sums over the broadcast dimensions,
        // a reduction that moves behind the seam with the reduce family.)
        Tensor row = Tensor::from_vector({3}, {0.5f, 2.0f, -4.0f});
        EXPECT_EQ(f(ag.detach(), row.to(Device::gpu)).to_vector(), f(ac.detach(), row).to_vector());
        EXPECT_EQ(f(Tensor::scalar(3.0f).to(Device::gpu), bg.detach()).to_vector(),
                  f(Tensor::scalar(3.0f), bc.detach()).to_vector());
    }
    EXPECT_THROW(add(Tensor::ones({2}), Tensor::ones({2}).to(Device::gpu)), std::invalid_argument)
        << "two devices";
}

TEST(EmulatedGpuElementwise, SecondDerivativesOfActivationsMatchTheCpu) {
    EmulatedGpuScope scope;
    const std::vector<float> x = sample(9);
    const std::vector<std::pair<const char*, UnaryFn>> fs = {
        {"gelu", [](const Tensor& a) { return gelu(a); }},
        {"tanh", [](const Tensor& a) { return tanh(a); }},
        {"sigmoid", [](const Tensor& a) { return sigmoid(a); }},
        {"leaky_relu", [](const Tensor& a) { return leaky_relu(a, 0.1f); }},
    };
    Tensor w = Tensor::from_vector({9}, sample(9, 0.4f));
    for (const auto& entry : fs) {  // no binding: clang 14 cannot capture one
        SCOPED_TRACE(entry.first);
        const auto& f = entry.second;
        auto second = [&](Device d) {
            Tensor a = Tensor::from_vector({9}, x).to(d).requires_grad_();
            Tensor wd = w.to(d);
            Tensor da = grad({mul(f(a), wd)}, {a}, {Tensor::ones({9}, d)}, true)[0];
            return grad({mul(da, wd)}, {a}, {Tensor::ones({9}, d)}, false)[0];
        };
        Tensor cpu = second(Device::cpu), gpu = second(Device::gpu);
        EXPECT_EQ(gpu.device(), Device::gpu);
        EXPECT_EQ(gpu.to_vector(), cpu.to_vector());
    }
}

}  // namespace
}  // namespace ganvas
