// The OpenGL backend's update kernels called directly against the CPU's on the
// same inputs (odd sizes, every mode and flag), then the optimizers, the EMA
// codebook update and code restarts on GL tensors against the same work on the
// CPU. Runs on Mesa's llvmpipe where there is no GPU; skipped only where no GL
// 4.3 opens.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "backend/backend.h"
#include "backend/update_kernels.h"
#include "models/vqgan28.h"
#include "nn/layers.h"
#include "optim/optimizer.h"
#include "support/optimizer_steps.h"
#include "support/relative_error.h"

namespace ganvas {
namespace {

using ganvas::testing::three_steps;
using ganvas::testing::wavy;

using ganvas::testing::relative_error;

class GlUpdateKernels : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        if (!backend_available(Device::gpu, &why)) GTEST_SKIP() << "no OpenGL backend: " << why;
    }
};

std::vector<float> squares(std::vector<float> v) {
    for (float& x : v) x = x * x;
    return v;
}

// Runs `kernel` on the CPU's copies of `tensors` and on the GPU's; they are updated in
// place, so each comes back read from both devices: [device][tensor].
using Kernel = std::function<void(const UpdateKernels&, std::vector<Tensor>&)>;

std::vector<Tensor> run_on(Device d, const std::vector<Tensor>& tensors, const Kernel& kernel) {
    std::vector<Tensor> on;
    for (const Tensor& t : tensors) on.push_back(t.clone().to(d));  // the inputs stay as they are
    kernel(backend_for(d).update(), on);
    EXPECT_EQ(on.empty() ? d : on[0].device(), d);
    return on;
}

// Every f32 tensor within `tolerance` of the CPU's (relative), every i64 one equal.
void expect_close(const std::vector<Tensor>& tensors, const Kernel& kernel, double tolerance,
                  const std::string& what) {
    const std::vector<Tensor> cpu = run_on(Device::cpu, tensors, kernel);
    const std::vector<Tensor> gpu = run_on(Device::gpu, tensors, kernel);
    for (size_t i = 0; i < tensors.size(); ++i) {
        if (tensors[i].dtype() == DType::i64) {
            EXPECT_EQ(gpu[i].to_vector_i64(), cpu[i].to_vector_i64()) << what << ", tensor " << i;
            continue;
        }
        const std::vector<float> expected = cpu[i].to_vector(), actual = gpu[i].to_vector();
        if (tolerance == 0) {
            ASSERT_EQ(actual.size(), expected.size());
            for (size_t j = 0; j < expected.size(); ++j)
                if (std::isnan(expected[j]))
                    EXPECT_TRUE(std::isnan(actual[j])) << what << ", tensor " << i << " at " << j;
                else
                    EXPECT_EQ(actual[j], expected[j]) << what << ", tensor " << i << " at " << j;
        } else {
            EXPECT_LE(relative_error(expected, actual), tolerance) << what << ", tensor " << i;
        }
    }
}

Tensor vec(const std::vector<float>& v) {
    return Tensor::from_vector({static_cast<int64_t>(v.size())}, v);
}

const int64_t kSizes[] = {7, 257, 65537};

TEST_F(GlUpdateKernels, AdamStepMatchesTheCpuWithEveryKindOfWeightDecay) {
    for (int64_t n : kSizes)
        for (float wd : {0.0f, 0.05f})
            for (bool decoupled : {false, true}) {
                AdamStep s;
                s.step_size = 0.01f;
                s.bc2_sqrt = 0.3f;
                s.beta1 = 0.9f;
                s.beta2 = 0.99f;
                s.one_minus_beta1 = 0.1f;
                s.one_minus_beta2 = 0.01f;
                s.eps = 1e-8f;
                s.weight_decay = wd;
                s.decoupled = decoupled;
                s.decay = 1.0f - 0.01f * wd;
                expect_close(
                    {vec(wavy(n, 1, 1)), vec(wavy(n, 0.5f, 2)), vec(wavy(n, 0.1f, 3)),
                     vec(squares(wavy(n, 0.1f, 4)))},
                    [&](const UpdateKernels& k, std::vector<Tensor>& t) {
                        k.adam_step(s, n, t[0].storage(), t[1].storage(), t[2].storage(),
                                    t[3].storage());
                    },
                    2e-5,
                    "n " + std::to_string(n) + " wd " + std::to_string(wd) + " decoupled " +
                        std::to_string(decoupled));
            }
}

