// The OpenGL backend's reduce kernels called directly against the CPU's: the
// entries the op table reaches only through element-wise ops (the losses'
// gradients, mean's gradient, cross-entropy's double backward) or never with
// bad input (the targets' range check), and the edges of empty inputs. Runs
// on Mesa's llvmpipe where there is no GPU; skipped only where no GL 4.3 opens.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "backend/reduce_kernels.h"
#include "ops/softmax.h"
#include "support/relative_error.h"
#include "tensor/rng.h"

namespace ganvas {
namespace {

using ganvas::testing::relative_error;

class GlReduceKernels : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        if (!backend_available(Device::gpu, &why)) GTEST_SKIP() << "no OpenGL backend: " << why;
    }
};

// `kernel` on the CPU's and the GPU's copies of `inputs`, into float outputs of
// the given sizes (filled with 7 first): the CPU's outputs, then the GPU's.
using Kernel =
    std::function<void(const ReduceKernels&, std::vector<Tensor>&, std::vector<Tensor>&)>;

std::vector<std::vector<float>> run_both(const std::vector<Tensor>& inputs, int64_t output_size,
                                         const Kernel& kernel) {
    std::vector<std::vector<float>> results;
    for (Device d : {Device::cpu, Device::gpu}) {
        std::vector<Tensor> in, out{Tensor::full({output_size}, 7.0f, d)};
        for (const Tensor& t : inputs) in.push_back(t.to(d));
        kernel(backend_for(d).reduce(), in, out);
        results.push_back(out[0].to_vector());
    }
    return results;
}

TEST_F(GlReduceKernels, PairLossMeansMatchTheCpuInEveryModeAndSize) {
    Rng rng(11);
    for (PairLoss op : {PairLoss::bce_with_logits, PairLoss::mse, PairLoss::l1})
        for (int64_t n : {1, 7, 257, 70001}) {
            SCOPED_TRACE("mode " + std::to_string(static_cast<int>(op)) + ", n " +
                         std::to_string(n));
            const auto r = run_both(
                {rng.randn({n}), rng.randn({n})}, 1, [&](const ReduceKernels& k, auto& i, auto& o) {
                    k.pair_loss_mean(op, n, i[0].storage(), i[1].storage(), o[0].storage());
                });
            EXPECT_NE(r[1][0], 7.0f);
            EXPECT_LT(relative_error(r[0], r[1]), 2e-5);
        }
}

TEST_F(GlReduceKernels, PairLossMeanOfNothingIsNan) {
    const auto r = run_both(
        {Tensor::empty({0}), Tensor::empty({0})}, 1, [](const ReduceKernels& k, auto& i, auto& o) {
            k.pair_loss_mean(PairLoss::mse, 0, i[0].storage(), i[1].storage(), o[0].storage());
        });
    EXPECT_TRUE(std::isnan(r[0][0]));
    EXPECT_TRUE(std::isnan(r[1][0]));
}

TEST_F(GlReduceKernels, MeanOverEverySubsetOfAxesAndOverNothing) {
    Rng rng(12);
    const std::vector<int64_t> shape{3, 5, 7};
    const Tensor x = rng.randn({3, 5, 7});
    for (int mask = 0; mask < 8; ++mask) {
        std::vector<int64_t> dims;
        int64_t outputs = 1;
        for (int64_t d = 0; d < 3; ++d)
            if (mask & (1 << d))
                dims.push_back(d);
            else
                outputs *= shape[d];
        SCOPED_TRACE("axes mask " + std::to_string(mask));
        const auto r = run_both({x}, outputs, [&](const ReduceKernels& k, auto& i, auto& o) {
            k.reduce(ReduceOp::mean, shape, dims, i[0].storage(), o[0].storage());
        });
        EXPECT_LT(relative_error(r[0], r[1]), 2e-5);
    }
    // An empty reduced dimension: sums of nothing are 0 (a count of 0 counts as 1).
    for (ReduceOp op : {ReduceOp::sum, ReduceOp::mean}) {
        const auto r =
            run_both({Tensor::empty({3, 0, 2})}, 6, [&](const ReduceKernels& k, auto& i, auto& o) {
                k.reduce(op, {3, 0, 2}, {1}, i[0].storage(), o[0].storage());
            });
        EXPECT_EQ(r[0], std::vector<float>(6, 0.0f));
        EXPECT_EQ(r[1], r[0]);
    }
}

