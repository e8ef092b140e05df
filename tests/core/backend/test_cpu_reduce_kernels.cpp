// The CPU reduce kernels called directly, against values computed here by
// naive loops; and every op built on them run on the emulated GPU, equal to
// the same op on the CPU, forward and backward.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "backend/backend.h"
#include "backend/emulated_gpu.h"
#include "backend/reduce_kernels.h"
#include "ops/ops.h"

namespace ganvas {
namespace {

const ReduceKernels& kernels() {
    return backend_for(Device::cpu).reduce();
}

// Distinct, irregular values so a wrong index or order shows.
std::vector<float> ramp(int64_t n, float scale = 0.37f) {
    std::vector<float> v(n);
    for (int64_t i = 0; i < n; ++i)
        v[i] = std::sin(1.3f * static_cast<float>(i) + 0.2f) * scale * 7;
    return v;
}

Tensor tensor_of(const Shape& shape, float scale = 0.37f) {
    return Tensor::from_vector(shape, ramp(shape_numel(shape), scale));
}

// x (A, B, C) summed over the dims whose flag is set, naively: each output adds its
// inputs in memory order in double, as the kernels promise.
std::vector<float> naive_sum(const std::vector<float>& x, const Shape& s, bool r0, bool r1,
                             bool r2) {
    const int64_t A = r0 ? 1 : s[0], B = r1 ? 1 : s[1], C = r2 ? 1 : s[2];
    std::vector<double> acc(A * B * C, 0.0);
    for (int64_t a = 0; a < s[0]; ++a)
        for (int64_t b = 0; b < s[1]; ++b)
            for (int64_t c = 0; c < s[2]; ++c)
                acc[((r0 ? 0 : a) * B + (r1 ? 0 : b)) * C + (r2 ? 0 : c)] +=
                    x[(a * s[1] + b) * s[2] + c];
    return std::vector<float>(acc.begin(), acc.end());
}

TEST(CpuReduceKernels, SumsEveryAxisAndSetOfAxesInMemoryOrder) {
    // (3, 5, 7): over dim 0 the wide-row path, dim 1 the strided path, dim 2 the row
    // path, {0, 2} the general odometer.
    const Shape s{3, 5, 7};
    Tensor x = tensor_of(s);
    const std::vector<float> xv = x.to_vector();
    for (int mask = 0; mask < 8; ++mask) {
        const bool r0 = mask & 1, r1 = mask & 2, r2 = mask & 4;
        std::vector<int64_t> dims;
        Shape kept = s;
        if (r0) dims.push_back(0), kept[0] = 1;
        if (r1) dims.push_back(1), kept[1] = 1;
        if (r2) dims.push_back(2), kept[2] = 1;
        Tensor y = Tensor::empty(kept);
        kernels().reduce(ReduceOp::sum, s, dims, x.storage(), y.storage());
        EXPECT_EQ(y.to_vector(), naive_sum(xv, s, r0, r1, r2)) << "mask " << mask;

        std::vector<float> mean = naive_sum(xv, s, r0, r1, r2);
        const float count = static_cast<float>((r0 ? 3 : 1) * (r1 ? 5 : 1) * (r2 ? 7 : 1));
        for (float& v : mean) v *= 1.0f / count;
        kernels().reduce(ReduceOp::mean, s, dims, x.storage(), y.storage());
        EXPECT_EQ(y.to_vector(), mean) << "mask " << mask;
    }
}

TEST(CpuReduceKernels, BroadcastsRightAlignedShapes) {
    Tensor x = Tensor::from_vector({3, 1}, {1, 2, 3});
    Tensor y = Tensor::empty({2, 3, 5});
    kernels().broadcast({3, 1}, {2, 3, 5}, x.storage(), y.storage());
    const std::vector<float> v = y.to_vector();
    for (int64_t a = 0; a < 2; ++a)
        for (int64_t b = 0; b < 3; ++b)
            for (int64_t c = 0; c < 5; ++c) EXPECT_EQ(v[(a * 3 + b) * 5 + c], b + 1.0f);
    Tensor row = Tensor::from_vector({5}, {1, 2, 3, 4, 5});
    Tensor z = Tensor::empty({3, 5});
    kernels().broadcast({5}, {3, 5}, row.storage(), z.storage());
    EXPECT_EQ(z.to_vector()[13], 4.0f);
}

TEST(CpuReduceKernels, ArgmaxTakesTheFirstTieAndNaNAsTheLargest) {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    // (2, 3, 2) along the middle axis: columns (1, 4, 4) (0, -1, nan) (7, 2, 7) (5, 5, 5)
    Tensor x = Tensor::from_vector({2, 3, 2}, {1, 0, 4, -1, 4, nan, 7, 5, 2, 5, 7, 5});
    Tensor idx = Tensor::empty({2, 2}, DType::i64);
    kernels().argmax({2, 3, 2}, x.storage(), idx.storage());
    EXPECT_EQ(idx.to_vector_i64(), (std::vector<int64_t>{1, 2, 0, 0}));
}

// Softmax of each line of x (outer, n, inner) along n, in double.
std::vector<double> naive_softmax(const std::vector<float>& x, const AxisShape& s, bool log) {
    std::vector<double> y(x.size());
    for (int64_t o = 0; o < s.outer; ++o)
        for (int64_t i = 0; i < s.inner; ++i) {
            auto at = [&](int64_t r) { return (o * s.n + r) * s.inner + i; };
            double m = -INFINITY, z = 0;
            for (int64_t r = 0; r < s.n; ++r) m = std::max(m, double(x[at(r)]));
            for (int64_t r = 0; r < s.n; ++r) z += std::exp(x[at(r)] - m);
            for (int64_t r = 0; r < s.n; ++r)
                y[at(r)] = log ? x[at(r)] - m - std::log(z) : std::exp(x[at(r)] - m) / z;
        }
    return y;
}

TEST(CpuReduceKernels, SoftmaxForwardAndBackwardAlongRowsAndStridedAxes) {
    // (3, 5, 7): along dim 2 contiguous rows, along dim 1 seven lanes together.
    const Shape shape{3, 5, 7};
    for (const AxisShape s : {AxisShape{15, 7, 1}, AxisShape{3, 5, 7}, AxisShape{1, 3, 35}}) {
        for (bool log : {false, true}) {
            const SoftmaxMode mode = log ? SoftmaxMode::log_softmax : SoftmaxMode::softmax;
            Tensor x = tensor_of(shape, 2.0f), g = tensor_of(shape, 0.5f);
            Tensor y = Tensor::empty(shape), gx = Tensor::empty(shape);
            kernels().softmax_forward(mode, s, x.storage(), y.storage());
            kernels().softmax_backward(mode, s, g.storage(), y.storage(), gx.storage());
            const std::vector<double> want = naive_softmax(x.to_vector(), s, log);
            const std::vector<float> got = y.to_vector(), gv = g.to_vector(), gxv = gx.to_vector();
            for (size_t i = 0; i < want.size(); ++i)
                EXPECT_NEAR(got[i], want[i], 1e-6 * (1 + std::fabs(want[i]))) << i;
            // gx = p * (g - sum(g * p)) or g - p * sum(g), with p the probabilities.
            for (int64_t o = 0; o < s.outer; ++o)
                for (int64_t i = 0; i < s.inner; ++i) {
                    auto at = [&](int64_t r) { return (o * s.n + r) * s.inner + i; };
                    auto p = [&](int64_t r) { return log ? std::exp(want[at(r)]) : want[at(r)]; };
                    double dot = 0;
                    for (int64_t r = 0; r < s.n; ++r) dot += gv[at(r)] * (log ? 1.0 : p(r));
                    for (int64_t r = 0; r < s.n; ++r) {
                        const double w = log ? gv[at(r)] - p(r) * dot : p(r) * (gv[at(r)] - dot);
                        EXPECT_NEAR(gxv[at(r)], w, 1e-5) << "line " << o << "," << i;
                    }
                }
        }
    }
}

TEST(CpuReduceKernels, SoftmaxGivesExactZerosForMinusInfinity) {
    const float inf = std::numeric_limits<float>::infinity();
    Tensor x = Tensor::from_vector({1, 3}, {0.5f, -inf, 0.5f});
    Tensor y = Tensor::empty({1, 3});
    kernels().softmax_forward(SoftmaxMode::softmax, {1, 3, 1}, x.storage(), y.storage());
    EXPECT_EQ(y.to_vector(), (std::vector<float>{0.5f, 0.0f, 0.5f}));
}

TEST(CpuReduceKernels, PairLossesAreMeansOverEveryElement) {
    Tensor x = tensor_of({7}, 1.0f), t = tensor_of({7}, -0.6f);
    const std::vector<float> xv = x.to_vector(), tv = t.to_vector();
    for (PairLoss op : {PairLoss::bce_with_logits, PairLoss::mse, PairLoss::l1}) {
        double want = 0;
        for (size_t i = 0; i < xv.size(); ++i) {
            const double a = xv[i], b = tv[i];
            want += op == PairLoss::mse ? (a - b) * (a - b)
                    : op == PairLoss::l1
                        ? std::fabs(a - b)
                        : std::max(a, 0.0) - a * b + std::log(1 + std::exp(-std::fabs(a)));
        }
        Tensor loss = Tensor::empty({});
        kernels().pair_loss_mean(op, 7, x.storage(), t.storage(), loss.storage());
        EXPECT_NEAR(loss.item(), want / 7, 1e-6 * (1 + want / 7)) << static_cast<int>(op);
    }
}

TEST(CpuReduceKernels, CrossEntropyForwardBackwardAndOneHot) {
    const int64_t N = 3, C = 5;
    Tensor logits = tensor_of({N, C}, 1.5f);
    Tensor target = Tensor::from_vector_i64({N}, {4, 0, 2});
    Tensor lse = Tensor::empty({N}), loss = Tensor::empty({});
    kernels().cross_entropy_forward(N, C, logits.storage(), target.storage(), lse.storage(),
                                    loss.storage());
    const std::vector<float> x = logits.to_vector();
    const std::vector<int64_t> tv = target.to_vector_i64();
    double want = 0;
    std::vector<double> want_lse(N);
    for (int64_t n = 0; n < N; ++n) {
        double z = 0;
        for (int64_t c = 0; c < C; ++c) z += std::exp(double(x[n * C + c]));
        want_lse[n] = std::log(z);
        want += want_lse[n] - x[n * C + tv[n]];
        EXPECT_NEAR(lse.to_vector()[n], want_lse[n], 1e-6);
    }
    EXPECT_NEAR(loss.item(), want / N, 1e-6);

    Tensor g = Tensor::scalar(2.0f), gx = Tensor::empty({N, C});
    kernels().cross_entropy_backward(N, C, logits.storage(), target.storage(), lse.storage(),
                                     g.storage(), 0.25f, gx.storage());
    Tensor hot = Tensor::empty({N, C});
    kernels().one_hot(N, C, target.storage(), hot.storage());
    const std::vector<float> gv = gx.to_vector(), hv = hot.to_vector();
    for (int64_t n = 0; n < N; ++n)
        for (int64_t c = 0; c < C; ++c) {
            const double onehot = c == tv[n] ? 1.0 : 0.0;
            EXPECT_EQ(hv[n * C + c], onehot);
            EXPECT_NEAR(gv[n * C + c], 0.5 * (std::exp(x[n * C + c] - want_lse[n]) - onehot), 1e-6);
        }
}

TEST(CpuReduceKernels, FindsTheFirstIndexOutOfRange) {
    Tensor found = Tensor::empty({2}, DType::i64);
    Tensor idx = Tensor::from_vector_i64({5}, {0, 2, 5, -1, 9});
    kernels().first_out_of_range(5, idx.storage(), 5, found.storage());
    EXPECT_EQ(found.to_vector_i64(), (std::vector<int64_t>{2, 5}));
    kernels().first_out_of_range(5, idx.storage(), 10, found.storage());
    EXPECT_EQ(found.to_vector_i64(), (std::vector<int64_t>{3, -1}));
    kernels().first_out_of_range(2, idx.storage(), 3, found.storage());
    EXPECT_EQ(found.to_vector_i64(), (std::vector<int64_t>{-1, 0}));
}

TEST(CpuReduceKernels, CausalMaskHidesTheFuture) {
    const float inf = std::numeric_limits<float>::infinity();
    Tensor m = Tensor::empty({3, 3});
    kernels().causal_mask(3, m.storage());
    EXPECT_EQ(m.to_vector(), (std::vector<float>{0, -inf, -inf, 0, 0, -inf, 0, 0, 0}));
}

}  // namespace
}  // namespace ganvas