TEST_F(GlUpdateKernels, SgdStepMatchesTheCpuInEveryMode) {
    for (int64_t n : kSizes) {
        for (float wd : {0.0f, 0.01f}) {
            SgdStep s;
            s.lr = 0.1f;
            s.weight_decay = wd;
            expect_close(
                {vec(wavy(n, 1, 5)), vec(wavy(n, 0.5f, 6))},
                [&](const UpdateKernels& k, std::vector<Tensor>& t) {
                    k.sgd_step(s, n, t[0].storage(), t[1].storage(), nullptr);
                },
                2e-5, "no momentum, n " + std::to_string(n));
        }
        for (bool nesterov : {false, true})
            for (bool first : {false, true}) {
                SgdStep s;
                s.lr = 0.1f;
                s.momentum = 0.9f;
                s.weight_decay = 0.01f;
                s.nesterov = nesterov;
                s.first_momentum_step = first;
                expect_close(
                    {vec(wavy(n, 1, 5)), vec(wavy(n, 0.5f, 6)), vec(wavy(n, 0.2f, 7))},
                    [&](const UpdateKernels& k, std::vector<Tensor>& t) {
                        k.sgd_step(s, n, t[0].storage(), t[1].storage(), &t[2].storage());
                    },
                    2e-5,
                    "n " + std::to_string(n) + " nesterov " + std::to_string(nesterov) + " first " +
                        std::to_string(first));
            }
    }
}

TEST_F(GlUpdateKernels, RmspropStepMatchesTheCpu) {
    for (int64_t n : kSizes) {
        const RmspropStep s{0.01f, 0.99f, 0.01f, 1e-8f};
        expect_close(
            {vec(wavy(n, 1, 8)), vec(wavy(n, 0.3f, 9)), vec(squares(wavy(n, 0.2f, 10)))},
            [&](const UpdateKernels& k, std::vector<Tensor>& t) {
                k.rmsprop_step(s, n, t[0].storage(), t[1].storage(), t[2].storage());
            },
            2e-5, "n " + std::to_string(n));
    }
}

TEST_F(GlUpdateKernels, ClampEqualsTheCpuAndKeepsNan) {
    const float inf = std::numeric_limits<float>::infinity();
    std::vector<float> x = wavy(257, 2, 11);
    x[3] = std::numeric_limits<float>::quiet_NaN();
    x[4] = inf;
    x[5] = -inf;
    x[6] = -0.5f;
    expect_close(
        {vec(x)},
        [](const UpdateKernels& k, std::vector<Tensor>& t) {
            k.clamp_(257, t[0].storage(), -0.5f, 0.5f);
        },
        0, "clamp");
    const std::vector<float> clamped =
        run_on(Device::gpu, {vec(x)},
               [](auto& k, auto& t) { k.clamp_(257, t[0].storage(), -0.5f, 0.5f); })[0]
            .to_vector();
    EXPECT_TRUE(std::isnan(clamped[3]));
    EXPECT_EQ(clamped[4], 0.5f);
    EXPECT_EQ(clamped[5], -0.5f);
    for (int64_t n : kSizes)
        expect_close(
            {vec(wavy(n, 2, 12))},
            [&](const UpdateKernels& k, std::vector<Tensor>& t) {
                k.clamp_(n, t[0].storage(), -0.3f, 1.5f);
            },
            0, "clamp n " + std::to_string(n));
}

TEST_F(GlUpdateKernels, LerpMatchesTheCpu) {
    for (int64_t n : kSizes)
        expect_close(
            {vec(wavy(n, 2, 13)), vec(wavy(n, 2, 14))},
            [&](const UpdateKernels& k, std::vector<Tensor>& t) {
                k.lerp_(n, t[0].storage(), t[1].storage(), 0.99f);
            },
            2e-5, "n " + std::to_string(n));
}

