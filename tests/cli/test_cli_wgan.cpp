// The WGANs on the command line: train writes the critic's statistics to
// metrics.csv, a grid and a checkpoint that resumes bit for bit; sample reads
// Ganvas's and PyTorch's wgan_gp28 checkpoints; bench times wgan_gp28.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "io/npy.h"
#include "support/cli_runner.h"
#include "support/golden.h"
#include "tensor/rng.h"

using namespace ganvas;
using ganvas::testing::read_bytes;
using ganvas::testing::run_ganvas;
using ganvas::testing::temp_dir;
using ganvas::testing::write_bytes;
namespace fs = std::filesystem;

namespace {

const std::string kGolden = ganvas::testing::golden_path("wgan28/");

// A tiny IDX file of n random 28x28 images.
std::string write_images(const std::string& dir, int n) {
    std::string b = {0, 0, 8, 3, 0, 0, 0, static_cast<char>(n), 0, 0, 0, 28, 0, 0, 0, 28};
    Rng rng(5);
    for (int i = 0; i < n * 784; ++i) b += static_cast<char>(rng.randint(256));
    write_bytes(dir + "/imgs.idx", b);
    return "idx:" + dir + "/imgs.idx";
}

std::string first_line(const std::string& path) {
    std::istringstream in(read_bytes(path));
    std::string line;
    std::getline(in, line);
    return line;
}

}  // namespace

TEST(CliWgan, TrainWritesCriticMetricsGridAndResumableCheckpoint) {
    const std::string dir = temp_dir("wgan_train");
    const std::string common = " --model wgan_gp28 --data " + write_images(dir, 24) +
                               " --batch 8 --threads 1 --seed 2 --sample-every 1 ";
    auto a = run_ganvas("train" + common + "--steps 2 --out " + dir + "/straight");
    ASSERT_EQ(a.status, 0) << a.output;
    EXPECT_EQ(first_line(dir + "/straight/metrics.csv"),
              "step,loss_D,loss_G,W_estimate,gradient_penalty,grad_norm,elapsed_s");
    EXPECT_TRUE(fs::exists(dir + "/straight/samples_2.png"));
    ASSERT_EQ(run_ganvas("train" + common + "--steps 1 --out " + dir + "/split").status, 0);
    auto c = run_ganvas("train" + common + "--steps 2 --resume --out " + dir + "/split");
    ASSERT_EQ(c.status, 0) << c.output;
    EXPECT_EQ(read_bytes(dir + "/straight/checkpoint.safetensors"),
              read_bytes(dir + "/split/checkpoint.safetensors"));

    auto s = run_ganvas("sample --checkpoint " + dir + "/straight/checkpoint.safetensors --n 9 " +
                        "--seed 1 --out " + dir + "/grid.png");
    ASSERT_EQ(s.status, 0) << s.output;
    EXPECT_GT(fs::file_size(dir + "/grid.png"), 300u);
}

TEST(CliWgan, ClippedWganTrainsAndSamples) {
    const std::string dir = temp_dir("wgan_clip");
    auto r = run_ganvas("train --model wgan_clip28 --data " + write_images(dir, 16) +
                        " --batch 8 --threads 1 --steps 1 --out " + dir + "/run");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(first_line(dir + "/run/metrics.csv"), "step,loss_D,loss_G,W_estimate,elapsed_s");
    auto s = run_ganvas("sample --checkpoint " + dir + "/run/checkpoint.safetensors --n 4 --out " +
                        dir + "/x.npy");
    ASSERT_EQ(s.status, 0) << s.output;
    EXPECT_EQ(load_npy(dir + "/x.npy").shape(), (Shape{4, 1, 28, 28}));
}

TEST(CliWgan, SampleFromReferenceCheckpointMatchesPyTorch) {
    const std::string dir = temp_dir("wgan_sample");
    // The reference writes no metadata: the critic's c2 bias says wgan_gp28.
    auto r = run_ganvas("sample --checkpoint " + kGolden + "checkpoint.safetensors --z " + kGolden +
                        "z.npy --out " + dir + "/out.npy");
    ASSERT_EQ(r.status, 0) << r.output;
    ganvas::testing::expect_close(load_npy(dir + "/out.npy"),
                                  ganvas::testing::golden("wgan28/out.npy"), 1e-4, 0, "samples");
}

TEST(CliWgan, BenchTimesWganGp) {
    auto r = run_ganvas("bench --model wgan_gp28 --steps 1 --warmup 0 --json");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("\"wgan_gp28\": "), std::string::npos) << r.output;
}
