// make_grid's torchvision layout, the [-1, 1] <-> byte mapping, and PNG round trips.
#include <gtest/gtest.h>

#include <stdlib.h>
#include "support/test_files.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "io/image_png.h"

using namespace ganvas;
using ganvas::testing::expect_error;
namespace fs = std::filesystem;

namespace {

class ImagePngTest : public ganvas::testing::TempDirTest {};

// Images whose every value is exactly representable as a byte: b / 127.5 - 1.
Tensor byte_valued_images(const Shape& shape, int seed) {
    Tensor t = Tensor::empty(shape);
    for (int64_t i = 0; i < t.numel(); ++i)
        t.data()[i] = static_cast<float>((i * 37 + seed) % 256) / 127.5f - 1.0f;
    return t;
}

}  // namespace

TEST(MakeGrid, TorchvisionLayout) {
    // 5 images (N, 1, 2, 3), 3 per row, padding 2: torchvision gives (1, 10, 17)
    // (2 rows of 2 + 2, plus 2; 3 columns of 3 + 2, plus 2).
    const int64_t n = 5, h = 2, w = 3, pad = 2;
    Tensor images = Tensor::empty({n, 1, h, w});
    for (int64_t i = 0; i < images.numel(); ++i) images.data()[i] = static_cast<float>(i) / 100;
    Tensor grid = make_grid(images, /*nrow=*/3, pad);
    ASSERT_EQ(grid.shape(), (Shape{1, 10, 17}));

    std::vector<bool> covered(grid.numel(), false);
    for (int64_t k = 0; k < n; ++k) {
        const int64_t top = (k / 3) * (h + pad) + pad, left = (k % 3) * (w + pad) + pad;
        for (int64_t y = 0; y < h; ++y)
            for (int64_t x = 0; x < w; ++x) {
                const int64_t at = (top + y) * 17 + left + x;
                EXPECT_EQ(grid.data()[at], images.data()[(k * h + y) * w + x]);
                covered[at] = true;
            }
    }
    for (int64_t i = 0; i < grid.numel(); ++i) {
        if (covered[i]) continue;
        EXPECT_EQ(grid.data()[i], -1.0f) << "padding at " << i;
    }
}

TEST(MakeGrid, FewerImagesThanNrowAndColor) {
    Tensor images = Tensor::full({2, 3, 4, 4}, 0.5f);
    Tensor grid = make_grid(images, /*nrow=*/8, /*padding=*/1, /*pad_value=*/0.0f);
    EXPECT_EQ(grid.shape(), (Shape{3, 6, 11}));  // one row of two: 1+4+1, 2*(4+1)+1
    EXPECT_EQ(grid.data()[0], 0.0f);
    EXPECT_EQ(grid.data()[1 * 11 + 1], 0.5f);
}

TEST(MakeGrid, RejectsBadShapes) {
    EXPECT_THROW(make_grid(Tensor::zeros({2, 2, 4, 4}), 2, 2), std::invalid_argument);
    EXPECT_THROW(make_grid(Tensor::zeros({4, 4}), 2, 2), std::invalid_argument);
    EXPECT_THROW(make_grid(Tensor::zeros({1, 1, 4, 4}), 0, 2), std::invalid_argument);
}

TEST(ToInterleavedBytes, MapsMinusOneToOneOntoBytes) {
    // (C=2, H=1, W=4): channel values land interleaved as (H, W, C).
    Tensor image = Tensor::from_vector({2, 1, 4}, {-1, 1, 0, -0.5f, 2, -3, NAN, 1.0f / 127.5f - 1});
    EXPECT_EQ(to_interleaved_bytes(image), (std::vector<uint8_t>{0, 255, 255, 0, 128, 0, 64, 1}));
}

TEST_F(ImagePngTest, GridRoundTripIsExact) {
    Tensor images = byte_valued_images({7, 3, 5, 4}, 11);
    save_image_grid(path("grid.png"), images, /*nrow=*/4);
    Tensor loaded = load_image(path("grid.png"), 3);  // (1, 3, H', W')
    Tensor grid = make_grid(images, 4, 2);
    ASSERT_EQ(loaded.shape(), (Shape{1, 3, grid.size(1), grid.size(2)}));
    EXPECT_EQ(loaded.to_vector(), grid.to_vector());
    EXPECT_FALSE(fs::exists(path("grid.png.tmp")));
}

TEST_F(ImagePngTest, GrayPngLoadsAsGrayOrRgb) {
    const uint8_t pixels[6] = {0, 50, 100, 150, 200, 255};  // 3 wide, 2 high
    save_png(path("g.png"), 3, 2, 1, pixels);
    Tensor gray = load_image(path("g.png"), 1);
    ASSERT_EQ(gray.shape(), (Shape{1, 1, 2, 3}));
    for (int i = 0; i < 6; ++i) EXPECT_EQ(gray.data()[i], pixels[i] / 127.5f - 1.0f);
    Tensor rgb = load_image(path("g.png"), 3);
    ASSERT_EQ(rgb.shape(), (Shape{1, 3, 2, 3}));
    for (int ch = 0; ch < 3; ++ch)
        for (int i = 0; i < 6; ++i) EXPECT_EQ(rgb.data()[ch * 6 + i], gray.data()[i]);
}

TEST_F(ImagePngTest, MissingAndUnreadableFiles) {
    expect_error([&] { load_image(path("none.png"), 1); }, path("none.png"), "cannot open");
    std::ofstream(path("text.png")) << "this is not an image";
    expect_error([&] { load_image(path("text.png"), 1); }, path("text.png"), "cannot read image");
    expect_error([&] { load_image(path("text.png"), 2); }, path("text.png"), "use 1 or 3");
}

TEST_F(ImagePngTest, FailedWritesLeaveNothingBehind) {
    const std::string missing = path("no_dir/grid.png");
    expect_error(
        [&] {
            save_image_grid(missing, Tensor::zeros({1, 1, 2, 2}), 1);
        },
        missing, "cannot write");
    EXPECT_FALSE(fs::exists(missing));
    EXPECT_FALSE(fs::exists(missing + ".tmp"));

    const std::string bad = path("bad.png");
    expect_error([&] { save_image_grid(bad, Tensor::zeros({2, 2, 4, 4}), 1); }, bad, "C = 1 or 3");
    const uint8_t pixel = 0;
    expect_error([&] { save_png(bad, 0, 1, 1, &pixel); }, bad, "cannot save a PNG");
    EXPECT_FALSE(fs::exists(bad));
    EXPECT_FALSE(fs::exists(bad + ".tmp"));
}
