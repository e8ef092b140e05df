// The OpenGL backend's norm kernels called directly against the CPU's: the
// per-channel helpers (which the op table reaches only through elementwise
// ops: eval mode and double backward) and the backward pass asked for only
// some of its outputs. Runs on Mesa's llvmpipe where there is no GPU;
// skipped only where no GL 4.3 opens.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "backend/norm_kernels.h"
#include "support/relative_error.h"
#include "tensor/rng.h"

namespace ganvas {
namespace {

using ganvas::testing::relative_error;

class GlNormKernels : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        if (!backend_available(Device::gpu, &why)) GTEST_SKIP() << "no OpenGL backend: " << why;
    }
};

// Odd sizes: a channel inside one 256-wide workgroup or over many, S == 1 and S > 1.
const ChannelLayout kLayouts[] = {{3, 5, 7}, {9, 300, 1}, {1, 2, 771}, {300, 3, 1}, {2, 1, 1}};

std::string name_of(const ChannelLayout& l) {
    return "(" + std::to_string(l.outer) + ", " + std::to_string(l.channels) + ", " +
           std::to_string(l.inner) + ")";
}

// Runs `kernel` on the CPU's copies of `inputs` and on the GPU's, with
// outputs of the given sizes, and expects the same outputs within float rounding.
using Kernel = std::function<void(const NormKernels&, std::vector<Tensor>&, std::vector<Tensor>&)>;

void expect_same(const std::vector<Tensor>& inputs, const std::vector<int64_t>& output_sizes,
                 const Kernel& kernel) {
    std::vector<std::vector<float>> results[2];
    for (Device d : {Device::cpu, Device::gpu}) {
        std::vector<Tensor> in, out;
        for (const Tensor& t : inputs) in.push_back(t.to(d));
        for (int64_t n : output_sizes) out.push_back(Tensor::full({n}, 7.0f, d));
        kernel(backend_for(d).norm(), in, out);
        for (const Tensor& t : out) results[d == Device::gpu].push_back(t.to_vector());
    }
    for (size_t i = 0; i < output_sizes.size(); ++i) {
        ASSERT_EQ(results[1][i].size(), results[0][i].size());
        EXPECT_LT(relative_error(results[0][i], results[1][i]), 2e-5) << "output " << i;
    }
}

TEST_F(GlNormKernels, ChannelAffineWithAndWithoutScaleAndShift) {
    Rng rng(3);
    for (const ChannelLayout& l : kLayouts) {
        SCOPED_TRACE(name_of(l));
        const std::vector<Tensor> in{rng.randn({l.numel()}), rng.randn({l.channels}),
                                     rng.randn({l.channels})};
        for (int which = 0; which < 4; ++which) {
            const bool scale = which & 1, shift = which & 2;
            expect_same(in, {l.numel()}, [&](const NormKernels& k, auto& i, auto& o) {
                k.channel_affine(l, i[0].storage(), scale ? &i[1].storage() : nullptr,
                                 shift ? &i[2].storage() : nullptr, o[0].storage());
            });
        }
    }
}

TEST_F(GlNormKernels, ChannelSumAndBroadcast) {
    Rng rng(4);
    for (const ChannelLayout& l : kLayouts) {
        SCOPED_TRACE(name_of(l));
        expect_same({rng.randn({l.numel()})}, {l.channels},
                    [&](const NormKernels& k, auto& i, auto& o) {
                        k.channel_sum(l, i[0].storage(), o[0].storage());
                    });
        expect_same({rng.randn({l.channels})}, {l.numel()},
                    [&](const NormKernels& k, auto& i, auto& o) {
                        k.channel_broadcast(l, i[0].storage(), o[0].storage());
                    });
    }
}

// An empty batch: every per-channel sum is zero, as on the CPU.
TEST_F(GlNormKernels, NoValuesSumToZero) {
    const ChannelLayout l{0, 4, 3};
    const NormKernels& k = backend_for(Device::gpu).norm();
    const Tensor none = Tensor::empty({0}, DType::f32, Device::gpu);
    const Tensor stats = Tensor::ones({4}, Device::gpu);
    Tensor sum = Tensor::full({4}, 7.0f, Device::gpu);
    k.channel_sum(l, none.storage(), sum.storage());
    EXPECT_EQ(sum.to_vector(), std::vector<float>(4, 0.0f));
    Tensor gw = Tensor::full({4}, 7.0f, Device::gpu), gb = Tensor::full({4}, 7.0f, Device::gpu);
    k.backward(NormMode::batch, l, none.storage(), none.storage(), nullptr, stats.storage(),
               stats.storage(), nullptr, &gw.storage(), &gb.storage());
    EXPECT_EQ(gw.to_vector(), std::vector<float>(4, 0.0f));
    EXPECT_EQ(gb.to_vector(), std::vector<float>(4, 0.0f));
}

