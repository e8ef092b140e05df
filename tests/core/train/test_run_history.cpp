// A run's history on disk (metrics.csv, samples_STEP.png) and the window's way
// back to it: a saved experiment, or a `ganvas train` folder, opens with its
// curves and every sample grid, not only with its last weights.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "io/image_png.h"
#include "support/cli_runner.h"
#include "support/test_files.h"
#include "train/experiment_file.h"
#include "train/live_trainer.h"
#include "train/metrics_log.h"
#include "train/run_history.h"

namespace ganvas {
namespace {

using testing::TempDirTest;
namespace fs = std::filesystem;
constexpr double kTimeout = 120;
// A PNG holds bytes: a pixel comes back within half a step of 2/255.
constexpr float kByteTolerance = 1.0f / 255 + 1e-5f;

float max_difference(const Tensor& a, const Tensor& b) {
    EXPECT_EQ(a.shape(), b.shape());
    if (a.shape() != b.shape()) return INFINITY;
    float worst = 0;
    for (int64_t i = 0; i < a.numel(); ++i)
        worst = std::max(worst, std::abs(a.data()[i] - b.data()[i]));
    return worst;
}

// (N, 1, 28, 28) in [-1, 1], different at every pixel and image.
Tensor ramp_images(int64_t n, float offset) {
    Tensor t = Tensor::empty({n, 1, 28, 28});
    for (int64_t i = 0; i < t.numel(); ++i)
        t.data()[i] = std::sin(0.37f * static_cast<float>(i) + offset);
    return t;
}

std::vector<int64_t> frame_steps(const TrainerSnapshot& s) {
    std::vector<int64_t> steps;
    for (auto& f : s.samples) steps.push_back(f->step);
    return steps;
}

class RunHistoryTest : public TempDirTest {
protected:
    TrainerOptions options() {
        TrainerOptions o;
        o.config.model = "dcgan28";
        o.config.data = "fashion-mnist:test";
        o.config.batch = 8;
        o.config.seed = 3;
        o.work_dir = path("work");
        o.threads = 1;
        o.sample_every = 2;
        return o;
    }
    static std::shared_ptr<const TrainerSnapshot> wait_notice(const LiveTrainer& t,
                                                              const std::string& start) {
        return wait_for_snapshot(
            t, [&](const TrainerSnapshot& s) { return s.notice.english().rfind(start, 0) == 0; },
            kTimeout);
    }
};

TEST(SampleGridStep, ReadsTheStepOfSamplesFilesOnly) {
    EXPECT_EQ(sample_grid_step("samples_0.png"), 0);
    EXPECT_EQ(sample_grid_step("samples_1500.png"), 1500);
    EXPECT_EQ(sample_grid_step("samples_.png"), -1);
    EXPECT_EQ(sample_grid_step("samples_12a.png"), -1);
    EXPECT_EQ(sample_grid_step("samples_-3.png"), -1);
    EXPECT_EQ(sample_grid_step("reconstructions_5.png"), -1);
    EXPECT_EQ(sample_grid_step("samples_5.png.tmp"), -1);
}

TEST_F(RunHistoryTest, PlantedLinksAtPredictableNamesAreNotFollowed) {
    fs::create_directory(path("victim"));
    testing::write_bytes(path("victim/metrics.csv"), "precious");
    fs::create_directory_symlink(path("victim"), path("h.new"));
    fs::create_directory_symlink(path("victim"), path("h.old"));
    RunHistory h;
    h.metrics.add(1, {{"loss", 1.0f}});
    write_run_history(path("h"), h);
    write_run_history(path("h"), h);
    EXPECT_EQ(testing::read_bytes(path("victim/metrics.csv")), "precious");
    EXPECT_EQ(fs::read_symlink(path("h.new")), path("victim"));
    std::vector<std::string> names;
    for (auto& entry : fs::directory_iterator(dir_)) names.push_back(entry.path().filename());
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"h", "h.new", "h.old", "victim"}));
    EXPECT_EQ(read_run_history(path("h"), 5, {1, 1, 28, 28}).metrics.steps,
              (std::vector<int64_t>{1}));
}

