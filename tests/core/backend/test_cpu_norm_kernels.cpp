// The CPU's normalization kernels called directly, against naive double loops
// written here, and every norm op on the emulated GPU against the CPU: equal
// forward, backward and double backward, so no op reads device memory on the host.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "backend/backend.h"
#include "backend/emulated_gpu.h"
#include "backend/norm_kernels.h"
#include "ops/ops.h"

namespace ganvas {
namespace {

const NormKernels& cpu_norm() {
    return backend_for(Device::cpu).norm();
}

std::vector<float> random_values(int64_t n, uint32_t seed, float offset = 0.0f) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> dist(0.0f, 1.5f);
    std::vector<float> v(n);
    for (float& x : v) x = offset + dist(rng);
    return v;
}

Tensor random_tensor(const Shape& shape, uint32_t seed, float offset = 0.0f) {
    return Tensor::from_vector(shape, random_values(shape_numel(shape), seed, offset));
}

void expect_near_all(const Tensor& got, const std::vector<double>& want, double tol,
                     const char* what) {
    const std::vector<float> g = got.to_vector();
    ASSERT_EQ(g.size(), want.size()) << what;
    for (size_t i = 0; i < g.size(); ++i)
        ASSERT_NEAR(g[i], want[i], tol * (1.0 + std::abs(want[i]))) << what << " at " << i;
}

// -- naive references, (outer, channels, inner) -------------------------------

struct Stats {
    std::vector<double> mean, var;  // biased variance, one per statistic group
};

// The statistic group of element (o, c, i): its channel in batch mode, its row in layer mode.
int64_t group_of(NormMode mode, int64_t o, int64_t c) {
    return mode == NormMode::batch ? c : o;
}

Stats naive_stats(NormMode mode, const ChannelLayout& l, const std::vector<float>& x) {
    const int64_t groups = mode == NormMode::batch ? l.channels : l.outer;
    const double count = static_cast<double>(l.numel()) / groups;
    Stats s{std::vector<double>(groups, 0.0), std::vector<double>(groups, 0.0)};
    for (int64_t o = 0; o < l.outer; ++o)
        for (int64_t c = 0; c < l.channels; ++c)
            for (int64_t i = 0; i < l.inner; ++i)
                s.mean[group_of(mode, o, c)] += x[(o * l.channels + c) * l.inner + i];
    for (double& m : s.mean) m /= count;
    for (int64_t o = 0; o < l.outer; ++o)
        for (int64_t c = 0; c < l.channels; ++c)
            for (int64_t i = 0; i < l.inner; ++i) {
                const int64_t grp = group_of(mode, o, c);
                const double d = x[(o * l.channels + c) * l.inner + i] - s.mean[grp];
                s.var[grp] += d * d;
            }
    for (double& v : s.var) v /= count;
    return s;
}

struct Grads {
    std::vector<double> gx, gw, gb;
};

// The gradients of y = xhat * w + b, xhat = (x - mean) / sqrt(var + eps), from the
// textbook formula gx = invstd * (gh - mean(gh) - xhat * mean(gh * xhat)), gh = g * w.
Grads naive_backward(NormMode mode, const ChannelLayout& l, const std::vector<float>& g,
                     const std::vector<float>& x, const std::vector<float>& w, float eps) {
    const Stats s = naive_stats(mode, l, x);
    const int64_t groups = s.mean.size();
    const double count = static_cast<double>(l.numel()) / groups;
    std::vector<double> xhat(x.size()), gh(x.size()), m1(groups, 0.0), m2(groups, 0.0);
    Grads r{std::vector<double>(x.size()), std::vector<double>(l.channels, 0.0),
            std::vector<double>(l.channels, 0.0)};
    for (int64_t o = 0; o < l.outer; ++o)
        for (int64_t c = 0; c < l.channels; ++c)
            for (int64_t i = 0; i < l.inner; ++i) {
                const int64_t k = (o * l.channels + c) * l.inner + i, grp = group_of(mode, o, c);
                xhat[k] = (x[k] - s.mean[grp]) / std::sqrt(s.var[grp] + eps);
                gh[k] = g[k] * (w.empty() ? 1.0 : w[c]);
                m1[grp] += gh[k] / count;
                m2[grp] += gh[k] * xhat[k] / count;
                r.gw[c] += g[k] * xhat[k];
                r.gb[c] += g[k];
            }
    for (int64_t o = 0; o < l.outer; ++o)
        for (int64_t c = 0; c < l.channels; ++c)
            for (int64_t i = 0; i < l.inner; ++i) {
                const int64_t k = (o * l.channels + c) * l.inner + i, grp = group_of(mode, o, c);
                r.gx[k] = (gh[k] - m1[grp] - xhat[k] * m2[grp]) / std::sqrt(s.var[grp] + eps);
            }
    return r;
}

// Batch mode over (N, C, S) with S > 1, S == 1 and odd sizes; layer mode over (R, D).
struct Case {
    NormMode mode;
    ChannelLayout l;
};
const Case kCases[] = {
    {NormMode::batch, {3, 5, 7}},   {NormMode::batch, {9, 3, 1}},
    {NormMode::batch, {2, 300, 1}},  // more channels than one column block
    {NormMode::layer, {5, 7, 1}},   {NormMode::layer, {1, 13, 1}},
};

std::string name_of(const Case& c) {
    return std::string(c.mode == NormMode::batch ? "batch " : "layer ") + "(" +
           std::to_string(c.l.outer) + ", " + std::to_string(c.l.channels) + ", " +
           std::to_string(c.l.inner) + ")";
}

TEST(CpuNormKernels, ForwardNormalizesEachGroupAndAppliesTheAffine) {
    const float eps = 1e-5f;
    for (const Case& k : kCases) {
        SCOPED_TRACE(name_of(k));
        const ChannelLayout& l = k.l;
        const int64_t groups = k.mode == NormMode::batch ? l.channels : l.outer;
        Tensor x = random_tensor({l.numel()}, 1, 3.0f);  // a mean far from 0
        Tensor w = random_tensor({l.channels}, 2), b = random_tensor({l.channels}, 3);
        for (bool affine : {true, false}) {
            Tensor y = Tensor::empty({l.numel()});
            Tensor mean = Tensor::empty({groups}), invstd = Tensor::empty({groups});
            cpu_norm().forward(k.mode, l, x.storage(), affine ? &w.storage() : nullptr,
                               affine ? &b.storage() : nullptr, eps, nullptr, y.storage(),
                               mean.storage(), invstd.storage());
            const Stats s = naive_stats(k.mode, l, x.to_vector());
            std::vector<double> want(l.numel()), want_invstd(groups);
            for (int64_t o = 0; o < l.outer; ++o)
                for (int64_t c = 0; c < l.channels; ++c)
                    for (int64_t i = 0; i < l.inner; ++i) {
                        const int64_t e = (o * l.channels + c) * l.inner + i;
                        const int64_t grp = group_of(k.mode, o, c);
                        const double xhat =
                            (x.to_vector()[e] - s.mean[grp]) / std::sqrt(s.var[grp] + eps);
                        want[e] = affine ? xhat * w.to_vector()[c] + b.to_vector()[c] : xhat;
                    }
            for (int64_t gi = 0; gi < groups; ++gi)
                want_invstd[gi] = 1.0 / std::sqrt(s.var[gi] + eps);
            expect_near_all(y, want, 1e-4, "y");  // x * scale + shift in float
            expect_near_all(mean, s.mean, 1e-6, "mean");
            expect_near_all(invstd, want_invstd, 1e-5, "invstd");
        }
    }
}

TEST(CpuNormKernels, BatchForwardUpdatesTheRunningStatisticsWithMomentum) {
    for (const ChannelLayout& l : {ChannelLayout{4, 3, 5}, ChannelLayout{7, 3, 1}}) {
        Tensor x = random_tensor({l.numel()}, 4, -2.0f);
        Tensor rm = random_tensor({l.channels}, 5), rv = Tensor::full({l.channels}, 2.0f);
        const std::vector<float> rm0 = rm.to_vector(), rv0 = rv.to_vector();
        Tensor y = Tensor::empty({l.numel()});
        Tensor mean = Tensor::empty({l.channels}), invstd = Tensor::empty({l.channels});
        const RunningStats running{&rm.storage(), &rv.storage(), 0.3f};
        cpu_norm().forward(NormMode::batch, l, x.storage(), nullptr, nullptr, 1e-5f, &running,
                           y.storage(), mean.storage(), invstd.storage());
        const Stats s = naive_stats(NormMode::batch, l, x.to_vector());
        const double count = l.outer * l.inner;
        std::vector<double> want_m(l.channels), want_v(l.channels);
        for (int64_t c = 0; c < l.channels; ++c) {
            want_m[c] = 0.7 * rm0[c] + 0.3 * s.mean[c];
            want_v[c] = 0.7 * rv0[c] + 0.3 * s.var[c] * count / (count - 1);  // unbiased
        }
        expect_near_all(rm, want_m, 1e-6, "running_mean");
        expect_near_all(rv, want_v, 1e-6, "running_var");
    }
}

TEST(CpuNormKernels, BackwardGivesTheGradientsOfEachOutputAskedFor) {
    const float eps = 1e-5f;
    for (const Case& k : kCases) {
        SCOPED_TRACE(name_of(k));
        const ChannelLayout& l = k.l;
        const int64_t groups = k.mode == NormMode::batch ? l.channels : l.outer;
        Tensor x = random_tensor({l.numel()}, 6, 1.0f), g = random_tensor({l.numel()}, 7);
        Tensor w = random_tensor({l.channels}, 8);
        Tensor y = Tensor::empty({l.numel()});
        Tensor mean = Tensor::empty({groups}), invstd = Tensor::empty({groups});
        cpu_norm().forward(k.mode, l, x.storage(), &w.storage(), nullptr, eps, nullptr, y.storage(),
                           mean.storage(), invstd.storage());
        for (bool weighted : {true, false}) {
            const Grads want = naive_backward(k.mode, l, g.to_vector(), x.to_vector(),
                                              weighted ? w.to_vector() : std::vector<float>{}, eps);
            Tensor gx = Tensor::empty({l.numel()});
            Tensor gw = Tensor::empty({l.channels}), gb = Tensor::empty({l.channels});
            cpu_norm().backward(k.mode, l, g.storage(), x.storage(),
                                weighted ? &w.storage() : nullptr, mean.storage(), invstd.storage(),
                                &gx.storage(), &gw.storage(), &gb.storage());
            expect_near_all(gx, want.gx, 2e-4, "gx");
            expect_near_all(gw, want.gw, 2e-4, "gweight");
            expect_near_all(gb, want.gb, 2e-5, "gbias");

            // Only the input gradient, then only the bias gradient: the others stay untouched.
            Tensor gx_only = Tensor::empty({l.numel()});
            cpu_norm().backward(k.mode, l, g.storage(), x.storage(),
                                weighted ? &w.storage() : nullptr, mean.storage(), invstd.storage(),
                                &gx_only.storage(), nullptr, nullptr);
            EXPECT_EQ(gx_only.to_vector(), gx.to_vector());
            Tensor gb_only = Tensor::full({l.channels}, 123.0f);
            cpu_norm().backward(k.mode, l, g.storage(), x.storage(),
                                weighted ? &w.storage() : nullptr, mean.storage(), invstd.storage(),
                                nullptr, nullptr, &gb_only.storage());
            EXPECT_EQ(gb_only.to_vector(), gb.to_vector());
        }
    }
}

TEST(CpuNormKernels, LayerModeRefusesAnInnerExtent) {
    Tensor x = Tensor::ones({12}), y = Tensor::empty({12});
    Tensor m = Tensor::empty({2}), s = Tensor::empty({2});
    EXPECT_THROW(cpu_norm().forward(NormMode::layer, {2, 3, 2}, x.storage(), nullptr, nullptr,
                                    1e-5f, nullptr, y.storage(), m.storage(), s.storage()),
                 std::invalid_argument);
}

TEST(CpuNormKernels, ChannelPrimitivesMatchPlainLoops) {
    for (const ChannelLayout& l :
         {ChannelLayout{3, 5, 7}, ChannelLayout{4, 3, 1}, ChannelLayout{2, 2, 0}}) {
        SCOPED_TRACE(std::to_string(l.inner));
        Tensor x = random_tensor({l.numel()}, 9);
        Tensor scale = random_tensor({l.channels}, 10), shift = random_tensor({l.channels}, 11);
        const std::vector<float> px = x.to_vector(), ps = scale.to_vector(), pb = shift.to_vector();
        std::vector<double> affine(l.numel()), scaled(l.numel()), sums(l.channels, 0.0),
            spread(l.numel());
        for (int64_t o = 0; o < l.outer; ++o)
            for (int64_t c = 0; c < l.channels; ++c)
                for (int64_t i = 0; i < l.inner; ++i) {
                    const int64_t e = (o * l.channels + c) * l.inner + i;
                    affine[e] = static_cast<double>(px[e]) * ps[c] + pb[c];
                    scaled[e] = static_cast<double>(px[e]) * ps[c];
                    sums[c] += px[e];
                    spread[e] = ps[c];
                }
        Tensor y = Tensor::empty({l.numel()});
        cpu_norm().channel_affine(l, x.storage(), &scale.storage(), &shift.storage(), y.storage());
        expect_near_all(y, affine, 1e-6, "channel_affine");
        cpu_norm().channel_affine(l, x.storage(), &scale.storage(), nullptr, y.storage());
        expect_near_all(y, scaled, 1e-6, "channel_affine without shift");
        Tensor s = Tensor::empty({l.channels});
        cpu_norm().channel_sum(l, x.storage(), s.storage());
        expect_near_all(s, sums, 1e-5, "channel_sum");
        cpu_norm().channel_broadcast(l, scale.storage(), y.storage());
        expect_near_all(y, spread, 0.0, "channel_broadcast");
    }
}

// The layer norm backward sums a row of g * w kept in a scratch buffer with
// Eigen, whose vectorized sums add the values before the first aligned
// address separately; a scratch buffer wherever malloc put it made the
// result's last bit depend on the heap. The same call must give the same bits
// however the heap is laid out.
TEST(CpuNormKernels, LayerBackwardDoesNotDependOnWhereTheHeapPutsItsScratch) {
    const ChannelLayout l{3, 1000, 1};
    Tensor x = random_tensor({l.numel()}, 30, 1.0f), g = random_tensor({l.numel()}, 31);
    Tensor w = random_tensor({l.channels}, 32);
    Tensor y = Tensor::empty({l.numel()}), mean = Tensor::empty({3}), rstd = Tensor::empty({3});
    cpu_norm().forward(NormMode::layer, l, x.storage(), &w.storage(), nullptr, 1e-5f, nullptr,
                       y.storage(), mean.storage(), rstd.storage());
    std::vector<float> first;
    std::vector<std::vector<char>> shift_the_heap;
    for (int k = 0; k < 8; ++k) {
        shift_the_heap.emplace_back(4000 + 16 * k);  // the size of the scratch row, or near
        Tensor gx = Tensor::empty({l.numel()});
        cpu_norm().backward(NormMode::layer, l, g.storage(), x.storage(), &w.storage(),
                            mean.storage(), rstd.storage(), &gx.storage(), nullptr, nullptr);
        if (k == 0)
            first = gx.to_vector();
        else
            ASSERT_EQ(gx.to_vector(), first) << "heap shifted by " << k;
    }
}

// -- the ops on the emulated GPU ----------------------------------------------

void expect_equal(const Tensor& gpu, const Tensor& cpu, const char* what) {
    ASSERT_EQ(gpu.defined(), cpu.defined()) << what;
    if (!cpu.defined()) return;
    EXPECT_EQ(gpu.device(), Device::gpu) << what;
    EXPECT_EQ(gpu.shape(), cpu.shape()) << what;
    EXPECT_EQ(gpu.to_vector(), cpu.to_vector()) << what;
}

// Batch norm's eval mode and double backward are composed from its channel
// primitives and elementwise ops; layer norm's double backward also from
// reductions. Those families move behind the seam separately: each probe is
// empty when its ops run on the emulated GPU, else says why not.
std::string probe_on_gpu(const std::function<void()>& ops) {
    try {
        ops();
    } catch (const std::logic_error& e) {
        return e.what();
    }
    return "";
}
std::string elementwise_missing_on_gpu() {
    return probe_on_gpu([] {
        Tensor a = Tensor::ones({2, 3}, Device::gpu), v = Tensor::ones({3}, Device::gpu);
        Tensor r = sub(mul(a, v), neg(add(a, mul_scalar(a, 0.5f))));
        pow_scalar(add_scalar(r, 1.0f), -0.5f).to_vector();
    });
}
std::string reduction_missing_on_gpu() {
    return probe_on_gpu([] {
        Tensor a = Tensor::ones({2, 3}, Device::gpu);
        sum_to(mean(a, {-1}, true), {1}).to_vector();
    });
}

// Every family is behind the seam now: an op that reads device memory on the host fails.
#define FAIL_IF_MISSING_ON_GPU(probe)                  \
    if (const std::string why = probe(); !why.empty()) \
    FAIL() << #probe << " (an op read device memory on the host): " << why

// Runs `op` on CPU leaves and on their copies on the emulated GPU; checks the
// outputs, the first derivatives for an output gradient g, and (create_graph)
// the derivatives of <first derivative in x, h> for a fixed h, are equal bit for bit.
void expect_same_on_gpu(const std::function<Tensor(const std::vector<Tensor>&)>& op,
                        const std::vector<Tensor>& inputs, bool second_order) {
    std::vector<Tensor> cpu_in, gpu_in;
    for (const Tensor& t : inputs) {
        cpu_in.push_back(t.clone().requires_grad_());
        gpu_in.push_back(t.to(Device::gpu).requires_grad_());
    }
    Tensor y_cpu = op(cpu_in), y_gpu = op(gpu_in);
    expect_equal(y_gpu, y_cpu, "forward");
    Tensor g = random_tensor(y_cpu.shape(), 21);
    std::vector<Tensor> d_cpu = grad({y_cpu}, cpu_in, {g});
    std::vector<Tensor> d_gpu = grad({y_gpu}, gpu_in, {g.to(Device::gpu)});
    for (size_t i = 0; i < d_cpu.size(); ++i) expect_equal(d_gpu[i], d_cpu[i], "backward");
    if (!second_order) return;
    Tensor h = random_tensor(inputs[0].shape(), 27);
    auto second = [&](const std::vector<Tensor>& in, const Tensor& y, const Tensor& gy) {
        std::vector<Tensor> d = grad({y}, {in[0]}, {gy}, true);
        return grad({d[0]}, in, {in[0].device() == Device::gpu ? h.to(Device::gpu) : h});
    };
    std::vector<Tensor> dd_cpu = second(cpu_in, y_cpu, g);
    std::vector<Tensor> dd_gpu = second(gpu_in, y_gpu, g.to(Device::gpu));
    for (size_t i = 0; i < dd_cpu.size(); ++i)
        expect_equal(dd_gpu[i], dd_cpu[i], "double backward");
}

// batch_norm in training mode with running buffers on the GPU side; `second_order`
// as in expect_same_on_gpu.
void check_batch_norm_training(bool second_order) {
    for (const Shape& shape : {Shape{3, 4, 5, 3}, Shape{7, 5}}) {
        SCOPED_TRACE(shape_str(shape));
        const int64_t c = shape[1];
        Tensor rm_cpu = random_tensor({c}, 12), rv_cpu = Tensor::ones({c});
        Tensor rm_gpu = rm_cpu.to(Device::gpu), rv_gpu = rv_cpu.to(Device::gpu);
        Tensor x = random_tensor(shape, 13, 2.0f);
        Tensor w = random_tensor({c}, 14), b = random_tensor({c}, 15);
        expect_same_on_gpu(
            [&](const std::vector<Tensor>& in) {
                const bool gpu_side = in[0].device() == Device::gpu;
                return batch_norm(in[0], gpu_side ? rm_gpu : rm_cpu, gpu_side ? rv_gpu : rv_cpu,
                                  in[1], in[2], true, 0.2f);
            },
            {x, w, b}, second_order);
        EXPECT_EQ(rm_gpu.device(), Device::gpu);
        EXPECT_EQ(rm_gpu.to_vector(), rm_cpu.to_vector());
        EXPECT_EQ(rv_gpu.to_vector(), rv_cpu.to_vector());
        EXPECT_NE(rv_cpu.to_vector(), std::vector<float>(c, 1.0f)) << "the buffers moved";
    }
    expect_same_on_gpu(
        [](const std::vector<Tensor>& in) {
            return batch_norm(in[0], Tensor(), Tensor(), Tensor(), Tensor(), true);
        },
        {random_tensor({5, 3, 2, 2}, 16)}, second_order);
}

void check_layer_norm(bool second_order) {
    expect_same_on_gpu(
        [](const std::vector<Tensor>& in) { return layer_norm(in[0], in[1], in[2]); },
        {random_tensor({2, 3, 7}, 22, 1.0f), random_tensor({7}, 23), random_tensor({7}, 24)},
        second_order);
    expect_same_on_gpu(
        [](const std::vector<Tensor>& in) { return layer_norm(in[0], Tensor(), Tensor()); },
        {random_tensor({5, 9}, 25)}, second_order);
}

TEST(NormOnEmulatedGpu, BatchNormTrainingMatchesTheCpuAndUpdatesItsBuffersThere) {
    EmulatedGpuScope gpu;
    check_batch_norm_training(false);
}

TEST(NormOnEmulatedGpu, LayerNormMatchesTheCpu) {
    EmulatedGpuScope gpu;
    check_layer_norm(false);
}

TEST(NormOnEmulatedGpu, OutputsStayInDeviceMemory) {
    EmulatedGpuScope gpu;
    Tensor y = layer_norm(random_tensor({3, 4}, 26).to(Device::gpu), Tensor(), Tensor());
    EXPECT_THROW(y.data(), std::logic_error);
}

TEST(NormOnEmulatedGpu, BuffersOnAnotherDeviceAreRefusedAndLeftAlone) {
    EmulatedGpuScope gpu;
    Tensor x = random_tensor({4, 3}, 28).to(Device::gpu);
    Tensor rm = Tensor::zeros({3}), rv = Tensor::ones({3});
    try {
        batch_norm(x, rm, rv, Tensor(), Tensor(), true);
        ADD_FAILURE() << "a cpu running_mean with a gpu input was accepted";
    } catch (const std::invalid_argument& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("batch_norm"), std::string::npos) << msg;
        EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    }
    EXPECT_EQ(rm.to_vector(), std::vector<float>(3, 0.0f));
    EXPECT_EQ(rv.to_vector(), std::vector<float>(3, 1.0f));
    EXPECT_THROW(layer_norm(x, Tensor::ones({3}), Tensor()), std::invalid_argument);
}