TEST_F(GlReduceKernels, OneHotAndCausalMaskMatchTheCpuExactly) {
    const std::vector<int64_t> targets{4, 0, 2, 2, 1, 3, 0};
    const Tensor t = Tensor::from_vector_i64({7}, targets);
    const auto hot = run_both({t}, 7 * 5, [](const ReduceKernels& k, auto& i, auto& o) {
        k.one_hot(7, 5, i[0].storage(), o[0].storage());
    });
    EXPECT_EQ(hot[1], hot[0]);
    for (int64_t T : {1, 5, 33}) {
        SCOPED_TRACE("T " + std::to_string(T));
        const auto mask = run_both({}, T * T, [T](const ReduceKernels& k, auto&, auto& o) {
            k.causal_mask(T, o[0].storage());
        });
        EXPECT_EQ(mask[1], mask[0]);
    }
}

// Every other dimension of 18 reduced: 9 kept ones that cannot merge, past the
// shaders' 8. Refused in one line naming the op, not summed wrongly.
TEST_F(GlReduceKernels, TooManyUnmergeableDimensionsAreRefusedInOneLine) {
    const std::vector<int64_t> shape(18, 2);
    std::vector<int64_t> dims;
    for (int64_t d = 1; d < 18; d += 2) dims.push_back(d);
    const Tensor x = Tensor::zeros({1 << 18}, DType::f32, Device::gpu);
    Tensor y = Tensor::zeros({1 << 9}, DType::f32, Device::gpu);
    try {
        backend_for(Device::gpu)
            .reduce()
            .reduce(ReduceOp::sum, shape, dims, x.storage(), y.storage());
        ADD_FAILURE() << "no error";
    } catch (const std::runtime_error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("dimensions after merging"), std::string::npos) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
}

// found (index, value) of the first target outside [0, limit), from the GPU.
std::vector<int64_t> first_out_of_range_on_gpu(const std::vector<int64_t>& index, int64_t limit) {
    const int64_t n = static_cast<int64_t>(index.size());
    const Tensor t = Tensor::from_vector_i64({n}, index).to(Device::gpu);
    Tensor found = Tensor::zeros({2}, DType::i64, Device::gpu);
    backend_for(Device::gpu).reduce().first_out_of_range(n, t.storage(), limit, found.storage());
    return found.to_vector_i64();
}

TEST_F(GlReduceKernels, FirstOutOfRangeReadsBothWordsOfEveryIndex) {
    std::vector<int64_t> index(600);
    for (int64_t i = 0; i < 600; ++i) index[i] = (i * 13) % 10;
    EXPECT_EQ(first_out_of_range_on_gpu(index, 10), (std::vector<int64_t>{-1, 0}));
    EXPECT_EQ(first_out_of_range_on_gpu({}, 10), (std::vector<int64_t>{-1, 0}));
    // Past the first 256 (another invocation's share), the first of several wins.
    for (int64_t bad : {int64_t{-1}, int64_t{-4294967296}, int64_t{10}, int64_t{1} << 32,
                        std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()}) {
        SCOPED_TRACE("bad value " + std::to_string(bad));
        std::vector<int64_t> with_bad = index;
        with_bad[300] = bad;
        with_bad[301] = -7;
        with_bad[555] = 11;
        EXPECT_EQ(first_out_of_range_on_gpu(with_bad, 10), (std::vector<int64_t>{300, bad}));
    }
}

TEST_F(GlReduceKernels, CrossEntropyRefusesABadTargetOnTheGpuAsOnTheCpu) {
    Rng rng(13);
    const Tensor logits = rng.randn({4, 3});
    const Tensor target = Tensor::from_vector_i64({4}, {0, 2, -1, 5});
    std::string messages[2];
    for (Device d : {Device::cpu, Device::gpu}) try {
            cross_entropy(logits.to(d), target.to(d));
        } catch (const std::invalid_argument& e) {
            messages[d == Device::gpu] = e.what();
        }
    EXPECT_NE(messages[0].find("target -1 at index 2"), std::string::npos) << messages[0];
    EXPECT_EQ(messages[1], messages[0]);
}

TEST_F(GlReduceKernels, CrossEntropyOfNoRowsIsNan) {
    const Tensor loss = cross_entropy(Tensor::empty({0, 5}, DType::f32, Device::gpu),
                                      Tensor::empty({0}, DType::i64, Device::gpu));
    EXPECT_TRUE(std::isnan(loss.item()));
}

}  // namespace
}  // namespace ganvas