TEST_F(RunHistoryTest, WritesAndReadsBackCurvesAndGridsUpToAStep) {
    RunHistory h;
    h.metrics.add(1, {{"loss_D", 1.25f}, {"loss_G", 0.5f}});
    h.metrics.add(2, {{"loss_D", 1.0f}, {"loss_G", 0.75f}, {"ffd", 40.0f}});
    h.metrics.add(3, {{"loss_D", 0.123456789f}, {"loss_G", 1.0f}});
    h.samples = {{0, ramp_images(64, 0)}, {2, ramp_images(64, 1)}, {3, ramp_images(64, 2)}};
    write_run_history(path("h"), h);
    write_run_history(path("h"), h);  // again over the first: replaced, nothing left over
    EXPECT_FALSE(fs::exists(path("h.new")));
    EXPECT_FALSE(fs::exists(path("h.old")));

    RunHistory back = read_run_history(path("h"), 2, {64, 1, 28, 28});
    EXPECT_EQ(back.metrics.steps, (std::vector<int64_t>{1, 2}));
    ASSERT_TRUE(back.metrics.column("loss_D"));
    EXPECT_EQ(*back.metrics.column("loss_D"), (std::vector<float>{1.25f, 1.0f}));
    ASSERT_TRUE(back.metrics.column("ffd"));
    EXPECT_TRUE(std::isnan((*back.metrics.column("ffd"))[0]));  // not measured at step 1
    EXPECT_EQ((*back.metrics.column("ffd"))[1], 40.0f);
    ASSERT_EQ(back.samples.size(), 2u);  // step 3 is past the checkpoint
    EXPECT_EQ(back.samples[0].step, 0);
    EXPECT_EQ(back.samples[1].step, 2);
    EXPECT_LE(max_difference(back.samples[1].images, h.samples[1].images), kByteTolerance);
    // Values print exactly enough to come back bit for bit.
    EXPECT_EQ(read_run_history(path("h"), 3, {}).metrics.column("loss_D")->back(), 0.123456789f);
}

TEST_F(RunHistoryTest, GridsOfAnotherSizeOrUnreadableAreLeftOutAndAMissingFolderIsEmpty) {
    fs::create_directories(path("run"));
    save_image_grid(path("run/samples_1.png"), ramp_images(64, 0), 8);
    save_image_grid(path("run/samples_2.png"), ramp_images(16, 0), 8);  // another model's
    testing::write_bytes(path("run/samples_3.png"), "not a png");
    save_image_grid(path("run/samples_x.png"), ramp_images(64, 0), 8);
    RunHistory back = read_run_history(path("run"), 100, {64, 1, 28, 28});
    ASSERT_EQ(back.samples.size(), 1u);
    EXPECT_EQ(back.samples[0].step, 1);
    EXPECT_EQ(back.metrics.rows(), 0u);  // no metrics.csv

    EXPECT_TRUE(read_run_history(path("run"), 100, {}).samples.empty());  // no grids asked for
    RunHistory none = read_run_history(path("missing"), 100, {64, 1, 28, 28});
    EXPECT_EQ(none.metrics.rows(), 0u);
    EXPECT_TRUE(none.samples.empty());
}

TEST_F(RunHistoryTest, ALoadedExperimentBringsBackItsCurvesAndEverySampleGrid) {
    const std::string file = path("exp/run.json");
    std::shared_ptr<const TrainerSnapshot> saved;
    {
        LiveTrainer trainer(options());
        for (int i = 1; i <= 4; ++i) {
            trainer.step_once();
            wait_for_snapshot(
                trainer,
                [&](const TrainerSnapshot& s) {
                    return s.step >= i && s.state != TrainerState::Running;
                },
                kTimeout);
        }
        trainer.save_experiment(file);
        saved = wait_notice(trainer, "Saved");
        ASSERT_FALSE(saved->notice_is_error) << saved->notice.english();
    }
    ASSERT_EQ(saved->metrics->rows(), 4u);
    ASSERT_EQ(frame_steps(*saved), (std::vector<int64_t>{0, 1, 2, 3, 4}));
    EXPECT_TRUE(fs::is_directory(history_path_for(file)));

    LiveTrainer fresh(options());
    fresh.load_experiment(file);
    auto s = wait_notice(fresh, "Loaded");
    ASSERT_FALSE(s->notice_is_error) << s->notice.english();
    EXPECT_EQ(s->step, 4);
    ASSERT_TRUE(s->metrics);
    EXPECT_EQ(s->metrics->steps, saved->metrics->steps);
    EXPECT_EQ(s->metrics->names, saved->metrics->names);
    EXPECT_EQ(s->metrics->columns, saved->metrics->columns);
    ASSERT_EQ(frame_steps(*s), frame_steps(*saved));
    for (size_t i = 0; i < s->samples.size(); ++i)
        EXPECT_LE(max_difference(s->samples[i]->images, saved->samples[i]->images), kByteTolerance)
            << "frame of step " << s->samples[i]->step;

    // An experiment saved before histories were kept still loads, with its weights only.
    Experiment old = read_experiment(file);
    old.history.clear();
    write_experiment(path("exp/old.json"), old);
    fresh.load_experiment(path("exp/old.json"));
    s = wait_notice(fresh, "Loaded " + path("exp/old.json"));
    ASSERT_FALSE(s->notice_is_error) << s->notice.english();
    EXPECT_EQ(s->step, 4);
    EXPECT_EQ(s->metrics->rows(), 0u);
    EXPECT_EQ(frame_steps(*s), (std::vector<int64_t>{4}));
}