TEST(NormOnEmulatedGpu, BatchNormDoubleBackwardMatchesTheCpu) {
    EmulatedGpuScope gpu;
    FAIL_IF_MISSING_ON_GPU(elementwise_missing_on_gpu);
    check_batch_norm_training(true);
}

TEST(NormOnEmulatedGpu, LayerNormDoubleBackwardMatchesTheCpu) {
    EmulatedGpuScope gpu;
    FAIL_IF_MISSING_ON_GPU(elementwise_missing_on_gpu);
    FAIL_IF_MISSING_ON_GPU(reduction_missing_on_gpu);
    check_layer_norm(true);
}

TEST(NormOnEmulatedGpu, BatchNormEvalMatchesTheCpu) {
    EmulatedGpuScope gpu;
    FAIL_IF_MISSING_ON_GPU(elementwise_missing_on_gpu);
    Tensor rm = random_tensor({4}, 17), rv = Tensor::full({4}, 0.5f);
    Tensor rm_gpu = rm.to(Device::gpu), rv_gpu = rv.to(Device::gpu);
    expect_same_on_gpu(
        [&](const std::vector<Tensor>& in) {
            const bool gpu_side = in[0].device() == Device::gpu;
            return batch_norm(in[0], gpu_side ? rm_gpu : rm, gpu_side ? rv_gpu : rv, in[1], in[2],
                              false);
        },
        {random_tensor({2, 4, 3, 3}, 18), random_tensor({4}, 19), random_tensor({4}, 20)}, true);
}

}  // namespace
}  // namespace ganvas
