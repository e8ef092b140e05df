// The update kernels: each CPU entry against a naive loop written here, then the
// optimizers, clipping, EMA codebook updates and code restarts on the emulated GPU
// against the same work on the CPU, bit for bit, and Module::to and checkpoints of
// device tensors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "backend/backend.h"
#include "backend/emulated_gpu.h"
#include "backend/update_kernels.h"
#include "io/safetensors.h"
#include "models/prior49.h"
#include "models/vqgan28.h"
#include "nn/layers.h"
#include "optim/optimizer.h"
#include "support/optimizer_steps.h"

namespace ganvas {
namespace {

using ganvas::testing::three_steps;
using ganvas::testing::wavy;

const UpdateKernels& cpu_update() {
    return backend_for(Device::cpu).update();
}

Tensor host(const std::vector<float>& v) {
    return Tensor::from_vector({static_cast<int64_t>(v.size())}, v);
}

// -- the CPU kernels against naive loops ------------------------------------------

TEST(CpuUpdateKernels, AdamStepMatchesANaiveLoopWithBothKindsOfWeightDecay) {
    const int64_t n = 37;  // odd, shorter than a grain
    for (bool decoupled : {false, true}) {
        AdamStep s;
        s.step_size = 0.01f;
        s.bc2_sqrt = 0.3f;
        s.beta1 = 0.9f;
        s.beta2 = 0.99f;
        s.one_minus_beta1 = 0.1f;
        s.one_minus_beta2 = 0.01f;
        s.eps = 1e-8f;
        s.weight_decay = 0.05f;
        s.decoupled = decoupled;
        s.decay = 0.9995f;
        std::vector<float> w = wavy(n, 1, 1), g = wavy(n, 0.5f, 2), m = wavy(n, 0.1f, 3),
                           v = wavy(n, 0.1f, 4);
        for (float& x : v) x = x * x;
        Tensor tw = host(w), tg = host(g), tm = host(m), tv = host(v);
        cpu_update().adam_step(s, n, tw.storage(), tg.storage(), tm.storage(), tv.storage());
        for (int64_t j = 0; j < n; ++j) {
            float gj = g[j];
            if (decoupled)
                w[j] *= s.decay;
            else
                gj += s.weight_decay * w[j];
            m[j] = m[j] * s.beta1 + gj * s.one_minus_beta1;
            v[j] = v[j] * s.beta2 + s.one_minus_beta2 * (gj * gj);
            w[j] += -s.step_size * (m[j] / (std::sqrt(v[j]) / s.bc2_sqrt + s.eps));
        }
        EXPECT_EQ(tw.to_vector(), w) << "decoupled " << decoupled;
        EXPECT_EQ(tm.to_vector(), m);
        EXPECT_EQ(tv.to_vector(), v);
    }
}

TEST(CpuUpdateKernels, SgdStepMatchesANaiveLoopWithAndWithoutMomentum) {
    const int64_t n = 41;
    const std::vector<float> w0 = wavy(n, 1, 5), g = wavy(n, 0.5f, 6), b0 = wavy(n, 0.2f, 7);
    SgdStep s;
    s.lr = 0.1f;
    s.weight_decay = 0.01f;

    Tensor tw = host(w0), tg = host(g);  // no momentum: w -= lr (g + wd w)
    cpu_update().sgd_step(s, n, tw.storage(), tg.storage(), nullptr);
    std::vector<float> w = w0;
    for (int64_t j = 0; j < n; ++j) w[j] += -s.lr * (g[j] + s.weight_decay * w[j]);
    EXPECT_EQ(tw.to_vector(), w);

    s.momentum = 0.9f;
    for (bool nesterov : {false, true})
        for (bool first : {true, false}) {
            s.nesterov = nesterov;
            s.first_momentum_step = first;
            Tensor pw = host(w0), pb = host(b0);
            cpu_update().sgd_step(s, n, pw.storage(), tg.storage(), &pb.storage());
            std::vector<float> ew = w0, eb = b0;
            for (int64_t j = 0; j < n; ++j) {
                const float d = g[j] + s.weight_decay * ew[j];
                eb[j] = first ? d : s.momentum * eb[j] + d;  // torch: the first buffer is d
                ew[j] += -s.lr * (nesterov ? d + s.momentum * eb[j] : eb[j]);
            }
            EXPECT_EQ(pw.to_vector(), ew) << "nesterov " << nesterov << " first " << first;
            EXPECT_EQ(pb.to_vector(), eb);
        }
}

TEST(CpuUpdateKernels, RmspropStepMatchesANaiveLoop) {
    const int64_t n = 29;
    RmspropStep s{0.01f, 0.99f, 0.01f, 1e-8f};
    std::vector<float> w = wavy(n, 1, 8), g = wavy(n, 0.3f, 9), v = wavy(n, 0.2f, 10);
    for (float& x : v) x = x * x;
    Tensor tw = host(w), tg = host(g), tv = host(v);
    cpu_update().rmsprop_step(s, n, tw.storage(), tg.storage(), tv.storage());
    for (int64_t j = 0; j < n; ++j) {
        v[j] = v[j] * s.alpha + s.one_minus_alpha * (g[j] * g[j]);
        w[j] += -s.lr * (g[j] / (std::sqrt(v[j]) + s.eps));
    }
    EXPECT_EQ(tw.to_vector(), w);
    EXPECT_EQ(tv.to_vector(), v);
}

TEST(CpuUpdateKernels, ClampLerpAndCountInPlace) {
    Tensor x = Tensor::from_vector({5}, {-3, -0.5f, 0, 0.25f, 7});
    cpu_update().clamp_(5, x.storage(), -0.5f, 0.5f);
    EXPECT_EQ(x.to_vector(), (std::vector<float>{-0.5f, -0.5f, 0, 0.25f, 0.5f}));

    const int64_t n = 33;
    std::vector<float> a = wavy(n, 2, 11);
    const std::vector<float> b = wavy(n, 2, 12);
    Tensor ta = host(a), tb = host(b);
    cpu_update().lerp_(n, ta.storage(), tb.storage(), 0.99f);
    for (int64_t j = 0; j < n; ++j) a[j] = 0.99f * a[j] + (1.0f - 0.99f) * b[j];
    EXPECT_EQ(ta.to_vector(), a);

    Tensor counter = Tensor::from_vector_i64({3}, {0, 5, -2});
    cpu_update().add_i64_(3, counter.storage(), 2);
    EXPECT_EQ(counter.to_vector_i64(), (std::vector<int64_t>{2, 7, 0}));
}

TEST(CpuUpdateKernels, CopyRowsWritesOnlyTheNamedRows) {
    Tensor src = Tensor::from_vector({3, 2}, {1, 2, 3, 4, 5, 6});
    Tensor dst = Tensor::zeros({4, 2});
    Tensor pairs = Tensor::from_vector_i64({2, 2}, {3, 0, 1, 2});  // dst 3 <- src 0, 1 <- 2
    cpu_update().copy_rows(2, 2, src.storage(), pairs.storage(), dst.storage());
    EXPECT_EQ(dst.to_vector(), (std::vector<float>{0, 0, 5, 6, 0, 0, 1, 2}));
}

TEST(CpuUpdateKernels, BinRowsCountsAndSumsEachBinsRows) {
    // Five rows of two values in bins 0, 2, 0, 2, 2 of three; bin 1 stays empty.
    Tensor x = Tensor::from_vector({5, 2}, {1, 2, 10, 20, 3, 4, 30, 40, 0.5f, -1});
    Tensor bins = Tensor::from_vector_i64({5}, {0, 2, 0, 2, 2});
    Tensor counts = Tensor::full({3}, 9), sums = Tensor::full({3, 2}, 9);
    cpu_update().bin_rows(5, 2, 3, x.storage(), bins.storage(), counts.storage(), sums.storage());
    EXPECT_EQ(counts.to_vector(), (std::vector<float>{2, 0, 3}));
    EXPECT_EQ(sums.to_vector(), (std::vector<float>{4, 6, 0, 0, 40.5f, 59}));
}

TEST(CpuUpdateKernels, CodebookFromEmaIsTheSmoothedMean) {
    const std::vector<float> cs = {2, 0, 3}, es = {4, 6, 0, 0, 9, -3};
    Tensor tcs = host(cs), tes = Tensor::from_vector({3, 2}, es), w = Tensor::zeros({3, 2});
    const float eps = 1e-5f;
    cpu_update().codebook_from_ema(3, 2, eps, tcs.storage(), tes.storage(), w.storage());
    const double n = 5.0;
    std::vector<float> expected(6);
    for (int k = 0; k < 3; ++k)
        for (int d = 0; d < 2; ++d)
            expected[k * 2 + d] =
                static_cast<float>(es[k * 2 + d] / ((cs[k] + eps) / (n + 3 * eps) * n));
    EXPECT_EQ(w.to_vector(), expected);
    EXPECT_NEAR(w.to_vector()[0], 2.0f, 1e-4f) << "a code is about the mean of its outputs";
}

TEST(CpuUpdateKernels, PowerIterationMatchesANaiveLoop) {
    const int64_t h = 3, w = 5;
    const std::vector<float> W = wavy(h * w, 1, 13);
    std::vector<float> u = {0.6f, 0.8f, 0}, v(w, 1.0f / std::sqrt(5.0f));
    Tensor tW = Tensor::from_vector({h, w}, W), tu = host(u), tv = host(v);
    cpu_update().power_iteration(h, w, 2, 1e-12f, tW.storage(), tu.storage(), tv.storage());
    auto normalize = [](std::vector<float>& x) {
        float sq = 0;
        for (float e : x) sq += e * e;
        const float norm = std::max(std::sqrt(sq), 1e-12f);
        for (float& e : x) e /= norm;
    };
    for (int it = 0; it < 2; ++it) {
        for (int64_t j = 0; j < w; ++j) {
            float s = 0;
            for (int64_t i = 0; i < h; ++i) s += W[i * w + j] * u[i];
            v[j] = s;
        }
        normalize(v);
        for (int64_t i = 0; i < h; ++i) {
            float s = 0;
            for (int64_t j = 0; j < w; ++j) s += W[i * w + j] * v[j];
            u[i] = s;
        }
        normalize(u);
    }
    // Dot products here and in the kernel may be contracted to fused multiply-adds
    // differently by the compiler, so equal to rounding, not bit for bit.
    for (int64_t i = 0; i < h; ++i) EXPECT_NEAR(tu.to_vector()[i], u[i], 1e-6f) << i;
    for (int64_t j = 0; j < w; ++j) EXPECT_NEAR(tv.to_vector()[j], v[j], 1e-6f) << j;
}

// -- the same work on the emulated GPU -----------------------------------------------

TEST(EmulatedGpuUpdate, OptimizerStepsEqualTheCpusBitForBit) {
    EmulatedGpuScope gpu;
    using Make = std::function<std::unique_ptr<Optimizer>(std::vector<Tensor>)>;
    const std::vector<std::pair<const char*, Make>> optimizers = {
        {"adam", [](auto p) { return std::make_unique<Adam>(p, 0.01, 0.5, 0.9, 1e-8, 0.01); }},
        {"adamw", [](auto p) { return make_adamw(p, 0.01, 0.9, 0.999, 0.1); }},
        {"sgd", [](auto p) { return std::make_unique<SGD>(p, 0.1, 0.9, 0.01, true); }},
        {"rmsprop", [](auto p) { return std::make_unique<RMSprop>(p, 0.01, 0.9); }},
    };
    for (const auto& [name, make] : optimizers) {
        const auto on_cpu = three_steps(Device::cpu, 7, 3, make);
        const auto on_gpu = three_steps(Device::gpu, 7, 3, make);
        EXPECT_EQ(on_gpu, on_cpu) << name;
    }
}

TEST(EmulatedGpuUpdate, LoadedOptimizerStateGoesToTheParametersDevice) {
    EmulatedGpuScope gpu;
    Tensor w = Tensor::from_vector({2}, {1, 2}, Device::gpu);
    w.requires_grad_();
    Adam opt({w}, 0.1);
    std::map<std::string, Tensor> state = {{"o.step", Tensor::from_vector_i64({}, {4})},
                                           {"o.0.exp_avg", Tensor::from_vector({2}, {0.1f, 0})},
                                           {"o.0.exp_avg_sq", Tensor::from_vector({2}, {1, 1})}};
    opt.load_state(state, "o", "test");
    EXPECT_EQ(opt.steps(), 4);
    for (const auto& [name, t] : opt.state("o")) {
        if (t.dtype() == DType::f32) {
            EXPECT_EQ(t.device(), Device::gpu) << name;
        }
    }
}

TEST(EmulatedGpuUpdate, WeightClippingRunsOnTheDevice) {
    EmulatedGpuScope gpu;
    const std::vector<float> values = wavy(19, 0.3f, 40);
    Tensor on_cpu = host(values), on_gpu = host(values).to(Device::gpu);
    clip_weights_({on_cpu}, 0.1f);
    clip_weights_({on_gpu}, 0.1f);
    EXPECT_EQ(on_gpu.device(), Device::gpu);
    EXPECT_EQ(on_gpu.to_vector(), on_cpu.to_vector());
    const std::vector<float> clipped = on_cpu.to_vector();
    EXPECT_EQ(*std::max_element(clipped.begin(), clipped.end()), 0.1f);
    EXPECT_EQ(*std::min_element(clipped.begin(), clipped.end()), -0.1f);
}

struct CodebookRun {
    std::vector<float> codebook, cluster_size, embed_sum;
};

// An EMA update, then two codes restarted, with the codebook and batch on `device`.
CodebookRun ema_then_restart(Device device) {
    const int64_t K = 5, D = 3, M = 9;
    Tensor codebook = Tensor::from_vector({K, D}, wavy(K * D, 0.2f, 50), device);
    CodebookEma state{Tensor::ones({K}), Tensor::from_vector({K, D}, wavy(K * D, 0.2f, 50))};
    Tensor z = Tensor::from_vector({M, D}, wavy(M * D, 1, 51), device);
    Tensor idx = Tensor::from_vector_i64({M}, {0, 1, 1, 4, 0, 4, 4, 1, 0}, device);
    ema_codebook_update(codebook, state, z, idx, 0.9f);
    EXPECT_EQ(state.embed_sum.device(), device) << "the state follows the codebook";
    restart_codes(codebook, state, z, {2, 3}, {7, 0});
    return {codebook.to_vector(), state.cluster_size.to_vector(), state.embed_sum.to_vector()};
}

TEST(EmulatedGpuUpdate, CodebookEmaAndRestartsEqualTheCpusBitForBit) {
    EmulatedGpuScope gpu;
    const CodebookRun cpu = ema_then_restart(Device::cpu), gpu_run = ema_then_restart(Device::gpu);
    EXPECT_EQ(gpu_run.codebook, cpu.codebook);
    EXPECT_EQ(gpu_run.cluster_size, cpu.cluster_size);
    EXPECT_EQ(gpu_run.embed_sum, cpu.embed_sum);
    // Restarted codes sit on their encoder outputs with a count of one.
    const std::vector<float> z = wavy(9 * 3, 1, 51);
    EXPECT_EQ(std::vector<float>(cpu.codebook.begin() + 6, cpu.codebook.begin() + 9),
              std::vector<float>(z.begin() + 21, z.begin() + 24));
    EXPECT_EQ(cpu.cluster_size[3], 1.0f);
    EXPECT_EQ(cpu.cluster_size[0], 0.9f * 1.0f + (1.0f - 0.9f) * 3.0f);
}

TEST(EmulatedGpuUpdate, CodeRowsAreCheckedOnTheHostAndStayOnTheirDevice) {
    EmulatedGpuScope gpu;
    std::vector<int64_t> grid(2 * 49);
    for (size_t i = 0; i < grid.size(); ++i) grid[i] = static_cast<int64_t>(i % 11);
    const Tensor codes = Tensor::from_vector_i64({2, 7, 7}, grid, Device::gpu);
    const Tensor rows = code_rows(codes, 11, "test codes");
    EXPECT_EQ(rows.device(), Device::gpu);
    EXPECT_EQ(rows.shape(), (Shape{2, 49}));
    EXPECT_EQ(rows.to_vector_i64(), grid);
    EXPECT_THROW(code_rows(codes, 10, "test codes"), std::invalid_argument) << "code 10";
}

// -- Module::to and checkpoints of device tensors ---------------------------------------

class TwoLayers : public Module {
public:
    explicit TwoLayers(Rng& rng) : fc(4, 3, true, rng), bn(3, 0) {
        register_module("fc", fc);
        register_module("bn", bn);
    }
    Linear fc;
    BatchNorm bn;
};

TEST(EmulatedGpuUpdate, ModuleToMovesEveryTensorInPlaceAndBack) {
    EmulatedGpuScope gpu;
    Rng rng(3);
    TwoLayers net(rng);
    const NamedTensors before = net.state_dict();
    std::vector<std::vector<float>> values;
    for (const auto& [name, t] : before)
        if (t.dtype() == DType::f32) values.push_back(t.to_vector());
    net.fc.weight.set_grad(Tensor::ones({3, 4}));

    net.to(Device::gpu);
    const NamedTensors on_gpu = net.state_dict();
    ASSERT_EQ(on_gpu.size(), before.size());
    for (size_t i = 0; i < on_gpu.size(); ++i) {
        EXPECT_TRUE(on_gpu[i].second.same(before[i].second)) << "same handle: " << on_gpu[i].first;
        EXPECT_EQ(on_gpu[i].second.device(), Device::gpu) << on_gpu[i].first;
    }
    EXPECT_EQ(net.fc.weight.grad().device(), Device::gpu) << "gradients move too";
    EXPECT_THROW(net.fc.weight.data(), std::logic_error);

    net.to(Device::cpu);
    size_t f = 0;
    for (const auto& [name, t] : net.state_dict()) {
        EXPECT_EQ(t.device(), Device::cpu) << name;
        if (t.dtype() == DType::f32) {
            EXPECT_EQ(t.to_vector(), values[f++]) << name;
        }
    }
    EXPECT_EQ(net.bn.num_batches_tracked.to_vector_i64(), (std::vector<int64_t>{0}));
}

TEST(EmulatedGpuUpdate, CheckpointsOfDeviceTensorsAreReadBack) {
    EmulatedGpuScope gpu;
    Rng rng(4);
    TwoLayers net(rng);
    Adam opt(net.parameters(), 0.1);
    net.to(Device::gpu);
    for (Tensor p : net.parameters()) p.set_grad(Tensor::ones(p.shape(), Device::gpu));
    opt.step();
    NamedTensors all = net.state_dict();
    for (auto& e : opt.state("optim")) all.push_back(e);

    const std::string path =
        (std::filesystem::temp_directory_path() / "ganvas_update_kernels_checkpoint.safetensors")
            .string();
    save_safetensors(path, all);
    const std::map<std::string, Tensor> loaded = load_safetensors_map(path);
    std::filesystem::remove(path);
    for (const auto& [name, t] : all) {
        ASSERT_TRUE(loaded.count(name)) << name;
        if (t.dtype() == DType::f32)
            EXPECT_EQ(loaded.at(name).to_vector(), t.to_vector()) << name;
        else
            EXPECT_EQ(loaded.at(name).to_vector_i64(), t.to_vector_i64()) << name;
    }
    EXPECT_EQ(loaded.at("optim.step").to_vector_i64(), (std::vector<int64_t>{1}));
}

}  // namespace
}  // namespace ganvas
