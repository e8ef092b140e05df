// LiveTrainer drives the same Session as the command line, from its own
// thread, through commands; these tests steer it as the window does.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>

#include "backend/backend.h"
#include "io/safetensors.h"
#include "nn/layer_trace.h"
#include "nn/layers.h"
#include "support/test_files.h"
#include "train/experiment_file.h"
#include "train/layer_table.h"
#include "train/live_trainer.h"
#include "train/metric_history.h"
#include "train/metrics_log.h"

namespace ganvas {
namespace {

using testing::TempDirTest;
constexpr double kTimeout = 120;
// A hang guard for waits that include the first FFD measurement: before it can measure,
// the trainer runs the classifier over all 10000 Fashion-MNIST test images once (the
// real side of the distance), which alone took over 120 s on a loaded 2-core machine.
// Below CTest's 600 s, so a real hang still fails here with the trainer's notice.
constexpr double kFfdTimeout = 540;
// Workers at the test's own priority: on a busy machine nice 10 would starve them.
[[maybe_unused]] const bool kNormalPriority = (set_worker_priority({0}), true);

bool same_bits(const Tensor& a, const Tensor& b) {
    if (a.shape() != b.shape() || a.dtype() != b.dtype()) return false;
    const size_t bytes = a.numel() * (a.dtype() == DType::f32 ? 4 : 8);
    const void* pa = a.dtype() == DType::f32 ? (const void*)a.data() : (const void*)a.data_i64();
    const void* pb = b.dtype() == DType::f32 ? (const void*)b.data() : (const void*)b.data_i64();
    return std::memcmp(pa, pb, bytes) == 0;
}

class LiveTrainerTest : public TempDirTest {
protected:
    TrainerOptions options(int64_t batch = 8) {
        TrainerOptions o;
        o.config.model = "dcgan28";
        o.config.data = "fashion-mnist:test";
        o.config.batch = batch;
        o.config.seed = 3;
        o.work_dir = path("work");
        o.threads = 1;
        o.sample_every = 2;
        o.stats_every = 1;
        return o;
    }
    static std::shared_ptr<const TrainerSnapshot> wait_step(const LiveTrainer& t, int64_t step,
                                                            double timeout = kTimeout) {
        return wait_for_snapshot(
            t,
            [&](const TrainerSnapshot& s) {
                return s.step >= step && s.state != TrainerState::Running;
            },
            timeout);
    }
    static std::shared_ptr<const TrainerSnapshot> settle(const LiveTrainer& t, uint64_t after) {
        return wait_for_snapshot(
            t, [&](const TrainerSnapshot& s) { return s.version > after; }, kTimeout);
    }
};

TEST_F(LiveTrainerTest, StepsMatchASessionSteppedDirectly) {
    LiveTrainer trainer(options());
    for (int i = 0; i < 3; ++i) {
        trainer.step_once();
        wait_step(trainer, i + 1);
    }
    auto s = trainer.snapshot();
    ASSERT_EQ(s->step, 3);
    EXPECT_EQ(s->state, TrainerState::Paused);

    Session direct(options().config);
    const auto* loss_D = s->metrics->column("loss_D");
    ASSERT_NE(loss_D, nullptr);
    for (int i = 0; i < 3; ++i) {
        StepStats stats = direct.step();
        EXPECT_EQ(stats[0].first, "loss_D");
        EXPECT_EQ(stats[0].second, (*loss_D)[i]) << "step " << i + 1;
    }
    EXPECT_EQ(s->metrics->steps, (std::vector<int64_t>{1, 2, 3}));
}

TEST_F(LiveTrainerTest, RunsToTheBudgetThenFinishes) {
    TrainerOptions o = options();
    o.budget = 4;
    o.start_running = true;
    LiveTrainer trainer(o);
    auto s = wait_for_snapshot(
        trainer, [](const TrainerSnapshot& s) { return s.state == TrainerState::Finished; },
        kTimeout);
    EXPECT_EQ(s->state, TrainerState::Finished);
    EXPECT_EQ(s->step, 4);
    // Sample grids at 0, 2 and 4 with the fixed noise, and norms every step.
    ASSERT_EQ(s->samples.size(), 3u);
    EXPECT_EQ(s->samples.back()->step, 4);
    EXPECT_EQ(s->samples.back()->images.shape(), (Shape{64, 1, 28, 28}));
    EXPECT_EQ(s->param_norms->rows(), 5u);
    EXPECT_TRUE(s->grad_norms->column("G.fc.weight"));
    EXPECT_GT((*s->grad_norms->column("D.c1.weight"))[4], 0.0f);

    trainer.run();  // at the budget: refuses and says so
    s = settle(trainer, s->version);
    EXPECT_EQ(s->step, 4);
    EXPECT_NE(s->notice.english().find("budget"), std::string::npos);
    trainer.set_budget(5);
    trainer.run();
    s = wait_for_snapshot(
        trainer,
        [](const TrainerSnapshot& s) { return s.step == 5 && s.state == TrainerState::Finished; },
        kTimeout);
    EXPECT_EQ(s->step, 5);
}

TEST_F(LiveTrainerTest, SettingsChangeBetweenStepsAndBadValuesAreRefused) {
    LiveTrainer trainer(options());
    auto s = settle(trainer, 0);
    trainer.set_hyper("lr_G", 1e-3);
    trainer.set_batch(16);
    trainer.step_once();
    s = wait_step(trainer, 1);
    auto value = [&](const std::string& name) {
        for (auto& h : s->hyper_params)
            if (h.name == name) return h.value;
        return std::nan("");
    };
    EXPECT_DOUBLE_EQ(value("lr_G"), 1e-3);
    EXPECT_EQ(s->config.batch, 16);

    const uint64_t before = s->version;
    trainer.set_hyper("lr_G", -1.0);
    trainer.set_hyper("no_such_setting", 1.0);
    trainer.set_batch(0);
    s = wait_for_snapshot(
        trainer,
        [&](const TrainerSnapshot& s) {
            return s.version > before && s.notice.english().find("batch") != std::string::npos;
        },
        kTimeout);
    EXPECT_TRUE(s->notice_is_error);
    EXPECT_DOUBLE_EQ(value("lr_G"), 1e-3);
    EXPECT_EQ(s->config.batch, 16);

    // Reset keeps the user's settings and starts again from the seed.
    trainer.reset();
    s = wait_for_snapshot(
        trainer,
        [](const TrainerSnapshot& s) {
            return s.step == 0 && s.notice.english().find("Reset") != std::string::npos;
        },
        kTimeout);
    EXPECT_DOUBLE_EQ(value("lr_G"), 1e-3);
    EXPECT_EQ(s->metrics->rows(), 0u);
}

TEST_F(LiveTrainerTest, SavedExperimentLoadsBackBitForBit) {
    LiveTrainer trainer(options());
    for (int i = 1; i <= 3; ++i) {
        trainer.step_once();
        wait_step(trainer, i);
    }
    trainer.set_hyper("beta1", 0.7);
    const std::string file = path("exp/run.json");
    trainer.save_experiment(file);
    auto s = wait_for_snapshot(
        trainer,
        [](const TrainerSnapshot& s) {
            return s.notice.english().find("Saved") != std::string::npos;
        },
        kTimeout);
    ASSERT_TRUE(std::filesystem::exists(checkpoint_path_for(file))) << s->notice.english();
    const auto saved = read_safetensors(checkpoint_path_for(file)).tensors;

    trainer.step_once();
    wait_step(trainer, 4);
    trainer.set_hyper("beta1", 0.5);
    trainer.load_experiment(file);
    s = wait_for_snapshot(
        trainer,
        [](const TrainerSnapshot& s) {
            return s.notice.english().find("Loaded") != std::string::npos;
        },
        kTimeout);
    EXPECT_EQ(s->step, 3);
    for (auto& h : s->hyper_params)
        if (h.name == "beta1") {
            EXPECT_DOUBLE_EQ(h.value, 0.7);
        }

    // A broken file changes nothing.
    testing::write_bytes(path("broken.json"), "{\"format\": \"ganvas-experiment\", \"model\": 3}");
    trainer.load_experiment(path("broken.json"));
    s = wait_for_snapshot(
        trainer,
        [](const TrainerSnapshot& s) {
            return s.notice.english().find("Load failed") != std::string::npos;
        },
        kTimeout);
    EXPECT_TRUE(s->notice_is_error);
    EXPECT_NE(s->notice.english().find("broken.json"), std::string::npos);
    EXPECT_EQ(s->step, 3);

    // Stepping on from the load gives what stepping on from the save gave.
    trainer.save_experiment(path("again.json"));
    wait_for_snapshot(
        trainer,
        [&](const TrainerSnapshot& s) {
            return s.notice.english().find("again.json") != std::string::npos;
        },
        kTimeout);
    const auto again = read_safetensors(path("again.safetensors")).tensors;
    ASSERT_EQ(saved.size(), again.size());
    for (size_t i = 0; i < saved.size(); ++i) {
        ASSERT_EQ(saved[i].first, again[i].first);
        EXPECT_TRUE(same_bits(saved[i].second, again[i].second)) << saved[i].first;
    }
}

TEST_F(LiveTrainerTest, OpensATrainRunWithItsSessionSettingsAndCurves) {
    // What `ganvas train --batch 4 --seed 5 --set beta1=0.6` leaves in its folder.
    SessionConfig config = options().config;
    config.batch = 4;
    config.seed = 5;
    Session run(config);
    run.model().set_hyper_param("beta1", 0.6);
    std::filesystem::create_directories(path("run"));
    {
        MetricsLog log(path("run/metrics.csv"), 0);
        for (int i = 1; i <= 3; ++i) log.add(i, run.step(), i);
    }
    run.save_checkpoint(path("run/checkpoint.safetensors"));
    testing::write_bytes(path("run/metrics.csv"),  // a row the checkpoint does not have
                         testing::read_bytes(path("run/metrics.csv")) + "4,1,1,4\n");

    TrainerOptions o = options();  // dcgan28, batch 8, seed 3: replaced by the run's
    o.checkpoint = path("run/checkpoint.safetensors");
    o.settings = {{"lr_D", 1e-4}};
    o.budget = 2;
    LiveTrainer trainer(o);
    auto s = wait_for_snapshot(
        trainer, [](const TrainerSnapshot& s) { return s.state == TrainerState::Paused; },
        kTimeout);
    EXPECT_NE(s->notice.english().find("Opened"), std::string::npos) << s->notice.english();
    EXPECT_EQ(s->step, 3);
    EXPECT_EQ(s->config.batch, 4);
    EXPECT_EQ(s->config.seed, 5u);
    EXPECT_EQ(s->budget, 5);  // two more steps
    ASSERT_TRUE(s->metrics);
    EXPECT_EQ(s->metrics->steps, (std::vector<int64_t>{1, 2, 3}));
    for (auto& h : s->hyper_params) {
        if (h.name == "beta1") {
            EXPECT_DOUBLE_EQ(h.value, 0.6);
        }
        if (h.name == "lr_D") {
            EXPECT_DOUBLE_EQ(h.value, 1e-4);
        }
    }

    // Not a checkpoint: an error, and the open run stays.
    testing::write_bytes(path("junk.safetensors"), "not a safetensors file");
    trainer.open_checkpoint(path("junk.safetensors"));
    s = wait_for_snapshot(
        trainer, [](const TrainerSnapshot& s) { return s.notice.english().find("Could not") == 0; },
        kTimeout);
    EXPECT_TRUE(s->notice_is_error);
    EXPECT_NE(s->notice.english().find("junk.safetensors"), std::string::npos);
    EXPECT_EQ(s->step, 3);
    EXPECT_EQ(s->config.batch, 4);

    // Opened again: the same two steps more, not two more on top of the last budget.
    trainer.open_checkpoint(path("run/checkpoint.safetensors"));
    s = wait_for_snapshot(
        trainer, [](const TrainerSnapshot& s) { return s.notice.english().find("Opened") == 0; },
        kTimeout);
    EXPECT_EQ(s->budget, 5);
}

TEST_F(LiveTrainerTest, ANonFiniteLossPausesAndRestoreGoesBackToTheLastGoodStep) {
    LiveTrainer trainer(options());
    trainer.step_once();
    wait_step(trainer, 1);
    const std::string file = path("nan.json");
    trainer.save_experiment(file);
    wait_for_snapshot(
        trainer,
        [](const TrainerSnapshot& s) {
            return s.notice.english().find("Saved") != std::string::npos;
        },
        kTimeout);
    // Poison one generator weight, as a diverged run would.
    SafetensorsFile ckpt = read_safetensors(checkpoint_path_for(file));
    for (auto& [name, t] : ckpt.tensors)
        if (name == "G.fc.weight") t.data()[0] = std::nanf("");
    save_safetensors(checkpoint_path_for(file), ckpt.tensors, ckpt.metadata);

    trainer.load_experiment(file);
    trainer.run();
    auto s = wait_for_snapshot(
        trainer, [](const TrainerSnapshot& s) { return !s.alarm.empty(); }, kTimeout);
    EXPECT_EQ(s->state, TrainerState::Paused);
    EXPECT_EQ(s->step, 2);
    EXPECT_NE(s->alarm.english().find("NaN"), std::string::npos) << s->alarm.english();
    EXPECT_NE(s->alarm.english().find("Restore goes back to step 0."), std::string::npos)
        << s->alarm.english();
    EXPECT_EQ(s->last_good_step, 0);  // the poisoned weights were never kept as good

    trainer.run();  // refused while the alarm stands
    trainer.restore_last_good();
    s = wait_for_snapshot(
        trainer,
        [](const TrainerSnapshot& s) {
            return s.notice.english().find("Restored") != std::string::npos;
        },
        kTimeout);
    EXPECT_TRUE(s->alarm.empty());
    EXPECT_EQ(s->step, 0);
    trainer.step_once();
    s = wait_step(trainer, 1);
    EXPECT_TRUE(std::isfinite((*s->metrics->column("loss_D")).back()));
}

TEST_F(LiveTrainerTest, FfdIsMeasuredEveryKStepsIntoItsOwnColumn) {
    TrainerOptions o = options();
    o.ffd_samples = 200;
    LiveTrainer trainer(o);
    trainer.set_ffd_every(2);
    for (int i = 1; i <= 2; ++i) {
        trainer.step_once();
        wait_step(trainer, i, i == 2 ? kFfdTimeout : kTimeout);  // step 2 measures
    }
    auto s = trainer.snapshot();
    ASSERT_EQ(s->step, 2) << "the trainer did not finish step 2: " << s->notice.english();
    EXPECT_EQ(s->ffd_every, 2);
    const auto* ffd = s->metrics->column("ffd");
    ASSERT_NE(ffd, nullptr) << s->notice.english();
    ASSERT_EQ(ffd->size(), 2u);
    EXPECT_TRUE(std::isnan((*ffd)[0]));  // step 1: not measured
    EXPECT_GT((*ffd)[1], 10.0f);         // step 2: untrained samples are far from real ones
}

TEST_F(LiveTrainerTest, GenerateAnswersWithTheGeneratorOfTheMoment) {
    LiveTrainer trainer(options());
    settle(trainer, 0);
    const uint64_t id = trainer.generate(Tensor::zeros({2, 64}));
    auto s = wait_for_snapshot(
        trainer, [&](const TrainerSnapshot& s) { return s.generated_request == id; }, kTimeout);
    ASSERT_EQ(s->generated_request, id);
    EXPECT_EQ(s->generated->images.shape(), (Shape{2, 1, 28, 28}));
    EXPECT_EQ(s->fixed_noise.shape(), (Shape{64, 64}));
}

// The effective receptive field runs the live network on a copy of its weights:
// the copy is deep, so training on does not change it.
TEST_F(LiveTrainerTest, CopyWeightsAnswersWithACopyOfTheWeightsOfTheMoment) {
    LiveTrainer trainer(options());
    settle(trainer, 0);
    const uint64_t first = trainer.copy_weights();
    auto s = wait_for_snapshot(
        trainer, [&](const TrainerSnapshot& s) { return s.weights_request == first; }, kTimeout);
    ASSERT_EQ(s->weights_request, first);
    auto before = s->weights;
    std::map<std::string, Tensor> named(before->begin(), before->end());
    ASSERT_EQ(named.count("D.c2.weight"), 1u);
    const Tensor kept = named["D.c2.weight"].clone();
    trainer.step_once();
    wait_step(trainer, 1);
    const uint64_t second = trainer.copy_weights();
    s = wait_for_snapshot(
        trainer, [&](const TrainerSnapshot& s) { return s.weights_request == second; }, kTimeout);
    std::map<std::string, Tensor> after(s->weights->begin(), s->weights->end());
    EXPECT_TRUE(same_bits(named["D.c2.weight"], kept));   // the first copy stayed
    EXPECT_FALSE(same_bits(after["D.c2.weight"], kept));  // the step moved the weights
    EXPECT_EQ(after.size(), named.size());
}

TEST_F(LiveTrainerTest, ABadConfigurationKeepsTheRunningSession) {
    LiveTrainer trainer(options());
    settle(trainer, 0);
    SessionConfig bad = options().config;
    bad.data = "idx:" + path("missing.idx");
    trainer.configure(bad);
    auto s = wait_for_snapshot(
        trainer, [](const TrainerSnapshot& s) { return s.notice_is_error; }, kTimeout);
    EXPECT_NE(s->notice.english().find("missing.idx"), std::string::npos) << s->notice.english();
    EXPECT_EQ(s->config.data, "fashion-mnist:test");
    EXPECT_EQ(s->state, TrainerState::Paused);
}

// What the sidebar's Apply does after picking a WGAN: a new session whose
// settings, statistics and layer table are the WGAN's.
TEST_F(LiveTrainerTest, ConfigureSwitchesToAWganWithItsSettingsAndStatistics) {
    LiveTrainer trainer(options());
    settle(trainer, 0);
    SessionConfig wgan = options().config;
    wgan.model = "wgan_clip28";
    trainer.configure(wgan);
    auto s = wait_for_snapshot(
        trainer,
        [](const TrainerSnapshot& s) {
            return s.config.model == "wgan_clip28" && s.state == TrainerState::Paused;
        },
        kTimeout);
    ASSERT_EQ(s->config.model, "wgan_clip28");
    std::vector<std::string> settings;
    for (auto& h : s->hyper_params) settings.push_back(h.name);
    EXPECT_EQ(settings, (std::vector<std::string>{"lr_G", "lr_D", "n_critic", "clip"}));
    trainer.set_hyper("n_critic", 2);
    trainer.step_once();
    s = wait_step(trainer, 1);
    ASSERT_TRUE(s->metrics->column("W_estimate"));
    EXPECT_TRUE(std::isfinite((*s->metrics->column("W_estimate"))[0]));
    EXPECT_FALSE(s->metrics->column("D(x)"));
    ASSERT_TRUE(s->layers);
    bool critic_without_bn = true;
    for (const LayerRow& row : *s->layers) critic_without_bn &= row.name != "D.bn2";
    EXPECT_TRUE(critic_without_bn);
}

TEST(LayerTable, Dcgan28LayersWithTracedShapesAndParameterCounts) {
    Rng rng(0);
    auto model = make_model("dcgan28", rng);
    Batch example;
    example.images = Tensor::zeros({1, 1, 28, 28});
    auto rows = layer_table(*model, example);
    auto find = [&](const std::string& name) {
        for (auto& r : rows)
            if (r.name == name) return r;
        ADD_FAILURE() << "no row " << name;
        return LayerRow{};
    };
    EXPECT_EQ(find("G").depth, 0);
    EXPECT_EQ(find("G").output, (Shape{1, 1, 28, 28}));
    EXPECT_EQ(find("D").output, (Shape{1}));
    EXPECT_EQ(find("G.up1").type, "ConvTranspose2d");
    EXPECT_EQ(find("G.up1").output, (Shape{1, 64, 14, 14}));
    EXPECT_EQ(find("G.up2").output, (Shape{1, 1, 28, 28}));
    EXPECT_EQ(find("D.c2").output, (Shape{1, 128, 7, 7}));
    EXPECT_EQ(find("D.fc").output, (Shape{1, 1}));
    EXPECT_EQ(find("G.fc").parameters, 64 * 6272);
    int64_t layers = 0;
    for (auto& r : rows)
        if (r.depth == 1 && r.name[0] == 'D') layers += r.parameters;
    EXPECT_EQ(layers, find("D").parameters);
}

TEST(LayerTrace, RecordsOnlyWhileAlive) {
    Rng rng(0);
    Linear fc(3, 2, true, rng);
    fc.forward(Tensor::zeros({4, 3}));
    {
        LayerTrace trace;
        fc.forward(Tensor::zeros({5, 3}));
        ASSERT_EQ(trace.outputs().size(), 1u);
        EXPECT_EQ(trace.first_output(&fc), (Shape{5, 2}));
    }
}

TEST(MetricHistory, LateColumnsAreNaNBeforeTheyAppearAndTruncationKeepsEarlierRows) {
    MetricHistory h;
    h.add(1, {{"a", 1.0f}});
    h.add(2, {{"a", 2.0f}, {"b", 20.0f}});
    h.set_last("ffd", 7.0f);
    h.add(3, {{"a", 3.0f}});
    ASSERT_EQ(h.names, (std::vector<std::string>{"a", "b", "ffd"}));
    EXPECT_TRUE(std::isnan((*h.column("b"))[0]));
    EXPECT_EQ((*h.column("b"))[1], 20.0f);
    EXPECT_EQ((*h.column("ffd"))[1], 7.0f);
    EXPECT_TRUE(std::isnan((*h.column("ffd"))[2]));
    h.truncate_after(2);
    EXPECT_EQ(h.steps, (std::vector<int64_t>{1, 2}));
    EXPECT_EQ(h.column("a")->size(), 2u);
    EXPECT_EQ(h.column("nope"), nullptr);
}

class ExperimentFileTest : public TempDirTest {};

TEST_F(ExperimentFileTest, RoundTripsAndNamesTheBadField) {
    Experiment e;
    e.config.model = "dcgan28";
    e.config.data = "fashion-mnist";
    e.config.batch = 32;
    e.config.seed = 7;
    e.budget = 1234;
    e.hyper = {{"lr_G", 1e-4}};
    e.checkpoint = checkpoint_path_for(path("a.json"));
    write_experiment(path("a.json"), e);
    Experiment back = read_experiment(path("a.json"));
    EXPECT_EQ(back.config.batch, 32);
    EXPECT_EQ(back.config.seed, 7u);
    EXPECT_EQ(back.budget, 1234);
    EXPECT_DOUBLE_EQ(back.hyper.at("lr_G"), 1e-4);
    EXPECT_EQ(back.checkpoint, path("a.safetensors"));

    testing::write_bytes(path("b.json"), "{\"format\": \"ganvas-experiment\", \"version\": 1}");
    testing::expect_error([&] { read_experiment(path("b.json")); }, path("b.json"), "model");
    testing::write_bytes(path("c.json"), "{not json");
    testing::expect_error([&] { read_experiment(path("c.json")); }, path("c.json"), "JSON");
    testing::expect_error([&] { read_experiment(path("none.json")); }, path("none.json"),
                          "cannot open");
}

// The window's trainer on the GPU backend (llvmpipe in CI): its own thread opens
// its own context, trains to the budget and hands the panels host copies.
TEST_F(LiveTrainerTest, TrainsOnTheGpuToTheBudget) {
    std::string why;
    if (!backend_available(Device::gpu, &why)) GTEST_SKIP() << why;
    TrainerOptions o = options(4);
    o.config.device = Device::gpu;
    o.budget = 2;
    o.start_running = true;
    LiveTrainer trainer(o);
    auto s = wait_for_snapshot(
        trainer,
        [](const TrainerSnapshot& s) {
            return s.state == TrainerState::Finished || s.state == TrainerState::Failed ||
                   s.notice_is_error;
        },
        kTimeout);
    ASSERT_EQ(s->state, TrainerState::Finished) << s->notice.english();
    EXPECT_EQ(s->step, 2);
    ASSERT_FALSE(s->samples.empty());
    EXPECT_EQ(s->samples.back()->images.device(), Device::cpu);

    Session direct(options(4).config);
    const auto* loss_D = s->metrics->column("loss_D");
    ASSERT_NE(loss_D, nullptr);
    for (int i = 0; i < 2; ++i)
        EXPECT_NEAR((*loss_D)[i], direct.step()[0].second, 1e-4) << "step " << i + 1;

    // The Samples tab's latent walk: host noise in, host images out.
    const uint64_t id = trainer.generate(Rng(4).randn({3, 64}));
    s = wait_for_snapshot(
        trainer, [&](const TrainerSnapshot& s) { return s.generated_request == id; }, kTimeout);
    ASSERT_TRUE(s->generated) << s->notice.english();
    EXPECT_EQ(s->generated->images.shape(), (Shape{3, 1, 28, 28}));
    EXPECT_EQ(s->generated->images.device(), Device::cpu);
}

}  // namespace
}  // namespace ganvas