// -- the ops on the emulated GPU ------------------------------------------------
namespace ganvas {
namespace {

// An op's forward value and the gradient of its inputs for an output gradient made
// here, on one device; the inputs are given on the CPU and moved.
struct Run {
    std::vector<float> value;
    std::vector<std::vector<float>> grads;
};

using Op = std::function<Tensor(const std::vector<Tensor>&)>;

Run run_on(Device device, const Op& op, const std::vector<Tensor>& cpu_inputs, bool backward) {
    std::vector<Tensor> inputs;
    for (const Tensor& t : cpu_inputs) {
        Tensor moved = t.to(device).clone();
        if (backward && moved.dtype() == DType::f32) moved.requires_grad_();
        inputs.push_back(moved);
    }
    Tensor y = op(inputs);
    EXPECT_EQ(y.device(), device);
    Run r;
    r.value = y.dtype() == DType::f32 ? y.to_vector() : std::vector<float>();
    if (y.dtype() == DType::i64)
        for (int64_t v : y.to_vector_i64()) r.value.push_back(static_cast<float>(v));
    if (!backward) return r;
    y.backward(tensor_of(y.shape(), 0.9f).to(device));
    for (const Tensor& t : inputs)
        r.grads.push_back(t.grad().defined() ? t.grad().to_vector() : std::vector<float>());
    return r;
}

// The op on the emulated GPU equals it on the CPU, value and gradients, bit for bit.
void expect_same_on_gpu(const char* name, const Op& op, const std::vector<Tensor>& inputs,
                        bool backward = true) {
    EmulatedGpuScope gpu;
    const Run cpu = run_on(Device::cpu, op, inputs, backward);
    const Run dev = run_on(Device::gpu, op, inputs, backward);
    EXPECT_EQ(dev.value, cpu.value) << name;
    EXPECT_EQ(dev.grads, cpu.grads) << name;
    if (backward) {
        EXPECT_FALSE(cpu.grads.at(0).empty()) << name << ": no gradient";
    }
}

// Ops composed from other families' ops run on the emulated GPU once those families
// are behind the seam; until then their host loops refuse device memory.
bool gpu_has(const std::function<void(const Backend&)>& family) {
    EmulatedGpuScope gpu;
    try {
        family(backend_for(Device::gpu));
        return true;
    } catch (const std::runtime_error&) {
        return false;
    }
}
bool gpu_has_elementwise() {
    return gpu_has([](const Backend& be) { be.elementwise(); });
}
bool gpu_has_layout() {
    return gpu_has([](const Backend& be) { be.layout(); });
}

TEST(ReduceOpsOnEmulatedGpu, SumsAndBroadcastsMatchTheCpu) {
    Tensor x = tensor_of({3, 5, 7});
    expect_same_on_gpu("sum", [](const auto& in) { return sum(in[0]); }, {x});
    expect_same_on_gpu("sum dims", [](const auto& in) { return sum(in[0], {0, 2}); }, {x});
    expect_same_on_gpu("sum keepdim", [](const auto& in) { return sum(in[0], {1}, true); }, {x});
    expect_same_on_gpu("sum_to", [](const auto& in) { return sum_to(in[0], {5, 1}); }, {x});
    expect_same_on_gpu("broadcast_to",
                       [](const auto& in) {
                           return broadcast_to(in[0], {2, 3, 5, 7});
                       },
                       {x});
    expect_same_on_gpu(
        "mean", [](const auto& in) { return mean(in[0], {2}); }, {x}, gpu_has_elementwise());
    expect_same_on_gpu(
        "mean all", [](const auto& in) { return mean(in[0]); }, {x}, gpu_has_elementwise());
}

TEST(ReduceOpsOnEmulatedGpu, SoftmaxAndArgmaxMatchTheCpu) {
    Tensor x = tensor_of({3, 5, 7}, 3.0f);
    for (int64_t dim : {0, 1, 2}) {
        expect_same_on_gpu("softmax", [dim](const auto& in) { return softmax(in[0], dim); }, {x});
        expect_same_on_gpu("log_softmax", [dim](const auto& in) { return log_softmax(in[0], dim); },
                           {x});
        expect_same_on_gpu(
            "argmax", [dim](const auto& in) { return argmax(in[0], dim); }, {x}, false);
    }
}

TEST(ReduceOpsOnEmulatedGpu, CrossEntropyMatchesTheCpuAndChecksTargetsOnTheDevice) {
    Tensor logits = tensor_of({4, 5}, 2.0f);
    Tensor target = Tensor::from_vector_i64({4}, {4, 0, 2, 2});
    expect_same_on_gpu("cross_entropy", [](const auto& in) { return cross_entropy(in[0], in[1]); },
                       {logits, target});
    EmulatedGpuScope gpu;
    Tensor bad = Tensor::from_vector_i64({4}, {4, 0, 7, -1}).to(Device::gpu);
    try {
        cross_entropy(logits.to(Device::gpu), bad);
        FAIL() << "a target out of range is refused";
    } catch (const std::invalid_argument& e) {
        EXPECT_EQ(std::string(e.what()),
                  "cross_entropy: target 7 at index 2 is out of range for 5 classes (logits "
                  "(4, 5))");
    }
}

TEST(ReduceOpsOnEmulatedGpu, LossesMatchTheCpu) {
    Tensor x = tensor_of({3, 7}, 1.0f), t = tensor_of({3, 7}, -0.4f);
    const bool backward = gpu_has_elementwise();
    expect_same_on_gpu(
        "bce", [](const auto& in) { return binary_cross_entropy_with_logits(in[0], in[1]); },
        {x, t}, backward);
    expect_same_on_gpu(
        "mse", [](const auto& in) { return mse_loss(in[0], in[1]); }, {x, t}, backward);
    expect_same_on_gpu(
        "l1", [](const auto& in) { return l1_loss(in[0], in[1]); }, {x, t}, backward);
    ASSERT_TRUE(backward) << "the hinge losses need elementwise kernels behind the seam";
    expect_same_on_gpu("hinge_d", [](const auto& in) { return hinge_d_loss(in[0], in[1]); },
                       {x, t});
    expect_same_on_gpu("hinge_g", [](const auto& in) { return hinge_g_loss(in[0]); }, {x});
}

TEST(ReduceOpsOnEmulatedGpu, CausalAttentionMatchesTheCpu) {
    Tensor mask = causal_mask(4);
    EXPECT_EQ(mask.device(), Device::cpu);
    EXPECT_TRUE(std::isinf(mask.to_vector()[1]));
    if (!gpu_has_elementwise() || !gpu_has_layout())
        FAIL() << "attention needs elementwise and layout kernels behind the seam";
    Tensor qkv = tensor_of({2, 4, 12}, 1.0f);
    expect_same_on_gpu("attention", [](const auto& in) { return causal_self_attention(in[0], 2); },
                       {qkv});
}

}  // namespace
}  // namespace ganvas
