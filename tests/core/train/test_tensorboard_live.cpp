// The window's "Log to TensorBoard": the live session's steps, sample grids and
// settings, written as it trains, read back with the TensorBoard reader.
#include <gtest/gtest.h>

#include <filesystem>

#include "data/tensorboard_reader.h"
#include "support/test_files.h"
#include "train/live_trainer.h"
#include "train/worker.h"

namespace ganvas {
namespace {

constexpr double kTimeout = 120;
[[maybe_unused]] const bool kNormalPriority = (set_worker_priority({0}), true);

class TensorBoardLiveTest : public testing::TempDirTest {};

TEST_F(TensorBoardLiveTest, LoggedSessionReadsBackAsARun) {
    TrainerOptions o;
    o.config.model = "dcgan28";
    o.config.data = "fashion-mnist:test";
    o.config.batch = 8;
    o.work_dir = path("work");
    o.threads = 1;
    o.sample_every = 2;
    LiveTrainer trainer(o);
    wait_for_snapshot(
        trainer, [](const TrainerSnapshot& s) { return s.state == TrainerState::Paused; },
        kTimeout);
    trainer.set_tensorboard(path("tb"));
    auto s = wait_for_snapshot(
        trainer, [](const TrainerSnapshot& s) { return !s.tensorboard_run.empty(); }, kTimeout);
    ASSERT_FALSE(s->tensorboard_run.empty()) << s->notice.english();
    EXPECT_EQ(std::filesystem::path(s->tensorboard_run).parent_path(), path("tb"));
    for (int i = 1; i <= 4; ++i) {
        trainer.step_once();
        wait_for_snapshot(
            trainer, [&](const TrainerSnapshot& s) { return s.step >= i; }, kTimeout);
    }
    trainer.set_tensorboard("");  // closes the file
    s = wait_for_snapshot(
        trainer, [](const TrainerSnapshot& s) { return s.tensorboard_run.empty(); }, kTimeout);
    ASSERT_EQ(s->step, 4);

    const std::vector<TensorBoardRun> runs = read_tensorboard_log(path("tb"));
    ASSERT_EQ(runs.size(), 1u);
    const TensorBoardRun& run = runs[0];
    EXPECT_EQ(run.name.rfind("dcgan28-", 0), 0u) << run.name;
    EXPECT_TRUE(run.warnings.empty());
    // Every statistic of every step, as the window's own history holds it.
    const MetricHistory& m = *s->metrics;
    ASSERT_EQ(m.rows(), 4u);
    for (size_t c = 0; c < m.names.size(); ++c) {
        ASSERT_EQ(run.scalars.count(m.names[c]), 1u) << m.names[c];
        const std::vector<ScalarPoint>& points = run.scalars.at(m.names[c]);
        ASSERT_EQ(points.size(), 4u) << m.names[c];
        for (size_t row = 0; row < 4; ++row) {
            EXPECT_EQ(points[row].step, m.steps[row]);
            EXPECT_EQ(points[row].value, m.columns[c][row]) << m.names[c];
        }
    }
    // The sample grids at steps 2 and 4, and the settings.
    ASSERT_EQ(run.images.count("samples"), 1u);
    std::vector<int64_t> image_steps;
    for (const ImagePoint& p : run.images.at("samples")) image_steps.push_back(p.step);
    EXPECT_EQ(image_steps, (std::vector<int64_t>{2, 4}));
    EXPECT_EQ(run.images.at("samples")[0].width, 8 * 30 + 2);
    ASSERT_EQ(run.texts.count("settings"), 1u);
    EXPECT_NE(run.texts.at("settings")[0].text.find("| data | fashion-mnist:test |"),
              std::string::npos);
}

TEST_F(TensorBoardLiveTest, AnUnwritableFolderIsSaidAndTrainingGoesOn) {
    testing::write_bytes(path("file"), "not a folder");
    TrainerOptions o;
    o.config.model = "dcgan28";
    o.config.data = "fashion-mnist:test";
    o.config.batch = 8;
    o.work_dir = path("work");
    o.threads = 1;
    LiveTrainer trainer(o);
    trainer.set_tensorboard(path("file"));
    auto s = wait_for_snapshot(
        trainer, [](const TrainerSnapshot& s) { return s.notice_is_error; }, kTimeout);
    EXPECT_NE(s->notice.english().find("Not logging to TensorBoard"), std::string::npos)
        << s->notice.english();
    EXPECT_TRUE(s->tensorboard_run.empty());
    trainer.step_once();
    s = wait_for_snapshot(
        trainer, [](const TrainerSnapshot& s) { return s.step >= 1; }, kTimeout);
    EXPECT_EQ(s->step, 1);
}

}  // namespace
}  // namespace ganvas
