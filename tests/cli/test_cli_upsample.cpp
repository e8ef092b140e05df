// ganvas upsample: numbers as PyTorch writes them, PNG in and out, and one clear
// error line with a non-zero exit for every kind of bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "io/image_png.h"
#include "io/npy.h"
#include "support/cli_runner.h"
#include "support/golden.h"

using namespace ganvas;
using ganvas::testing::expect_clear_error;
using ganvas::testing::run_ganvas;
using ganvas::testing::temp_dir;
using ganvas::testing::write_bytes;
namespace fs = std::filesystem;

namespace {

const std::string kGolden = ganvas::testing::golden_path("upsample/");

TEST(CliUpsample, NpyMatchesPyTorchForEachMode) {
    const std::string dir = temp_dir("cli_upsample_npy");
    // Golden cases with one scale for both axes (the CLI takes one) or a size: golden_upsample.py's
    // SPECS[0] (scale 2), SPECS[4] (scale 0.5) and SPECS[11] (size 1x9).
    struct C {
        std::string name, mode, extra;
    };
    for (const C& c : {C{"i0_bilinear_0", "bilinear", "--scale 2"},
                       C{"i0_bicubic_1", "bicubic", "--scale 2 --align-corners"},
                       C{"i0_nearest_exact_0", "nearest-exact", "--scale 2"},
                       C{"i4_area_0", "area", "--scale 0.5"},
                       C{"i11_bilinear_1", "bilinear", "--size 1x9 --align-corners"}}) {
        SCOPED_TRACE(c.name);
        const std::string out = dir + "/" + c.name + ".npy";
        auto r = run_ganvas("upsample --in " + kGolden + c.name + "_x.npy --mode " + c.mode + " " +
                            c.extra + " --out " + out);
        ASSERT_EQ(r.status, 0) << r.output;
        ganvas::testing::expect_close(load_npy(out),
                                      ganvas::testing::golden("upsample/" + c.name + "_y.npy"),
                                      1e-5, 0, c.name);
    }
}

TEST(CliUpsample, PixelShuffleNpy) {
    const std::string dir = temp_dir("cli_upsample_shuffle");
    auto r = run_ganvas("upsample --in " + kGolden +
                        "shuffle2_x.npy --mode pixelshuffle --scale 2 "
                        "--out " +
                        dir + "/y.npy");
    ASSERT_EQ(r.status, 0) << r.output;
    ganvas::testing::expect_close(load_npy(dir + "/y.npy"),
                                  ganvas::testing::golden("upsample/shuffle2_y.npy"), 0, 0,
                                  "shuffle2_y");
}

TEST(CliUpsample, PngInPngOutKeepsGrayAndColour) {
    const std::string dir = temp_dir("cli_upsample_png");
    const uint8_t gray[6] = {0, 50, 100, 150, 200, 250};  // 3 wide, 2 high
    save_png(dir + "/gray.png", 3, 2, 1, gray);
    auto r = run_ganvas("upsample --in " + dir + "/gray.png --mode nearest --scale 3 --out " + dir +
                        "/big.png");
    ASSERT_EQ(r.status, 0) << r.output;
    ASSERT_EQ(image_file_channels(dir + "/big.png"), 1);
    const Tensor big = load_image(dir + "/big.png", 1);  // (1, 1, 6, 9)
    ASSERT_EQ(big.shape(), (Shape{1, 1, 6, 9}));
    const Tensor small = load_image(dir + "/gray.png", 1);
    for (int64_t i = 0; i < 6; ++i)
        for (int64_t j = 0; j < 9; ++j)
            EXPECT_EQ(big.data()[i * 9 + j], small.data()[(i / 3) * 3 + j / 3]);

    std::vector<uint8_t> rgb(4 * 4 * 3);
    for (size_t i = 0; i < rgb.size(); ++i) rgb[i] = static_cast<uint8_t>(i * 5);
    save_png(dir + "/rgb.png", 4, 4, 3, rgb.data());
    r = run_ganvas("upsample --in " + dir + "/rgb.png --mode bicubic --size 7x5 --out " + dir +
                   "/rgb_big.png");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(image_file_channels(dir + "/rgb_big.png"), 3);
    EXPECT_EQ(load_image(dir + "/rgb_big.png", 3).shape(), (Shape{1, 3, 7, 5}));
}

TEST(CliUpsample, BadInputGivesOneClearSentence) {
    const std::string dir = temp_dir("cli_upsample_bad");
    const std::string out = dir + "/y.npy";
    write_bytes(dir + "/corrupt.png", "\x89PNG\r\n\x1a\n this is not really a png");
    expect_clear_error(
        run_ganvas("upsample --in " + dir + "/corrupt.png --mode bilinear --scale 2 --out " + out),
        dir + "/corrupt.png: cannot read image");

    save_npy(dir + "/rank3.npy", Tensor::zeros({2, 3, 4}));
    expect_clear_error(
        run_ganvas("upsample --in " + dir + "/rank3.npy --mode bilinear --scale 2 --out " + out),
        "rank3.npy: expected a float32 array (N, C, H, W), got (2, 3, 4)");

    save_npy(dir + "/x.npy", Tensor::zeros({1, 3, 64, 64}));
    expect_clear_error(
        run_ganvas("upsample --in " + dir + "/x.npy --mode bilinear --scale 1e9 --out " + out),
        "--scale must be between");
    expect_clear_error(
        run_ganvas("upsample --in " + dir + "/x.npy --mode nearest --scale 5000 --out " + out),
        "more than 2^28 values");
    expect_clear_error(
        run_ganvas("upsample --in " + dir + "/x.npy --mode bilinear --scale 0.001 --out " + out),
        "empty output");
    expect_clear_error(
        run_ganvas("upsample --in " + dir + "/x.npy --mode pixelshuffle --scale 2 --out " + out),
        "needs channels divisible by r^2 = 4, but the input has 3");
    expect_clear_error(
        run_ganvas("upsample --in " + dir + "/x.npy --mode pixelshuffle --scale 1.5 --out " + out),
        "whole --scale");
    expect_clear_error(
        run_ganvas("upsample --in " + dir + "/x.npy --mode trilinear --scale 2 --out " + out),
        "--mode must be nearest, nearest-exact, bilinear, bicubic, area or pixelshuffle");
    expect_clear_error(run_ganvas("upsample --in " + dir +
                                  "/x.npy --mode nearest --align-corners --scale 2 "
                                  "--out " +
                                  out),
                       "align_corners applies to bilinear and bicubic only");
    expect_clear_error(
        run_ganvas("upsample --in " + dir + "/x.npy --mode nearest --size 3by4 --out " + out),
        "--size expects HxW");
    expect_clear_error(run_ganvas("upsample --in " + dir + "/x.npy --mode nearest --out " + out),
                       "give either --scale S or --size HxW");
    expect_clear_error(
        run_ganvas("upsample --in " + dir + "/missing.png --mode nearest --scale 2 --out " + out),
        "missing.png: cannot open");
    save_npy(dir + "/two.npy", Tensor::zeros({1, 2, 4, 4}));
    expect_clear_error(run_ganvas("upsample --in " + dir +
                                  "/two.npy --mode nearest --scale 2 --out " + dir + "/y.png"),
                       "y.png: a PNG needs 1 or 3 channels");
    EXPECT_FALSE(fs::exists(out));
}

}  // namespace
