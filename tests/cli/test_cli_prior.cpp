// prior49 on the command line: training on code grids with a held-out NLL
// column, sampling codes decoded by a VQGAN, and clear errors.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "io/npy.h"
#include "support/cli_runner.h"
#include "support/golden.h"
#include "tensor/rng.h"

using namespace ganvas;
using ganvas::testing::read_bytes;
using ganvas::testing::run_ganvas;
using ganvas::testing::temp_dir;

namespace {

const std::string kVq = ganvas::testing::golden_path("vqgan28/checkpoint.safetensors");

void write_codes(const std::string& path, int64_t n, uint64_t seed) {
    Rng rng(seed);
    std::vector<int64_t> v(n * 49);
    for (auto& c : v) c = rng.randint(16);  // few distinct codes: learnable in a few steps
    save_npy(path, Tensor::from_vector_i64({n, 7, 7}, v));
}

void expect_one_line_error(const ganvas::testing::CliResult& r, const std::string& what) {
    EXPECT_NE(r.status, 0) << r.output;
    EXPECT_NE(r.output.find(what), std::string::npos) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
}

}  // namespace

TEST(CliPrior, TrainsOnCodesWithHeldOutNllThenSamplesThroughTheVq) {
    const std::string dir = temp_dir("prior_cli");
    write_codes(dir + "/train.npy", 40, 1);
    write_codes(dir + "/test.npy", 10, 2);
    auto r = run_ganvas("train --model prior49 --data codes:" + dir + "/train.npy," + dir +
                        "/test.npy --batch 8 --steps 4 --eval-every 2 --threads 1 --out " + dir +
                        "/run --quiet");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("held-out:"), std::string::npos) << r.output;
    const std::string csv = read_bytes(dir + "/run/metrics.csv");
    EXPECT_NE(csv.find("bits_per_code"), std::string::npos) << csv;
    EXPECT_NE(csv.find("heldout_bits_per_code"), std::string::npos) << csv;

    const std::string ckpt = dir + "/run/checkpoint.safetensors";
    const std::string common = "sample --checkpoint " + ckpt + " --vq " + kVq + " --n 3 ";
    r = run_ganvas(common + "--seed 5 --top-k 8 --top-p 0.9 --temperature 0.8 --out " + dir +
                   "/a.npy --codes-out " + dir + "/a_codes.npy");
    ASSERT_EQ(r.status, 0) << r.output;
    Tensor images = load_npy(dir + "/a.npy"), codes = load_npy(dir + "/a_codes.npy");
    EXPECT_EQ(images.shape(), (Shape{3, 1, 28, 28}));
    ASSERT_EQ(codes.shape(), (Shape{3, 7, 7}));
    ASSERT_EQ(codes.dtype(), DType::i64);
    for (int64_t i = 0; i < codes.numel(); ++i) {
        EXPECT_GE(codes.data_i64()[i], 0);
        EXPECT_LT(codes.data_i64()[i], 256);
    }
    for (int64_t i = 0; i < images.numel(); ++i) EXPECT_LE(std::fabs(images.data()[i]), 1.0f);
    r = run_ganvas(common + "--seed 5 --top-k 8 --top-p 0.9 --temperature 0.8 --out " + dir +
                   "/b.npy --codes-out " + dir + "/b_codes.npy");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(read_bytes(dir + "/a_codes.npy"), read_bytes(dir + "/b_codes.npy"));
    // Greedy decoding ignores the seed.
    for (const char* seed : {"1", "2"}) {
        r = run_ganvas(common + "--top-k 1 --seed " + seed + " --out " + dir + "/g" + seed +
                       ".png --codes-out " + dir + "/g" + seed + ".npy");
        ASSERT_EQ(r.status, 0) << r.output;
    }
    EXPECT_EQ(read_bytes(dir + "/g1.npy"), read_bytes(dir + "/g2.npy"));
    EXPECT_GT(std::filesystem::file_size(dir + "/g1.png"), 100u);

    expect_one_line_error(
        run_ganvas("sample --checkpoint " + ckpt + " --n 2 --out " + dir + "/x.png"), "--vq");
    expect_one_line_error(run_ganvas(common + "--temperature -1 --out " + dir + "/x.png"),
                          "--temperature");
    expect_one_line_error(run_ganvas(common + "--top-k 300 --out " + dir + "/x.png"), "--top-k");
}

TEST(CliPrior, ClearErrorsForWrongData) {
    const std::string dir = temp_dir("prior_cli_errors");
    save_npy(dir + "/bad.npy", Tensor::full({2, 49}, 300.0f));
    auto r = run_ganvas("train --model prior49 --data codes:" + dir +
                        "/bad.npy --batch 2 --steps 1 --out " + dir + "/run --quiet");
    expect_one_line_error(r, "300");
    r = run_ganvas("train --model dcgan28 --vq " + kVq + " --steps 1 --out " + dir +
                   "/run2 --quiet");
    expect_one_line_error(r, "--vq");
    r = run_ganvas("train --model prior49 --data codes:" + dir + "/missing.npy --steps 1 --out " +
                   dir + "/run3 --quiet");
    expect_one_line_error(r, "missing.npy");
    // Images are not code grids: the model says what to give instead, and nothing is written.
    r = run_ganvas("train --model prior49 --data fashion-mnist:test --steps 1 --out " + dir +
                   "/run4 --quiet");
    expect_one_line_error(r, "prior49 trains on VQ code grids: give --vq");
    EXPECT_FALSE(std::filesystem::exists(dir + "/run4"));
}