TEST_F(RunHistoryTest, AnOpenedTrainRunBringsBackItsMetricsAndSampleGrids) {
    // What `ganvas train --sample-every 2 --steps 4` leaves in its folder, stopped at step 3
    // by its last checkpoint: the grid of step 4 was written after it.
    Session run(options().config);
    fs::create_directories(path("run"));
    std::map<int64_t, Tensor> grids;
    {
        MetricsLog log(path("run/metrics.csv"), 0);
        for (int i = 1; i <= 4; ++i) {
            log.add(i, run.step(), i);
            if (i % 2 == 0) {
                grids[i] = run.fixed_samples();
                save_image_grid(path("run/samples_" + std::to_string(i) + ".png"), grids[i], 8);
            }
            if (i == 3) run.save_checkpoint(path("run/checkpoint.safetensors"));
        }
    }

    TrainerOptions o = options();
    o.checkpoint = path("run/checkpoint.safetensors");  // as `ganvas --checkpoint FILE`
    LiveTrainer trainer(o);
    auto s = wait_notice(trainer, "Opened");
    ASSERT_FALSE(s->notice_is_error) << s->notice.english();
    EXPECT_EQ(s->step, 3);
    EXPECT_EQ(s->metrics->steps, (std::vector<int64_t>{1, 2, 3}));
    ASSERT_EQ(frame_steps(*s), (std::vector<int64_t>{2, 3}));  // the file's, then the live one
    EXPECT_LE(max_difference(s->samples[0]->images, grids[2]), kByteTolerance);

    // Opened from the window: the same.
    trainer.configure(options().config);
    wait_notice(trainer, "New session");
    trainer.open_checkpoint(path("run/checkpoint.safetensors"));
    s = wait_notice(trainer, "Opened");
    EXPECT_EQ(s->metrics->steps, (std::vector<int64_t>{1, 2, 3}));
    EXPECT_EQ(frame_steps(*s), (std::vector<int64_t>{2, 3}));
}

TEST_F(RunHistoryTest, TheFolderOfARealGanvasTrainRunOpensWithItsHistory) {
    const std::string out = path("cli_run");
    auto r = testing::run_ganvas(
        "train --model dcgan28 --data fashion-mnist:test --batch 8 "
        "--steps 4 --sample-every 2 --threads 1 --seed 3 --quiet --out " +
        out);
    ASSERT_EQ(r.status, 0) << r.output;
    LiveTrainer trainer(options());
    trainer.open_checkpoint(out + "/checkpoint.safetensors");
    auto s = wait_notice(trainer, "Opened");
    ASSERT_FALSE(s->notice_is_error) << s->notice.english();
    EXPECT_EQ(s->metrics->steps, (std::vector<int64_t>{1, 2, 3, 4}));
    EXPECT_TRUE(s->metrics->column("loss_D"));
    // samples_2.png from the file; step 4's frame is the live one, drawn by the same weights.
    ASSERT_EQ(frame_steps(*s), (std::vector<int64_t>{2, 4}));
    const Tensor grid4 = load_image(out + "/samples_4.png", 1);  // (1, 1, 242, 242)
    RunHistory files = read_run_history(out, 4, s->samples[1]->images.shape());
    ASSERT_EQ(files.samples.size(), 2u);
    EXPECT_LE(max_difference(files.samples[1].images, s->samples[1]->images), kByteTolerance);
    EXPECT_EQ(grid4.size(3), 8 * 30 + 2);
}

}  // namespace
}  // namespace ganvas
