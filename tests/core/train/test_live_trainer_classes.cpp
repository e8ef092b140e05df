// LiveTrainer with a conditional generator (cdcgan28): the snapshot says how many
// classes, the sample grid has a row of 8 per class, and generate() draws the classes
// it is given, exactly as the session's model does.
#include <gtest/gtest.h>

#include <cstring>

#include "models/dcgan28.h"
#include "ops/ops.h"
#include "support/test_files.h"
#include "train/live_trainer.h"

namespace ganvas {
namespace {

constexpr double kTimeout = 120;
[[maybe_unused]] const bool kNormalPriority = (set_worker_priority({0}), true);

class LiveTrainerClassesTest : public testing::TempDirTest {
protected:
    TrainerOptions options() {
        TrainerOptions o;
        o.config.model = "cdcgan28";
        o.config.data = "fashion-mnist:test";
        o.config.batch = 8;
        o.config.seed = 4;
        o.work_dir = path("work");
        o.threads = 1;
        return o;
    }
};

bool same_bits(const Tensor& a, const Tensor& b) {
    return a.shape() == b.shape() &&
           std::memcmp(a.data(), b.data(), sizeof(float) * a.numel()) == 0;
}

TEST_F(LiveTrainerClassesTest, GridHasARowPerClassAndGenerateDrawsTheClassesAskedFor) {
    LiveTrainer trainer(options());
    auto loaded = wait_for_snapshot(
        trainer, [](const TrainerSnapshot& s) { return !s.samples.empty(); }, kTimeout);
    ASSERT_FALSE(loaded->samples.empty()) << loaded->notice.english();
    EXPECT_EQ(loaded->classes, 10);
    EXPECT_EQ(loaded->samples.back()->images.shape(), (Shape{10 * kClassGridColumns, 1, 28, 28}));

    Rng rng(9);
    const Tensor z = rng.randn({3, kZDim});
    const Tensor labels = Tensor::from_vector_i64({3}, {7, 7, 2});
    const uint64_t id = trainer.generate(z, labels);
    auto s = wait_for_snapshot(
        trainer, [&](const TrainerSnapshot& s) { return s.generated_request == id; }, kTimeout);
    ASSERT_EQ(s->generated_request, id) << s->notice.english();

    Session direct(options().config);  // the same seed: the trainer's weights at step 0
    EXPECT_TRUE(same_bits(s->generated->images, direct.gan()->sample_classes(z, labels)));
    const Tensor other = direct.gan()->sample_classes(z, Tensor::from_vector_i64({3}, {1, 1, 1}));
    EXPECT_FALSE(same_bits(s->generated->images, other));
}

}  // namespace
}  // namespace ganvas
