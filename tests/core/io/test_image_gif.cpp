// Animated GIF writing: frames, pixels, delays and the loop extension read back with
// giflib's own decoder; every error case names the file and leaves nothing behind.
#include <gif_lib.h>
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/image_gif.h"
#include "io/image_png.h"
#include "support/test_files.h"

using namespace ganvas;
namespace fs = std::filesystem;

namespace {

class ImageGifTest : public ganvas::testing::TempDirTest {
protected:
    // Nothing at `p`, and no temporary file beside it either.
    void expect_nothing_written(const std::string& p) {
        EXPECT_FALSE(fs::exists(p));
        EXPECT_TRUE(fs::is_empty(dir_)) << "left behind in " << dir_;
    }
};

struct GifReader {
    void operator()(GifFileType* gif) const { DGifCloseFile(gif, nullptr); }
};
using GifHandle = std::unique_ptr<GifFileType, GifReader>;

GifHandle read_gif(const std::string& path) {
    int error = 0;
    GifHandle gif(DGifOpenFileName(path.c_str(), &error));
    if (!gif) throw std::runtime_error(std::string("DGifOpenFileName: ") + GifErrorString(error));
    if (DGifSlurp(gif.get()) != GIF_OK)
        throw std::runtime_error(std::string("DGifSlurp: ") + GifErrorString(gif->Error));
    return gif;
}

// A frame (1, H, W) whose values are exact bytes, different for each `seed`.
Tensor byte_valued_frame(int64_t h, int64_t w, int seed) {
    Tensor t = Tensor::empty({1, h, w});
    for (int64_t i = 0; i < t.numel(); ++i)
        t.data()[i] = static_cast<float>((i * 37 + seed * 11) % 256) / 127.5f - 1.0f;
    return t;
}

// Whether image `index` carries the NETSCAPE2.0 extension with loop count 0 (forever).
bool loops_forever(const GifFileType* gif) {
    // DGifSlurp attaches extensions read before an image to that image.
    for (int i = 0; i < gif->ImageCount; ++i) {
        const SavedImage& image = gif->SavedImages[i];
        for (int k = 0; k + 1 < image.ExtensionBlockCount; ++k) {
            const ExtensionBlock& app = image.ExtensionBlocks[k];
            const ExtensionBlock& sub = image.ExtensionBlocks[k + 1];
            if (app.Function == APPLICATION_EXT_FUNC_CODE && app.ByteCount == 11 &&
                std::memcmp(app.Bytes, "NETSCAPE2.0", 11) == 0 && sub.ByteCount == 3 &&
                sub.Bytes[0] == 1)
                return sub.Bytes[1] == 0 && sub.Bytes[2] == 0;
        }
    }
    return false;
}

template <typename Error, typename Fn>
void expect_throws(Fn fn, const std::string& path, const std::string& needle) {
    try {
        fn();
        FAIL() << "expected an error mentioning '" << needle << "'";
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find(path), std::string::npos) << msg;
        EXPECT_NE(msg.find(needle), std::string::npos) << msg;
    }
}

}  // namespace

TEST_F(ImageGifTest, FramesPixelsDelayAndLoopReadBack) {
    const int64_t h = 5, w = 7;
    std::vector<Tensor> frames = {byte_valued_frame(h, w, 0), byte_valued_frame(h, w, 1),
                                  byte_valued_frame(h, w, 2)};
    const std::string p = path("evolution.gif");
    save_gif(p, frames, /*delay_cs=*/12, /*loop=*/true);

    GifHandle gif = read_gif(p);
    ASSERT_EQ(gif->ImageCount, 3);
    EXPECT_EQ(gif->SWidth, w);
    EXPECT_EQ(gif->SHeight, h);
    ASSERT_NE(gif->SColorMap, nullptr);
    ASSERT_EQ(gif->SColorMap->ColorCount, 256);
    for (int i = 0; i < 256; ++i) {
        const GifColorType c = gif->SColorMap->Colors[i];
        ASSERT_TRUE(c.Red == i && c.Green == i && c.Blue == i) << "palette entry " << i;
    }
    EXPECT_TRUE(loops_forever(gif.get()));
    for (int f = 0; f < 3; ++f) {
        const SavedImage& image = gif->SavedImages[f];
        EXPECT_EQ(image.ImageDesc.Width, w);
        EXPECT_EQ(image.ImageDesc.Height, h);
        GraphicsControlBlock control{};
        ASSERT_EQ(DGifSavedExtensionToGCB(gif.get(), f, &control), GIF_OK);
        EXPECT_EQ(control.DelayTime, 12);
        const std::vector<uint8_t> expected = to_interleaved_bytes(frames[f]);
        for (int64_t i = 0; i < h * w; ++i)
            ASSERT_EQ(image.RasterBits[i], expected[i]) << "frame " << f << " pixel " << i;
    }
}

