// ganvas reconstruct and ganvas train --model vqgan28 as users meet them: the
// reference checkpoint's codes and reconstruction, and one clear sentence for bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include "io/npy.h"
#include "io/safetensors.h"
#include "support/cli_runner.h"
#include "support/golden.h"

using namespace ganvas;
using ganvas::testing::expect_clear_error;
using ganvas::testing::expect_close;
using ganvas::testing::golden;
using ganvas::testing::golden_path;
using ganvas::testing::run_ganvas;
using ganvas::testing::temp_dir;
using ganvas::testing::write_bytes;
namespace fs = std::filesystem;

namespace {

const std::string kGolden = golden_path("vqgan28/");

}  // namespace

TEST(CliVqgan28, ReconstructMatchesTheReference) {
    const std::string dir = temp_dir("vq_reconstruct");
    auto r = run_ganvas("reconstruct --checkpoint " + kGolden + "checkpoint.safetensors --in " +
                        kGolden + "x.npy --out " + dir + "/rec.npy --codes " + dir + "/codes.npy");
    ASSERT_EQ(r.status, 0) << r.output;
    Tensor codes = load_npy(dir + "/codes.npy");
    ASSERT_EQ(codes.dtype(), DType::i64);
    ASSERT_EQ(codes.shape(), (Shape{8, 7, 7}));
    expect_close(codes, golden("vqgan28/codes.npy"), 0, 0, "codes");
    expect_close(load_npy(dir + "/rec.npy"), golden("vqgan28/out.npy"), 1e-4, 0, "reconstruction");
}

TEST(CliVqgan28, ReconstructRefusesBadInputInOneSentence) {
    const std::string dir = temp_dir("vq_reconstruct_bad");
    const std::string ck = kGolden + "checkpoint.safetensors";
    save_npy(dir + "/small.npy", Tensor::zeros({2, 1, 14, 14}));
    expect_clear_error(run_ganvas("reconstruct --checkpoint " + ck + " --in " + dir +
                                  "/small.npy --out " + dir + "/r.npy"),
                       dir + "/small.npy: images must be float32 (N, 1, 28, 28)");
    Tensor nan = Tensor::zeros({1, 1, 28, 28});
    nan.data()[3] = std::numeric_limits<float>::quiet_NaN();
    save_npy(dir + "/nan.npy", nan);
    expect_clear_error(run_ganvas("reconstruct --checkpoint " + ck + " --in " + dir +
                                  "/nan.npy --out " + dir + "/r.npy"),
                       "images must be finite");
    write_bytes(dir + "/junk.safetensors", "not a safetensors file");
    expect_clear_error(run_ganvas("reconstruct --checkpoint " + dir + "/junk.safetensors --in " +
                                  kGolden + "x.npy --out " + dir + "/r.npy"),
                       dir + "/junk.safetensors");
    // A dcgan28 checkpoint is not a VQGAN.
    expect_clear_error(
        run_ganvas("reconstruct --checkpoint " + golden_path("dcgan28/checkpoint.safetensors") +
                   " --in " + kGolden + "x.npy --out " + dir + "/r.npy"),
        "not a vqgan28 checkpoint");
    expect_clear_error(run_ganvas("reconstruct --checkpoint " + ck + " --in " + kGolden +
                                  "x.npy --out " + dir + "/r.png"),
                       "--out must end in .npy");
    EXPECT_FALSE(fs::exists(dir + "/r.npy"));
}

TEST(CliVqgan28, TrainWritesMetricsGridsAndACheckpointReconstructReads) {
    const std::string dir = temp_dir("vq_train");
    auto r = run_ganvas(
        "train --model vqgan28 --steps 3 --batch 8 --sample-every 3 --quiet --out " + dir + "/run");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_TRUE(fs::exists(dir + "/run/reconstructions_3.png")) << r.output;
    std::ifstream csv(dir + "/run/metrics.csv");
    std::string header;
    std::getline(csv, header);
    for (const char* column : {"rec", "codebook", "commitment", "gan", "lambda", "d_loss",
                               "perplexity", "used_codes", "dead_codes"})
        EXPECT_NE(header.find(column), std::string::npos) << header;
    save_npy(dir + "/x.npy", Tensor::zeros({3, 28, 28}));
    r = run_ganvas("reconstruct --checkpoint " + dir + "/run/checkpoint.safetensors --in " + dir +
                   "/x.npy --out " + dir + "/rec.npy --codes " + dir + "/codes.npy");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(load_npy(dir + "/rec.npy").shape(), (Shape{3, 1, 28, 28}));
    EXPECT_EQ(load_npy(dir + "/codes.npy").shape(), (Shape{3, 7, 7}));
}

TEST(CliVqgan28, TrainSetsModelSettingsAndRefusesUnknownOnes) {
    const std::string dir = temp_dir("vq_train_set");
    expect_clear_error(
        run_ganvas("train --model vqgan28 --steps 1 --set nosuch=1 --out " + dir + "/a"),
        "vqgan28 has no setting 'nosuch'");
    expect_clear_error(run_ganvas("train --model vqgan28 --steps 1 --set ema --out " + dir + "/b"),
                       "--set expects name=value");
    auto r = run_ganvas(
        "train --model vqgan28 --steps 2 --batch 4 --quiet --set "
        "disc_start=5,ema=1,restart_dead=1,dead_after=1 --out " +
        dir + "/c");
    ASSERT_EQ(r.status, 0) << r.output;
    std::ifstream csv(dir + "/c/metrics.csv");
    std::string header, row;
    std::getline(csv, header);
    std::getline(csv, row);
    EXPECT_NE(row.find(",0,0,"), std::string::npos)
        << "gan and lambda are 0 before disc_start: " << row;
}
