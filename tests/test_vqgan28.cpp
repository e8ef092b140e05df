// vqgan28 against the PyTorch reference (tests/golden/golden_vqgan28.py): loading its
// checkpoint, eval-mode codes and reconstructions, one full training step with its
// loss terms, lambda and updated weights; and the options the reference lacks.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "gradcheck.h"
#include "io/npy.h"
#include "io/safetensors.h"
#include "models/vqgan28.h"
#include "ops/ops.h"

using namespace ganvas;

namespace {

const std::string kDir = std::string(GANVAS_GOLDEN_DIR) + "/vqgan28/";

float max_abs_diff(const Tensor& a, const Tensor& b) {
    EXPECT_EQ(a.numel(), b.numel());
    float m = 0.0f;
    for (int64_t i = 0; i < std::min(a.numel(), b.numel()); ++i)
        m = std::max(m, std::fabs(a.data()[i] - b.data()[i]));
    return m;
}

Tensor strided(const Tensor& t, int64_t stride) {
    std::vector<float> v;
    for (int64_t i = 0; i < t.numel(); i += stride) v.push_back(t.data()[i]);
    return Tensor::from_vector({static_cast<int64_t>(v.size())}, v);
}

void expect_same_codes(const Tensor& got, const Tensor& want) {
    ASSERT_EQ(got.dtype(), DType::i64);
    ASSERT_EQ(got.shape(), want.shape());
    for (int64_t i = 0; i < want.numel(); ++i)
        ASSERT_EQ(got.data_i64()[i], want.data_i64()[i]) << "code " << i;
}

std::unique_ptr<Vqgan28> reference_model() {
    Rng rng(0);
    auto model = std::make_unique<Vqgan28>(rng);
    model->load_state_dict(load_safetensors_map(kDir + "checkpoint.safetensors"), "checkpoint");
    return model;
}

}  // namespace

TEST(Vqgan28Golden, StateDictNamesAreTheReferences) {
    auto model = reference_model();
    auto file = load_safetensors(kDir + "checkpoint.safetensors");
    auto ours = model->state_dict();
    ASSERT_EQ(ours.size(), file.size());
    for (size_t i = 0; i < ours.size(); ++i) {
        EXPECT_EQ(ours[i].first, file[i].first);
        EXPECT_EQ(ours[i].second.shape(), file[i].second.shape()) << ours[i].first;
    }
}

TEST(Vqgan28Golden, ReferenceCheckpointGivesTheSameCodesAndReconstruction) {
    auto ae = load_vq_autoencoder(kDir + "checkpoint.safetensors");
    Tensor x = load_npy(kDir + "x.npy");
    Tensor codes = ae->encode_indices(x);
    expect_same_codes(codes, load_npy(kDir + "codes.npy"));
    Tensor rec = ae->decode_indices(codes);
    EXPECT_LT(max_abs_diff(rec, load_npy(kDir + "out.npy")), 1e-4f);
    EXPECT_FALSE(rec.requires_grad());
}

TEST(Vqgan28Golden, OneTrainingStepMatches) {
    auto model = reference_model();
    Tensor real = load_npy(kDir + "step_real.npy");
    {  // the codes of the step's batch, in training mode (no BN in the autoencoder)
        Tensor codes = model->AE.encode_indices(real);
        expect_same_codes(codes, load_npy(kDir + "step_codes.npy"));
    }
    StepStats stats = model->train_step(real);
    Tensor want = load_npy(kDir + "step_stats.npy");
    const char* names[] = {"loss",   "rec",    "codebook",   "commitment", "gan",
                           "lambda", "d_loss", "perplexity", "used_codes"};
    for (int i = 0; i < 9; ++i) {
        ASSERT_EQ(stats[i].first, names[i]);
        EXPECT_NEAR(stats[i].second, want.data()[i], 1e-5f + 1e-4f * std::fabs(want.data()[i]))
            << names[i];
    }
    // Adam's first step moves each weight by about lr * sign(grad): a gradient that is
    // zero up to rounding could flip, so a handful may differ by up to 2 lr.
    const float lr = 2e-4f;
    int64_t compared = 0, off = 0;
    for (auto& [name, t] : model->state_dict()) {
        if (t.dtype() != DType::f32) continue;
        Tensor ours = t.numel() > 20000 ? strided(t, 97) : t;
        Tensor ref = load_npy(kDir + "step_after_" + name + ".npy");
        ASSERT_EQ(ours.numel(), ref.numel()) << name;
        for (int64_t i = 0; i < ours.numel(); ++i) {
            const float d = std::fabs(ours.data()[i] - ref.data()[i]);
            EXPECT_LT(d, 2 * lr + 1e-5f) << name << "[" << i << "]";
            off += d > 2e-5f;
        }
        compared += ours.numel();
    }
    EXPECT_LE(off, compared / 1000) << off << " of " << compared << " values differ by > 2e-5";
}