TEST_F(ImageGifTest, TwoDimensionalFramesAndClampingMatchThePngMapping) {
    Tensor frame = Tensor::from_vector({2, 3}, {-1.0f, 1.0f, 0.0f, -7.0f, 3.0f, 0.5f});
    const std::string p = path("one.gif");
    save_gif(p, {frame}, /*delay_cs=*/0, /*loop=*/false);
    GifHandle gif = read_gif(p);
    ASSERT_EQ(gif->ImageCount, 1);
    EXPECT_FALSE(loops_forever(gif.get()));
    const std::vector<uint8_t> expected = {0, 255, 128, 0, 255, 191};
    for (size_t i = 0; i < expected.size(); ++i)
        EXPECT_EQ(gif->SavedImages[0].RasterBits[i], expected[i]) << i;
}

TEST_F(ImageGifTest, FramesMadeOnDemandReportProgress) {
    const std::string p = path("lazy.gif");
    std::vector<size_t> seen;
    GifOptions options;
    options.delay_cs = 4;
    options.progress = [&](size_t done, size_t total) {
        EXPECT_EQ(total, 4u);
        seen.push_back(done);
        return true;
    };
    save_gif(
        p, 4, [](size_t i) { return byte_valued_frame(3, 3, static_cast<int>(i)); }, options);
    EXPECT_EQ(seen, (std::vector<size_t>{1, 2, 3, 4}));
    EXPECT_EQ(read_gif(p)->ImageCount, 4);
}

TEST_F(ImageGifTest, CancellingLeavesNothing) {
    const std::string p = path("cancelled.gif");
    GifOptions options;
    options.progress = [](size_t done, size_t) { return done < 2; };
    expect_throws<std::runtime_error>(
        [&] {
            save_gif(
                p, 5, [](size_t) { return byte_valued_frame(3, 3, 0); }, options);
        },
        p, "cancelled");
    expect_nothing_written(p);
}

TEST_F(ImageGifTest, NoFramesIsAnError) {
    const std::string p = path("empty.gif");
    expect_throws<std::invalid_argument>([&] { save_gif(p, {}, 10); }, p, "no frames");
    expect_nothing_written(p);
}

TEST_F(ImageGifTest, FramesOfDifferentSizesAreAnError) {
    const std::string p = path("sizes.gif");
    expect_throws<std::invalid_argument>(
        [&] {
            save_gif(p, {byte_valued_frame(4, 4, 0), byte_valued_frame(4, 5, 0)}, 10);
        },
        p, "frame 1 is 4x5");
    expect_nothing_written(p);
}

TEST_F(ImageGifTest, ColorAndBadFramesAreErrors) {
    const std::string p = path("color.gif");
    expect_throws<std::invalid_argument>(
        [&] {
            save_gif(p, {Tensor::zeros({3, 4, 4})}, 10);
        },
        p, "gray");
    expect_throws<std::invalid_argument>(
        [&] {
            save_gif(p, {Tensor::zeros({2, 1, 4, 4})}, 10);
        },
        p, "gray");
    expect_throws<std::invalid_argument>([&] { save_gif(p, {Tensor()}, 10); }, p, "undefined");
    expect_throws<std::invalid_argument>(
        [&] {
            save_gif(p, {Tensor::zeros({4, 4}, DType::i64)}, 10);
        },
        p, "float32");
    expect_throws<std::invalid_argument>(
        [&] {
            save_gif(p, {Tensor::zeros({0, 4})}, 10);
        },
        p, "size");
    expect_throws<std::invalid_argument>(
        [&] {
            save_gif(p, {Tensor::zeros({4, 4})}, -1);
        },
        p, "delay");
    expect_nothing_written(p);
}

TEST_F(ImageGifTest, UnwritablePathIsAnError) {
    const std::string p = path("no_such_folder/evolution.gif");
    expect_throws<std::runtime_error>([&] { save_gif(p, {byte_valued_frame(2, 2, 0)}, 10); }, p,
                                      "cannot write");
    expect_nothing_written(p);
}

TEST_F(ImageGifTest, FailureKeepsThePreviousFile) {
    const std::string p = path("keep.gif");
    save_gif(p, {byte_valued_frame(2, 2, 0)}, 10);
    const std::string before = ganvas::testing::read_bytes(p);
    EXPECT_THROW(save_gif(p, {byte_valued_frame(2, 2, 0), byte_valued_frame(3, 2, 0)}, 10),
                 std::invalid_argument);
    EXPECT_EQ(ganvas::testing::read_bytes(p), before);
    EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}
