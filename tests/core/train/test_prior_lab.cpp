// PriorLab, the worker behind the VQ Stage 2 tab: loading codes data with a
// VQGAN (given, or trained here as stage 1), training with held-out NLL,
// animated sampling and completion, errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "models/vq_codes.h"
#include "ops/shape_ops.h"
#include "support/golden.h"
#include "train/metrics_log.h"
#include "train/prior_lab.h"
#include "train/session.h"

using namespace ganvas;

namespace {

// Workers at the test's own priority: on a busy machine nice 10 would starve them.
[[maybe_unused]] const bool kNormalPriority = (set_worker_priority({0}), true);

const std::string kVq = ganvas::testing::golden_path("vqgan28/checkpoint.safetensors");

// Polls the lab's state until `done` holds (or 120 s pass: a hang fails the test).
std::shared_ptr<const PriorLab::State> wait_for(
    PriorLab& lab, const std::function<bool(const PriorLab::State&)>& done) {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    for (;;) {
        auto s = lab.state();
        if (done(*s) || std::chrono::steady_clock::now() > until) return s;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

PriorLabConfig small_config() {
    PriorLabConfig c;
    c.vq_path = kVq;
    c.train_images = 200;
    c.heldout_images = 20;
    c.eval_every = 2;
    return c;
}

}  // namespace

TEST(PriorLab, LoadsTrainsAndMeasuresHeldOutBits) {
    PriorLab lab;
    lab.load(small_config());
    auto s = wait_for(lab, [](auto& s) { return s.ready || !s.error.empty(); });
    ASSERT_TRUE(s->ready) << s->error;
    EXPECT_EQ(lab.heldout_count(), 20);
    EXPECT_TRUE(std::isfinite(s->last_heldout_bits));
    lab.set_training(true);
    s = wait_for(lab, [](auto& s) { return s.step >= 4; });
    lab.set_training(false);
    ASSERT_GE(s->step, 4);
    ASSERT_EQ(s->steps.size(), s->train_bits.size());
    ASSERT_EQ(s->steps.size(), s->heldout_bits.size());
    EXPECT_TRUE(std::isnan(s->heldout_bits[0]));  // measured every 2 steps only
    EXPECT_TRUE(std::isfinite(s->heldout_bits[1]));
}

TEST(PriorLab, SamplesCodeByCodeAndCompletesKeepingRows) {
    PriorLab lab;
    lab.load(small_config());
    ASSERT_TRUE(wait_for(lab, [](auto& s) { return s.ready || !s.error.empty(); })->ready);
    lab.generate(3, SamplingOptions{}, 1, 0.0);
    auto s =
        wait_for(lab, [](auto& s) { return s.codes.defined() && !s.sampling && s.position == 49; });
    ASSERT_EQ(s->position, 49);
    EXPECT_EQ(s->images.shape(), (Shape{3, 1, 28, 28}));
    EXPECT_EQ(s->candidates_position, 48);  // the last position's choices stay on show
    EXPECT_EQ(s->candidates.size(), 8u);

    lab.complete(4, 3, 2, SamplingOptions{}, 2, 0.0);
    s = wait_for(lab,
                 [](auto& s) { return s.source.defined() && !s.sampling && s.position == 49; });
    ASSERT_TRUE(s->source.defined());
    EXPECT_EQ(s->first_position, 21);
    for (int64_t t = 0; t < 21; ++t) EXPECT_EQ(s->codes.data_i64()[t], s->codes.data_i64()[49 + t]);
}

TEST(PriorLab, ABadFileIsOneErrorAndNoCrash) {
    PriorLab lab;
    PriorLabConfig c = small_config();
    c.vq_path = "/nonexistent/vq.safetensors";
    lab.load(c);
    auto s = wait_for(lab, [](auto& s) { return !s.error.empty(); });
    EXPECT_FALSE(s->ready);
    EXPECT_NE(s->error.find("/nonexistent/vq.safetensors"), std::string::npos) << s->error;
    lab.generate(2, SamplingOptions{}, 1, 0.0);  // ignored while nothing is loaded
    lab.set_training(true);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_FALSE(lab.state()->training);
}

namespace {

// One line, naming `what`: how a window shows an error.
void expect_one_line_naming(const std::string& error, const std::string& what) {
    EXPECT_NE(error.find(what), std::string::npos) << error;
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
}

Stage1Config tiny_stage1(const std::string& dir) {
    Stage1Config c;
    c.out_dir = dir;
    c.steps = 3;
    c.batch = 8;
    c.data = "fashion-mnist:test";
    return c;
}

std::string temp_folder(const std::string& name) {
    auto dir = std::filesystem::path(::testing::TempDir()) /
               ("ganvas_prior_lab_" + name + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    return dir.string();
}

}  // namespace

TEST(PriorLabStage1, TrainsAVqganThatCodesDataForThePrior) {
    const std::string dir = temp_folder("stage1");
    std::vector<int64_t> seen;
    const std::string checkpoint = train_stage1(tiny_stage1(dir), [&](int64_t step, auto& stats) {
        seen.push_back(step);
        return !stats.empty();
    });
    EXPECT_EQ(seen, (std::vector<int64_t>{1, 2, 3}));
    ASSERT_EQ(checkpoint, dir + "/checkpoint.safetensors");
    EXPECT_EQ(read_metrics_log(dir + "/metrics.csv", 100).rows(), 3u);
    // EMA codebook and dead-code restarts: the settings that keep the codebook in use.
    Session back(checkpoint_session_config(checkpoint));
    back.load_checkpoint(checkpoint);
    EXPECT_EQ(back.steps_done(), 3);
    for (auto& h : back.model().hyper_params()) {
        if (h.name != "ema" && h.name != "restart_dead") continue;
        EXPECT_EQ(h.value, 1) << h.name;
    }
    auto vq = load_vq_for_prior(checkpoint);
    EXPECT_EQ(encode_to_codes(*vq, narrow(back.dataset().images, 0, 0, 4)).shape(),
              (Shape{4, 7, 7}));

    Stage1Config none = tiny_stage1(temp_folder("stage1_none"));
    none.steps = 0;
    EXPECT_THROW(train_stage1(none, {}), std::runtime_error);

    // Stopped: nothing written.
    const std::string stopped = temp_folder("stage1_stopped");
    EXPECT_EQ(train_stage1(tiny_stage1(stopped), [](int64_t step, auto&) { return step < 2; }), "");
    EXPECT_FALSE(std::filesystem::exists(stopped + "/checkpoint.safetensors"));
}

TEST(PriorLabStage1, TheLabTrainsStage1ThenCodesTheDataAndTrainsThePrior) {
    const std::string dir = temp_folder("lab_stage1");
    PriorLab lab;
    PriorLabConfig then = small_config();
    then.vq_path = "/nonexistent/ignored.safetensors";   // replaced by the new stage 1
    then.prior_path = "/nonexistent/prior.safetensors";  // a prior of other codes: dropped
    lab.train_stage1(tiny_stage1(dir), then);
    auto s = wait_for(lab, [](auto& s) { return s.ready || !s.error.empty(); });
    ASSERT_TRUE(s->ready) << s->error;
    EXPECT_FALSE(s->stage1_training);
    EXPECT_EQ(s->stage1_steps, 0);  // the load's own state: stage 1 is done
    EXPECT_NE(s->status.english().find("fresh prior"), std::string::npos) << s->status.english();
    EXPECT_EQ(lab.heldout_count(), 20);
    lab.set_training(true);
    s = wait_for(lab, [](auto& s) { return s.step >= 2; });
    lab.set_training(false);
    EXPECT_GE(s->step, 2);
    EXPECT_TRUE(std::isfinite(s->train_bits.back()));
}

TEST(PriorLabStage1, ACancelledStage1SavesNothingAndLoadsNothing) {
    const std::string dir = temp_folder("lab_cancel");
    PriorLab lab;
    Stage1Config long_run = tiny_stage1(dir);
    long_run.steps = 100000;
    lab.train_stage1(long_run, small_config());
    auto s = wait_for(lab, [](auto& s) { return s.stage1_step >= 1 || !s.error.empty(); });
    ASSERT_TRUE(s->stage1_training) << s->error;
    EXPECT_EQ(s->stage1_steps, 100000);
    lab.cancel_stage1();
    s = wait_for(lab, [](auto& s) { return !s.stage1_training; });
    EXPECT_FALSE(s->stage1_training);
    EXPECT_FALSE(s->ready);
    EXPECT_EQ(s->error, "");
    EXPECT_NE(s->status.english().find("cancelled"), std::string::npos) << s->status.english();
    EXPECT_FALSE(std::filesystem::exists(dir + "/checkpoint.safetensors"));
}

TEST(PriorLabStage1, BadFilesAndFoldersAreOneClearLine) {
    const std::string dir = temp_folder("bad_files");
    std::filesystem::create_directories(dir);
    {  // not a safetensors file
        std::ofstream(dir + "/junk.safetensors") << "not a checkpoint";
        PriorLab lab;
        PriorLabConfig c = small_config();
        c.vq_path = dir + "/junk.safetensors";
        lab.load(c);
        auto s = wait_for(lab, [](auto& s) { return !s.error.empty() || s.ready; });
        EXPECT_FALSE(s->ready);
        expect_one_line_naming(s->error, c.vq_path);
    }
    {  // a checkpoint of another model
        SessionConfig dcgan;
        dcgan.data = "fashion-mnist:test";
        dcgan.batch = 4;
        Session(dcgan).save_checkpoint(dir + "/dcgan.safetensors");
        PriorLab lab;
        PriorLabConfig c = small_config();
        c.vq_path = dir + "/dcgan.safetensors";
        lab.load(c);
        auto s = wait_for(lab, [](auto& s) { return !s.error.empty() || s.ready; });
        EXPECT_FALSE(s->ready);
        expect_one_line_naming(s->error, c.vq_path);
    }
    {  // stage 1 into a folder that is a file
        std::ofstream(dir + "/a_file") << "x";
        PriorLab lab;
        Stage1Config st = tiny_stage1(dir + "/a_file");
        lab.train_stage1(st, small_config());
        auto s = wait_for(lab, [](auto& s) { return !s.error.empty() || s.ready; });
        EXPECT_FALSE(s->ready);
        EXPECT_FALSE(s->stage1_training);
        expect_one_line_naming(s->error, dir + "/a_file");
    }
}
