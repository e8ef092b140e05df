// GIF and BMP stay on stb_image, behind checks: the declared size is refused before stb
// allocates it, and a file missing part of its data is refused where stb zero-filled.
#include <gtest/gtest.h>

#include "support/image_bytes.h"
#include "support/stb_reference.h"
#include "support/test_files.h"

#include <string>

#include "io/image_decode.h"
#include "io/image_gif.h"
#include "io/image_png.h"

using namespace ganvas;
using namespace ganvas::testing;

namespace {

std::string refusal(const std::string& bytes) {
    try {
        decode_image_pixels(bytes, 3, "x.img");
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(DecodeBmp, ValidFilesGiveStbsPixels) {
    for (int width : {1, 5, 8}) {
        std::string bmp = make_bmp(width, 3);
        for (int channels : {1, 3})
            EXPECT_EQ(decode_image_pixels(bmp, channels, "x.bmp").pixels, stb_pixels(bmp, channels))
                << width;
        put_le(bmp, 22, static_cast<uint32_t>(-3), 4);  // top-down rows
        EXPECT_EQ(decode_image_pixels(bmp, 3, "x.bmp").pixels, stb_pixels(bmp, 3));
    }
}

TEST(DecodeBmp, TruncatedPixelsAreRefused) {
    const std::string bmp = make_bmp(5, 4);  // rows of 16 bytes: 54 + 64
    ASSERT_FALSE(stb_pixels(bmp.substr(0, bmp.size() - 10), 3).empty())
        << "stb zero-fills the missing bytes";
    for (size_t keep = 2; keep < bmp.size(); ++keep)  // from just after the magic "BM"
        EXPECT_NE(refusal(bmp.substr(0, keep))
                      .find("x.img: cannot read image: the BMP file is "
                            "truncated"),
                  std::string::npos)
            << "cut at " << keep << ": " << refusal(bmp.substr(0, keep));
}

TEST(DecodeBmp, AHugeDeclaredWidthIsRefusedFromTheHeader) {
    std::string bmp = make_bmp(2, 2);
    put_le(bmp, 18, 1u << 24, 4);  // stb spent 23-41 s on this
    EXPECT_EQ(refusal(bmp),
              "x.img: cannot read image: the image is 16777216x2 pixels, more than the "
              "8192x8192 an image may be");
}

TEST(DecodeBmp, CompressedFilesAreRefused) {
    std::string bmp = make_bmp(2, 2);
    put_le(bmp, 30, 1, 4);  // BI_RLE8
    EXPECT_NE(refusal(bmp).find("compressed BMP files are not supported"), std::string::npos)
        << refusal(bmp);
}

class DecodeGifTest : public TempDirTest {
protected:
    // A GIF written by Ganvas's own exporter: 2 frames of 6x4 gray.
    std::string gif() {
        std::vector<Tensor> frames;
        for (int f = 0; f < 2; ++f) {
            Tensor frame = Tensor::empty({1, 4, 6});
            for (int64_t i = 0; i < frame.numel(); ++i)
                frame.data()[i] = static_cast<float>((i * 11 + f * 40) % 256) / 127.5f - 1.0f;
            frames.push_back(frame);
        }
        save_gif(path("a.gif"), frames, 10);
        return read_bytes(path("a.gif"));
    }
};

TEST_F(DecodeGifTest, TheFirstFrameGivesStbsPixels) {
    const std::string bytes = gif();
    for (int channels : {1, 3}) {
        const DecodedImage image = decode_image_pixels(bytes, channels, "a.gif");
        EXPECT_EQ(image.width, 6);
        EXPECT_EQ(image.height, 4);
        EXPECT_EQ(image.pixels, stb_pixels(bytes, channels));
    }
    EXPECT_EQ(load_image(path("a.gif"), 1).shape(), (Shape{1, 1, 4, 6}));
}

TEST_F(DecodeGifTest, TruncatedImageDataIsRefused) {
    const std::string bytes = gif();
    // Cut inside the first frame's data blocks: stb ends the image there, silently.
    const auto flags = static_cast<unsigned char>(bytes[10]);
    size_t first_image = 13 + (flags & 0x80 ? 3 * (2 << (flags & 7)) : 0);
    while (bytes[first_image] == '\x21') {  // extensions: label, then data blocks
        first_image += 2;
        while (bytes[first_image] != 0)
            first_image += 1 + static_cast<unsigned char>(bytes[first_image]);
        ++first_image;
    }
    ASSERT_EQ(bytes[first_image], '\x2C');
    const auto local = static_cast<unsigned char>(bytes[first_image + 9]);
    const size_t data = first_image + 10 + (local & 0x80 ? 3 * (2 << (local & 7)) : 0) + 1;
    const std::string cut = bytes.substr(0, data + 4);  // the first block's length, 3 bytes
    ASSERT_FALSE(stb_pixels(cut, 3).empty()) << "stb decodes the cut file";
    EXPECT_NE(refusal(cut).find("x.img: cannot read image: the GIF file is truncated"),
              std::string::npos)
        << refusal(cut);
    for (size_t keep = 0; keep <= data + 4; ++keep)
        EXPECT_NE(refusal(bytes.substr(0, keep)).find("x.img: cannot read image:"),
                  std::string::npos)
            << keep;
}

TEST(DecodeGif, AHugeScreenIsRefusedFromTheHeader) {
    // A 62-byte GIF whose logical screen is 65535x65535 (stb reached 620 MB on one).
    std::string gif = "GIF89a";
    gif += std::string("\xFF\xFF\xFF\xFF\x00\x00\x00", 7);
    gif += std::string("\x2C\x00\x00\x00\x00\x01\x00\x01\x00\x00", 10);  // a 1x1 frame
    gif += std::string("\x02\x02\x44\x01\x00\x3B", 6);
    gif.resize(62, '\0');
    EXPECT_EQ(refusal(gif),
              "x.img: cannot read image: the image is 65535x65535 pixels, more than the "
              "8192x8192 an image may be");
}

TEST(DecodeGif, AFileWithoutAnImageIsRefused) {
    EXPECT_NE(refusal(std::string("GIF89a\x01\x00\x01\x00\x00\x00\x00\x3B", 14))
                  .find("the GIF file holds no image"),
              std::string::npos);
}

TEST(DecodeGif, AFrameSmallerThanItsScreenIsRefused) {
    // 8192x8192 screen, 1x1 frame: stb would take 600 MB for 40 bytes of file.
    std::string gif = "GIF89a";
    gif += std::string("\x00\x20\x00\x20\x00\x00\x00", 7);
    gif += std::string("\x2C\x00\x00\x00\x00\x01\x00\x01\x00\x00", 10);
    gif += std::string("\x02\x02\x44\x01\x00\x3B", 6);
    EXPECT_EQ(refusal(gif),
              "x.img: cannot read image: the GIF's first frame (1x1 at 0,0) does not cover its "
              "8192x8192 screen");
}

TEST(DecodeGif, ImageDataTooShortForTheFrameIsRefused) {
    // A 8000x8000 frame whose LZW data is 2 bytes: stb leaves the rest zero.
    std::string gif = "GIF89a";
    gif += std::string("\x40\x1F\x40\x1F\x00\x00\x00", 7);
    gif += std::string("\x2C\x00\x00\x00\x00\x40\x1F\x40\x1F\x00", 10);
    gif += std::string("\x02\x02\x44\x01\x00\x3B", 6);
    EXPECT_EQ(refusal(gif),
              "x.img: cannot read image: the GIF's image data (2 bytes) is too short for "
              "8000x8000 pixels");
}