TEST_F(GlUpdateKernels, AddI64CarriesBetweenTheWordsExactly) {
    const std::vector<int64_t> x = {0, 5, -2, 0xffffffffLL, -0x100000000LL, 1LL << 40, -1, 7};
    for (int64_t value : {int64_t{1}, int64_t{-3}, int64_t{0x100000001LL}, -(int64_t{1} << 33)})
        expect_close(
            {Tensor::from_vector_i64({static_cast<int64_t>(x.size())}, x)},
            [&](const UpdateKernels& k, std::vector<Tensor>& t) {
                k.add_i64_(static_cast<int64_t>(x.size()), t[0].storage(), value);
            },
            0, "value " + std::to_string(value));
    Tensor on_gpu = Tensor::from_vector_i64({2}, {0xffffffffLL, 0}, Device::gpu);
    backend_for(Device::gpu).update().add_i64_(2, on_gpu.storage(), 1);
    EXPECT_EQ(on_gpu.to_vector_i64(), (std::vector<int64_t>{0x100000000LL, 1}));
}

TEST_F(GlUpdateKernels, CopyRowsEqualsTheCpuWithRepeatedAndOverlappingRows) {
    // dst 3 <- src 0, 1 <- 2, 3 <- 4 (the later copy wins), 0 <- 1.
    const Tensor pairs = Tensor::from_vector_i64({4, 2}, {3, 0, 1, 2, 3, 4, 0, 1});
    for (int64_t row : {1, 7, 257})
        expect_close(
            {vec(wavy(5 * row, 1, 15)), vec(wavy(6 * row, 1, 16)), pairs},
            [&](const UpdateKernels& k, std::vector<Tensor>& t) {
                k.copy_rows(4, row, t[0].storage(), t[2].storage(), t[1].storage());
            },
            0, "row " + std::to_string(row));
    // More pairs than one dispatch walks on llvmpipe, most naming a row again.
    const int64_t many = 70001;
    std::vector<int64_t> many_pairs(2 * many);
    for (int64_t p = 0; p < many; ++p) {
        many_pairs[2 * p] = (p * 7) % 50;
        many_pairs[2 * p + 1] = (p * 3 + p / 5) % 40;
    }
    expect_close(
        {vec(wavy(40 * 3, 1, 15)), vec(wavy(50 * 3, 1, 16)),
         Tensor::from_vector_i64({many, 2}, many_pairs)},
        [&](const UpdateKernels& k, std::vector<Tensor>& t) {
            k.copy_rows(many, 3, t[0].storage(), t[2].storage(), t[1].storage());
        },
        0, "70001 pairs");
    // Within one buffer: row 1 <- 0, then 2 <- 1 reads the row just written.
    const Tensor chain = Tensor::from_vector_i64({2, 2}, {1, 0, 2, 1});
    expect_close(
        {vec(wavy(3 * 7, 1, 17)), chain},
        [](const UpdateKernels& k, std::vector<Tensor>& t) {
            k.copy_rows(2, 7, t[0].storage(), t[1].storage(), t[0].storage());
        },
        0, "one buffer");
}

std::vector<int64_t> bins_of(int64_t rows, int64_t bins) {
    std::vector<int64_t> idx(rows);
    for (int64_t r = 0; r < rows; ++r) idx[r] = (r * 7 + r / 3) % bins;
    if (bins > 2)
        for (int64_t& b : idx)
            if (b == 1) b = 2;  // bin 1 stays empty
    return idx;
}

TEST_F(GlUpdateKernels, BinRowsCountsExactlyAndSumsAsTheCpusDouble) {
    const std::pair<int64_t, int64_t> shapes[] = {{7, 3}, {257, 7}, {65537, 3}, {300, 1}};
    for (const auto& shape : shapes) {  // no binding: clang 14 cannot capture one
        const int64_t rows = shape.first, row_size = shape.second;
        const int64_t bins = 13;
        const Tensor x = Tensor::from_vector({rows, row_size}, wavy(rows * row_size, 1, 18));
        const Tensor idx = Tensor::from_vector_i64({rows}, bins_of(rows, bins));
        const std::string what =
            "rows " + std::to_string(rows) + " size " + std::to_string(row_size);
        expect_close(
            {x, idx, Tensor::full({bins}, 9), Tensor::full({bins, row_size}, 9)},
            [&](const UpdateKernels& k, std::vector<Tensor>& t) {
                k.bin_rows(rows, row_size, bins, t[0].storage(), t[1].storage(), t[2].storage(),
                           t[3].storage());
            },
            2e-5, what);
        // Counts are whole numbers far below 2^24: exact.
        const auto cpu = run_on(
            Device::cpu, {x, idx, Tensor::full({bins}, 9), Tensor::full({bins, row_size}, 9)},
            [&](auto& k, auto& t) {
                k.bin_rows(rows, row_size, bins, t[0].storage(), t[1].storage(), t[2].storage(),
                           t[3].storage());
            });
        const auto gpu = run_on(
            Device::gpu, {x, idx, Tensor::full({bins}, 9), Tensor::full({bins, row_size}, 9)},
            [&](auto& k, auto& t) {
                k.bin_rows(rows, row_size, bins, t[0].storage(), t[1].storage(), t[2].storage(),
                           t[3].storage());
            });
        EXPECT_EQ(gpu[2].to_vector(), cpu[2].to_vector()) << what;
        EXPECT_EQ(gpu[2].to_vector()[1], 0.0f) << what;
    }
}

