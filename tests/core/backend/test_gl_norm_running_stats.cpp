// Batch norm's running buffers on the OpenGL backend: a few training steps
// update running_mean and running_var (the unbiased variance, with momentum)
// in place on the GPU as the CPU updates its own. The op table compares only
// outputs and gradients, so the buffers are read back here. Runs on Mesa's
// llvmpipe where there is no GPU; skipped only where no GL 4.3 opens.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "ops/norm.h"
#include "support/relative_error.h"
#include "tensor/rng.h"

namespace ganvas {
namespace {

using ganvas::testing::relative_error;

class GlNormRunningStats : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        if (!backend_available(Device::gpu, &why)) GTEST_SKIP() << "no OpenGL backend: " << why;
    }
};

struct Training {
    Shape x;  // (N, C, ...)
    float momentum = 0.1f;
    float offset = 0.0f;  // added to every value: a mean far from 0
    bool with_mean = true, with_var = true;
    int steps = 2;
};

struct Buffers {
    std::vector<float> mean, var;  // empty where the buffer was not passed
};

// The same batches and starting buffers on `device`, trained `steps` times.
Buffers train(const Training& s, Device device) {
    Rng rng(11);
    const int64_t channels = s.x[1];
    std::vector<float> mean0(channels), var0(channels);
    for (int64_t c = 0; c < channels; ++c) {
        mean0[c] = 0.1f * static_cast<float>(c % 7) - 0.3f;
        var0[c] = 0.5f + 0.25f * static_cast<float>(c % 3);
    }
    Tensor running_mean, running_var;
    if (s.with_mean) running_mean = Tensor::from_vector({channels}, mean0).to(device);
    if (s.with_var) running_var = Tensor::from_vector({channels}, var0).to(device);
    for (int step = 0; step < s.steps; ++step) {
        std::vector<float> values = rng.randn(s.x).to_vector();
        for (float& v : values) v = 2.0f * v + s.offset;
        const Tensor x = Tensor::from_vector(s.x, values).to(device);
        batch_norm(x, running_mean, running_var, Tensor(), Tensor(), true, s.momentum);
    }
    Buffers b;
    if (s.with_mean) b.mean = running_mean.to_vector();
    if (s.with_var) b.var = running_var.to_vector();
    return b;
}

void expect_same_buffers(const Training& s) {
    const Buffers cpu = train(s, Device::cpu), gpu = train(s, Device::gpu);
    ASSERT_EQ(gpu.mean.size(), cpu.mean.size());
    ASSERT_EQ(gpu.var.size(), cpu.var.size());
    EXPECT_LT(relative_error(cpu.mean, gpu.mean), 2e-5) << "running_mean";
    EXPECT_LT(relative_error(cpu.var, gpu.var), 2e-5) << "running_var";
}

TEST_F(GlNormRunningStats, ImageBatchesUpdateBothBuffersAsOnTheCpu) {
    expect_same_buffers({{64, 128, 7, 7}});
}

TEST_F(GlNormRunningStats, WideFeatureBatchesWithAMeanFarFromZero) {
    Training s{{17, 1000}};
    s.momentum = 0.3f;
    s.offset = 3.0f;
    expect_same_buffers(s);
}

TEST_F(GlNormRunningStats, TwoValuesPerChannelUseTheUnbiasedVariance) {
    // n / (n - 1) == 2 here: a biased running variance would be half the CPU's.
    Training s{{2, 5}};
    s.momentum = 1.0f;
    s.steps = 1;
    expect_same_buffers(s);
}

TEST_F(GlNormRunningStats, EitherBufferAloneIsUpdated) {
    Training mean_only{{3, 5, 7, 9}};
    mean_only.with_var = false;
    expect_same_buffers(mean_only);
    Training var_only{{2, 3, 17, 19}};
    var_only.with_mean = false;
    var_only.momentum = 0.5f;
    expect_same_buffers(var_only);
}

}  // namespace
}  // namespace ganvas
