// Modules: PyTorch's state_dict names and order, its default and DCGAN
// initialisations, train/eval, and loading that changes nothing on error.
#include <gtest/gtest.h>

#include <cmath>

#include "io/safetensors.h"
#include "models/dcgan28.h"
#include "support/golden.h"

using namespace ganvas;

namespace {

struct Moments {
    double mean = 0, stddev = 0, max_abs = 0;
};

Moments moments(const Tensor& t) {
    Moments m;
    for (int64_t i = 0; i < t.numel(); ++i) m.mean += t.data()[i];
    m.mean /= t.numel();
    for (int64_t i = 0; i < t.numel(); ++i) {
        const double d = t.data()[i] - m.mean;
        m.stddev += d * d;
        m.max_abs = std::max(m.max_abs, std::fabs(static_cast<double>(t.data()[i])));
    }
    m.stddev = std::sqrt(m.stddev / (t.numel() - 1));
    return m;
}

}  // namespace

TEST(Layers, Dcgan28NamesAndOrderMatchTheReferenceCheckpoint) {
    Rng rng(0);
    Dcgan28 model(rng);
    NamedTensors ours = model.state_dict();
    NamedTensors theirs =
        load_safetensors(ganvas::testing::golden_file("dcgan28/checkpoint.safetensors"));
    ASSERT_EQ(ours.size(), theirs.size());
    for (size_t i = 0; i < ours.size(); ++i) {
        EXPECT_EQ(ours[i].first, theirs[i].first);
        EXPECT_EQ(ours[i].second.shape(), theirs[i].second.shape()) << ours[i].first;
        EXPECT_EQ(ours[i].second.dtype(), theirs[i].second.dtype()) << ours[i].first;
    }
    // sum(p.numel() for p in Generator28().parameters()), and for Discriminator28.
    EXPECT_EQ(model.G.parameter_count(),
              64 * 6272 + 2 * 6272 + 128 * 64 * 16 + 2 * 64 + 64 * 16 + 1);
    EXPECT_EQ(model.D.parameter_count(), 64 * 16 + 64 + 64 * 128 * 16 + 2 * 128 + 6272 + 1);
}

TEST(Layers, DefaultInitialisationIsUniformWithinOneOverSqrtFanIn) {
    Rng rng(1);
    Linear fc(400, 300, true, rng);
    Conv2d conv(16, 32, 3, 1, 1, true, rng);
    ConvTranspose2d deconv(32, 8, 4, 2, 1, true, rng);
    struct Case {
        Tensor t;
        double fan_in;
    };
    for (const Case& c : {Case{fc.weight, 400}, Case{fc.bias, 400}, Case{conv.weight, 16 * 9},
                          Case{deconv.weight, 8 * 16}}) {
        const double bound = 1.0 / std::sqrt(c.fan_in);
        Moments m = moments(c.t);
        EXPECT_LE(m.max_abs, bound);
        EXPECT_NEAR(m.stddev, bound / std::sqrt(3.0), 0.1 * bound);  // U(-b, b) has std b / sqrt(3)
    }
}

TEST(Layers, DcganInitialisation) {
    Rng rng(2);
    Dcgan28 model(rng);
    Moments w = moments(model.G.up1.weight);
    EXPECT_NEAR(w.mean, 0.0, 1e-3);
    EXPECT_NEAR(w.stddev, 0.02, 1e-3);
    Moments bn = moments(model.G.bn0.weight);
    EXPECT_NEAR(bn.mean, 1.0, 2e-3);
    EXPECT_NEAR(bn.stddev, 0.02, 2e-3);
    EXPECT_EQ(moments(model.D.c1.bias).max_abs, 0.0);
    EXPECT_EQ(moments(model.G.bn0.running_var).mean, 1.0);
}

TEST(Layers, BatchNormCountsTrainingBatchesOnly) {
    BatchNorm bn(3, 0);
    Rng rng(3);
    Tensor x = rng.randn({4, 3});
    bn.forward(x);
    bn.forward(x);
    bn.eval();
    bn.forward(x);
    EXPECT_EQ(bn.num_batches_tracked.data_i64()[0], 2);
    EXPECT_THROW(bn.forward(rng.randn({4, 3, 2, 2})), std::invalid_argument);
}

TEST(Layers, FailedLoadChangesNothing) {
    Rng rng(4);
    Dcgan28 model(rng);
    NamedTensors state = model.state_dict();
    std::map<std::string, Tensor> broken;
    for (auto& [name, t] : state) broken[name] = Tensor::zeros(t.shape(), t.dtype());
    broken["D.fc.bias"] = Tensor::zeros({2});  // wrong shape, checked after G's tensors
    Tensor before = model.G.fc.weight.clone();
    EXPECT_THROW(model.load_state_dict(broken, "broken.safetensors"), std::runtime_error);
    EXPECT_EQ(model.G.fc.weight.to_vector(), before.to_vector());
}