TEST_F(GlUpdateKernels, CodebookFromEmaMatchesTheCpu) {
    // 70001 codes: the total is many invocations' strided sums added up.
    const std::pair<int64_t, int64_t> shapes[] = {{13, 7}, {257, 3}, {5, 1}, {70001, 1}};
    for (const auto& shape : shapes) {  // no binding: clang 14 cannot capture one
        const int64_t bins = shape.first, row_size = shape.second;
        std::vector<float> counts = squares(wavy(bins, 3, 19));
        counts[1] = 0;  // a code nobody chose
        expect_close(
            {vec(counts), vec(wavy(bins * row_size, 2, 20)), Tensor::full({bins * row_size}, 9)},
            [&](const UpdateKernels& k, std::vector<Tensor>& t) {
                k.codebook_from_ema(bins, row_size, 1e-5f, t[0].storage(), t[1].storage(),
                                    t[2].storage());
            },
            2e-5, "bins " + std::to_string(bins));
    }
}

TEST_F(GlUpdateKernels, PowerIterationMatchesTheCpu) {
    struct Case {
        int64_t rows, cols;
        int iterations;
    };
    for (const Case& c : {Case{7, 257, 1}, Case{300, 5, 3}, Case{1, 1, 2}, Case{33, 65, 3}}) {
        std::vector<float> u = wavy(c.rows, 1, 21), v = wavy(c.cols, 1, 22);
        expect_close(
            {Tensor::from_vector({c.rows, c.cols}, wavy(c.rows * c.cols, 1, 23)), vec(u), vec(v)},
            [&](const UpdateKernels& k, std::vector<Tensor>& t) {
                k.power_iteration(c.rows, c.cols, c.iterations, 1e-12f, t[0].storage(),
                                  t[1].storage(), t[2].storage());
            },
            2e-5, "(" + std::to_string(c.rows) + ", " + std::to_string(c.cols) + ")");
    }
    // A zero matrix: the norm is eps, so both vectors come out zero, as on the CPU.
    expect_close(
        {Tensor::zeros({3, 4}), vec({1, 0, 0}), vec({0.5f, 0.5f, 0.5f, 0.5f})},
        [](const UpdateKernels& k, std::vector<Tensor>& t) {
            k.power_iteration(3, 4, 1, 1e-12f, t[0].storage(), t[1].storage(), t[2].storage());
        },
        0, "zero matrix");
}

TEST_F(GlUpdateKernels, EmptyTensorsRunNothing) {
    Tensor e = Tensor::zeros({0}, DType::f32, Device::gpu);
    Tensor e64 = Tensor::zeros({0}, DType::i64, Device::gpu);
    const UpdateKernels& k = backend_for(Device::gpu).update();
    EXPECT_NO_THROW(k.adam_step(AdamStep{}, 0, e.storage(), e.storage(), e.storage(), e.storage()));
    EXPECT_NO_THROW(k.sgd_step(SgdStep{}, 0, e.storage(), e.storage(), nullptr));
    EXPECT_NO_THROW(k.rmsprop_step(RmspropStep{}, 0, e.storage(), e.storage(), e.storage()));
    EXPECT_NO_THROW(k.clamp_(0, e.storage(), 0, 1));
    EXPECT_NO_THROW(k.lerp_(0, e.storage(), e.storage(), 0.5f));
    EXPECT_NO_THROW(k.add_i64_(0, e64.storage(), 1));
    EXPECT_NO_THROW(k.copy_rows(0, 3, e.storage(), e64.storage(), e.storage()));
}