// Backward asked for each output alone (the others null), in both modes.
TEST_F(GlNormKernels, BackwardWritesOnlyTheGradientsAskedFor) {
    Rng rng(5);
    struct Case {
        NormMode mode;
        ChannelLayout l;
    };
    for (const Case& c : {Case{NormMode::batch, {3, 5, 7}}, Case{NormMode::batch, {300, 3, 1}},
                          Case{NormMode::layer, {17, 1000, 1}}, Case{NormMode::layer, {5, 7, 1}}}) {
        SCOPED_TRACE(name_of(c.l));
        const ChannelLayout& l = c.l;
        const int64_t groups = c.mode == NormMode::batch ? l.channels : l.outer;
        const std::vector<Tensor> in{rng.randn({l.numel()}), rng.randn({l.numel()}),
                                     rng.randn({l.channels})};
        for (int wanted = 0; wanted < 3; ++wanted)
            for (bool weighted : {true, false}) {
                const std::vector<int64_t> sizes{l.numel(), l.channels, l.channels};
                expect_same(in, {sizes[wanted]}, [&](const NormKernels& k, auto& i, auto& o) {
                    const Device d = i[0].device();
                    Tensor y = Tensor::empty({l.numel()}, DType::f32, d);
                    Tensor mean = Tensor::empty({groups}, DType::f32, d);
                    Tensor invstd = Tensor::empty({groups}, DType::f32, d);
                    k.forward(c.mode, l, i[0].storage(), nullptr, nullptr, 1e-5f, nullptr,
                              y.storage(), mean.storage(), invstd.storage());
                    Storage* out = &o[0].storage();
                    k.backward(c.mode, l, i[1].storage(), i[0].storage(),
                               weighted ? &i[2].storage() : nullptr, mean.storage(),
                               invstd.storage(), wanted == 0 ? out : nullptr,
                               wanted == 1 ? out : nullptr, wanted == 2 ? out : nullptr);
                });
            }
    }
}

// Short rows: a workgroup holds many groups, the last one only partly.
TEST_F(GlNormKernels, ManyShortRowsShareWorkgroups) {
    Rng rng(6);
    const ChannelLayout rows{1000 * 64 + 37, 3, 1};
    const std::vector<Tensor> in{rng.randn({rows.numel()}), rng.randn({rows.numel()})};
    expect_same(in, {rows.numel(), rows.outer, rows.outer, rows.numel(), rows.channels},
                [&](const NormKernels& k, auto& i, auto& o) {
                    k.forward(NormMode::layer, rows, i[0].storage(), nullptr, nullptr, 1e-5f,
                              nullptr, o[0].storage(), o[1].storage(), o[2].storage());
                    k.backward(NormMode::layer, rows, i[1].storage(), i[0].storage(), nullptr,
                               o[1].storage(), o[2].storage(), &o[3].storage(), &o[4].storage(),
                               nullptr);
                });
    const ChannelLayout channels{2, 1000 * 128 + 5, 1};
    expect_same({rng.randn({channels.numel()})}, {channels.channels},
                [&](const NormKernels& k, auto& i, auto& o) {
                    k.channel_sum(channels, i[0].storage(), o[0].storage());
                });
}

// Rows of more than 128 values take a workgroup each: past 65535 of them, one
// dispatch cannot hold them all.
TEST_F(GlNormKernels, MoreWorkgroupsThanOneDispatchHolds) {
    Rng rng(7);
    const ChannelLayout rows{65535 + 17, 129, 1};
    expect_same({rng.randn({rows.numel()})}, {rows.numel(), rows.outer, rows.outer},
                [&](const NormKernels& k, auto& i, auto& o) {
                    k.forward(NormMode::layer, rows, i[0].storage(), nullptr, nullptr, 1e-5f,
                              nullptr, o[0].storage(), o[1].storage(), o[2].storage());
                });
}

}  // namespace
}  // namespace ganvas