// -- the optimizers and the codebook on GL tensors ------------------------------------

double relative_norm(const std::vector<float>& expected, const std::vector<float>& actual) {
    double diff = 0, norm = 0;
    for (size_t i = 0; i < expected.size(); ++i) {
        diff += (static_cast<double>(actual[i]) - expected[i]) * (actual[i] - expected[i]);
        norm += static_cast<double>(expected[i]) * expected[i];
    }
    return std::sqrt(diff) / std::max(std::sqrt(norm), 1e-30);
}

TEST_F(GlUpdateKernels, OptimizerStepsOnGlEqualTheCpusToRounding) {
    using Make = std::function<std::unique_ptr<Optimizer>(std::vector<Tensor>)>;
    const std::vector<std::pair<const char*, Make>> optimizers = {
        {"adam", [](auto p) { return std::make_unique<Adam>(p, 0.01, 0.5, 0.9, 1e-8, 0.01); }},
        {"adamw", [](auto p) { return make_adamw(p, 0.01, 0.9, 0.999, 0.1); }},
        {"sgd", [](auto p) { return std::make_unique<SGD>(p, 0.1); }},
        {"sgd momentum", [](auto p) { return std::make_unique<SGD>(p, 0.1, 0.9, 0.01); }},
        {"sgd nesterov", [](auto p) { return std::make_unique<SGD>(p, 0.1, 0.9, 0.01, true); }},
        {"rmsprop", [](auto p) { return std::make_unique<RMSprop>(p, 0.01, 0.9); }},
    };
    for (const auto& [name, make] : optimizers) {
        const auto on_cpu = three_steps(Device::cpu, 37, 5, make);
        const auto on_gpu = three_steps(Device::gpu, 37, 5, make);
        ASSERT_EQ(on_gpu.size(), on_cpu.size()) << name;
        for (size_t i = 0; i < on_cpu.size(); ++i)
            EXPECT_LE(relative_norm(on_cpu[i], on_gpu[i]), 1e-5) << name << ", tensor " << i;
    }
}

struct CodebookRun {
    std::vector<float> codebook, cluster_size, embed_sum;
};

// An EMA update, then two codes restarted, with the codebook and batch on `device`.
CodebookRun ema_then_restart(Device device) {
    const int64_t K = 13, D = 7, M = 257;
    Tensor codebook = Tensor::from_vector({K, D}, wavy(K * D, 0.2f, 50), device);
    CodebookEma state{Tensor::ones({K}), Tensor::from_vector({K, D}, wavy(K * D, 0.2f, 50))};
    Tensor z = Tensor::from_vector({M, D}, wavy(M * D, 1, 51), device);
    Tensor idx = Tensor::from_vector_i64({M}, bins_of(M, K), device);
    ema_codebook_update(codebook, state, z, idx, 0.9f);
    EXPECT_EQ(state.embed_sum.device(), device) << "the state follows the codebook";
    restart_codes(codebook, state, z, {1, 5}, {200, 3});
    return {codebook.to_vector(), state.cluster_size.to_vector(), state.embed_sum.to_vector()};
}

TEST_F(GlUpdateKernels, CodebookEmaAndRestartsOnGlEqualTheCpusToRounding) {
    const CodebookRun cpu = ema_then_restart(Device::cpu), gpu = ema_then_restart(Device::gpu);
    EXPECT_LE(relative_error(cpu.codebook, gpu.codebook), 2e-5);
    EXPECT_LE(relative_error(cpu.cluster_size, gpu.cluster_size), 2e-5);
    EXPECT_LE(relative_error(cpu.embed_sum, gpu.embed_sum), 2e-5);
    // Restarted code 1 sits exactly on encoder output 200.
    const std::vector<float> z = wavy(257 * 7, 1, 51);
    EXPECT_EQ(std::vector<float>(gpu.codebook.begin() + 7, gpu.codebook.begin() + 14),
              std::vector<float>(z.begin() + 200 * 7, z.begin() + 201 * 7));
}

}  // namespace
}  // namespace ganvas
