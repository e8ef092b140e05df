// PNG decoding through libpng: the pixels stb_image gave for every kind of valid PNG, and
// a clear refusal for corrupt, truncated or oversized files (which stb decoded).
#include <gtest/gtest.h>

#include "support/image_bytes.h"
#include "support/stb_reference.h"
#include "support/test_files.h"

#include <string>

#include "io/image_decode.h"
#include "io/image_png.h"

using namespace ganvas;
using namespace ganvas::testing;

namespace {

std::string refusal(const std::string& bytes) {
    try {
        decode_image_pixels(bytes, 3, "x.png");
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

void expect_same_as_stb(const PngSpec& spec, const std::string& label) {
    const std::string png = make_png(spec);
    for (int channels : {1, 3}) {
        const DecodedImage image = decode_image_pixels(png, channels, label);
        EXPECT_EQ(image.width, spec.width) << label;
        EXPECT_EQ(image.height, spec.height) << label;
        EXPECT_EQ(image.channels, channels) << label;
        EXPECT_EQ(image.pixels, stb_pixels(png, channels)) << label << " as " << channels;
    }
}

}  // namespace

TEST(DecodePng, EveryKindOfValidPngGivesStbsPixels) {
    expect_same_as_stb({.color_type = PNG_COLOR_TYPE_GRAY}, "gray");
    expect_same_as_stb({.color_type = PNG_COLOR_TYPE_GRAY, .bit_depth = 1}, "gray 1-bit");
    expect_same_as_stb({.color_type = PNG_COLOR_TYPE_GRAY, .bit_depth = 4}, "gray 4-bit");
    expect_same_as_stb({.color_type = PNG_COLOR_TYPE_GRAY, .bit_depth = 16}, "gray 16-bit");
    expect_same_as_stb({.color_type = PNG_COLOR_TYPE_GRAY_ALPHA}, "gray + alpha");
    expect_same_as_stb({.color_type = PNG_COLOR_TYPE_RGB}, "RGB");
    expect_same_as_stb({.color_type = PNG_COLOR_TYPE_RGB, .bit_depth = 16}, "RGB 16-bit");
    expect_same_as_stb({.color_type = PNG_COLOR_TYPE_RGB_ALPHA}, "RGBA");
    expect_same_as_stb({.color_type = PNG_COLOR_TYPE_RGB_ALPHA, .bit_depth = 16}, "RGBA 16");
    expect_same_as_stb({.color_type = PNG_COLOR_TYPE_PALETTE}, "palette");
    expect_same_as_stb({.color_type = PNG_COLOR_TYPE_PALETTE, .bit_depth = 2}, "palette 2-bit");
    expect_same_as_stb({.color_type = PNG_COLOR_TYPE_PALETTE, .transparency = true},
                       "palette + tRNS");
    expect_same_as_stb({.width = 37, .height = 23, .interlaced = true}, "interlaced RGB");
    expect_same_as_stb(
        {.width = 5, .height = 3, .color_type = PNG_COLOR_TYPE_GRAY, .interlaced = true},
        "interlaced gray, smaller than a pass");
}

TEST(DecodePng, OurOwnWriterRoundTrips) {
    const std::vector<uint8_t> rgb = {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110};
    const DecodedImage image = decode_image_pixels(encode_png(2, 2, 3, rgb.data()), 3, "grid");
    EXPECT_EQ(image.pixels, rgb);
}

TEST(DecodePng, ChannelsComeFromTheHeader) {
    EXPECT_EQ(encoded_image_channels(make_png({.color_type = PNG_COLOR_TYPE_GRAY}), "a"), 1);
    EXPECT_EQ(encoded_image_channels(make_png({.color_type = PNG_COLOR_TYPE_GRAY_ALPHA}), "a"), 1);
    EXPECT_EQ(encoded_image_channels(make_png({.color_type = PNG_COLOR_TYPE_PALETTE}), "a"), 3);
    EXPECT_EQ(encoded_image_channels(make_png({.color_type = PNG_COLOR_TYPE_RGB_ALPHA}), "a"), 3);
}

TEST(DecodePng, AnEmptyFirstIdatIsValid) {
    // stb 2.27 called memcpy(NULL, ...) on this; libpng reads it as the valid file it is.
    std::string png = make_png({});
    png.insert(find_chunk(png, "IDAT"), make_chunk("IDAT", ""));
    EXPECT_EQ(decode_image_pixels(png, 3, "x").pixels, stb_pixels(make_png({}), 3));
}

TEST(DecodePng, ColourManagementChunksAreIgnoredEvenWhenMalformed) {
    // Ganvas uses no colour profile; a broken one (here not zlib data) does not stop a
    // file whose pixels are intact, and libpng never parses it.
    std::string png = make_png({});
    png.insert(find_chunk(png, "IDAT"), make_chunk("iCCP", std::string("icc\0\0garbage", 12)));
    EXPECT_EQ(decode_image_pixels(png, 3, "x").pixels, stb_pixels(make_png({}), 3));
}

TEST(DecodePng, AFlippedBitInTheImageDataIsRefused) {
    std::string png = make_png({});
    png[find_chunk(png, "IDAT") + 8 + 20] ^= 0x10;
    ASSERT_FALSE(stb_pixels(png, 3).empty()) << "stb skips CRCs: the test needs a file it read";
    // zlib's checks may see the damage before the chunk's CRC does; either way, refused.
    const std::string message = refusal(png);
    EXPECT_NE(message.find("x.png: cannot read image: invalid PNG: IDAT"), std::string::npos)
        << message;
}

TEST(DecodePng, AChunkCrcMismatchIsRefused) {
    std::string png = make_png({});
    const size_t idat = find_chunk(png, "IDAT");
    png[idat + 8 + chunk_length(png, idat)] ^= 0x10;  // the stored CRC; the data is intact
    ASSERT_EQ(stb_pixels(png, 3), stb_pixels(make_png({}), 3)) << "stb skips CRCs";
    const std::string message = refusal(png);
    EXPECT_NE(message.find("x.png: cannot read image: invalid PNG: IDAT: CRC error"),
              std::string::npos)
        << message;
}

TEST(DecodePng, ABrokenZlibChecksumIsRefusedEvenWithAValidCrc) {
    std::string png = make_png({});
    const size_t idat = find_chunk(png, "IDAT");
    // The Adler-32 is the last 4 bytes of the zlib stream, the IDAT's data here.
    png[idat + 8 + chunk_length(png, idat) - 1] ^= 0x01;
    fix_chunk_crc(png, idat);
    ASSERT_EQ(stb_pixels(png, 3), stb_pixels(make_png({}), 3)) << "stb skips the Adler-32";
    const std::string message = refusal(png);
    EXPECT_NE(message.find("x.png: cannot read image: invalid PNG"), std::string::npos) << message;
    EXPECT_NE(message.find("check"), std::string::npos) << message;  // zlib: incorrect data check
}

TEST(DecodePng, ABrokenZlibChecksumInAChunkOfItsOwnIsRefused) {
    // With the Adler-32 alone in a last IDAT, every row is decoded before it is read:
    // libpng checks it only in png_read_end, and there as a "benign" error by default.
    const std::string valid = make_png({});
    const size_t idat = find_chunk(valid, "IDAT");
    const uint32_t length = chunk_length(valid, idat);
    const std::string data = valid.substr(idat + 8, length);
    std::string adler = data.substr(length - 4);
    adler[3] ^= 0x01;
    const std::string png = valid.substr(0, idat) + make_chunk("IDAT", data.substr(0, length - 4)) +
                            make_chunk("IDAT", adler) + valid.substr(idat + 12 + length);
    ASSERT_EQ(stb_pixels(png, 3), stb_pixels(valid, 3)) << "stb skips the Adler-32";
    const std::string message = refusal(png);
    EXPECT_NE(message.find("x.png: cannot read image: invalid PNG: IDAT: incorrect data check"),
              std::string::npos)
        << message;
}

TEST(DecodePng, CorruptCompressedDataWithAValidCrcIsRefused) {
    std::string png = make_png({.width = 64, .height = 64});
    const size_t idat = find_chunk(png, "IDAT");
    png[idat + 8 + chunk_length(png, idat) / 2] ^= 0x40;
    fix_chunk_crc(png, idat);
    EXPECT_NE(refusal(png).find("invalid PNG"), std::string::npos) << refusal(png);
}

TEST(DecodePng, TruncatedFilesAreRefusedAtEveryLength) {
    const std::string png = make_png({.width = 20, .height = 20});
    // Every cut, from inside the signature to just before IEND's last byte.
    for (size_t keep = 0; keep + 1 < png.size(); ++keep) {
        const std::string message = refusal(png.substr(0, keep));
        EXPECT_NE(message.find("x.png: cannot read image"), std::string::npos)
            << "cut at " << keep << ": " << message;
    }
}

TEST(DecodePng, AHugeDeclaredSizeIsRefusedFromTheHeader) {
    // A real 20000x20000 PNG (1-bit, so small): refused by its IHDR, before any row
    // is allocated; stb decoded all 400 million pixels first.
    const std::string png = make_png({.width = 20000,
                                      .height = 20000,
                                      .color_type = PNG_COLOR_TYPE_GRAY,
                                      .bit_depth = 1,
                                      .noise = false});
    ASSERT_LT(png.size(), 100'000u);
    const std::string message = refusal(png);
    EXPECT_NE(message.find("x.png: cannot read image: the image is 20000x20000 pixels, more than "
                           "the 8192x8192"),
              std::string::npos)
        << message;
    EXPECT_NE(refusal(png).find("20000x20000"), std::string::npos);
    try {
        encoded_image_channels(png, "x.png");
        ADD_FAILURE() << "the header check must refuse it too";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("20000x20000"), std::string::npos) << e.what();
    }
}

TEST(DecodePng, AZeroSizeIsRefused) {
    std::string png = make_png({});
    const size_t ihdr = find_chunk(png, "IHDR");
    for (int i = 0; i < 4; ++i) png[ihdr + 8 + i] = 0;  // width 0
    fix_chunk_crc(png, ihdr);
    EXPECT_NE(refusal(png).find("0x7 pixels"), std::string::npos) << refusal(png);
}

class DecodeFileTest : public TempDirTest {};

TEST_F(DecodeFileTest, ATgaNamedPngIsRefusedByName) {
    // 34 bytes of uncompressed TGA (it has no magic number) declaring 40000x40000; stb's
    // TGA fallback asked for a 5 GB tensor.
    std::string tga(34, '\0');
    tga[2] = 2;                                  // uncompressed true colour
    tga[12] = char(0x40), tga[13] = char(0x9C);  // width 40000
    tga[14] = char(0x40), tga[15] = char(0x9C);  // height 40000
    tga[16] = 24;
    write_bytes(path("tga.png"), tga);
    expect_error([&] { load_image(path("tga.png"), 3); }, path("tga.png"),
                 "cannot read image: not a PNG, JPEG, GIF or BMP file");
    expect_error([&] { image_file_channels(path("tga.png")); }, path("tga.png"),
                 "not a PNG, JPEG, GIF or BMP file");
}

TEST_F(DecodeFileTest, MissingFilesAndFoldersAreNamed) {
    expect_error([&] { load_image(path("none.png"), 1); }, path("none.png"), "cannot open");
    expect_error([&] { load_image(dir_, 1); }, dir_, "cannot open: it is a folder, not a file");
}

TEST_F(DecodeFileTest, LoadImageScalesTheDecodedBytes) {
    const std::string png = make_png({.width = 4, .height = 3});
    write_bytes(path("a.png"), png);
    const Tensor image = load_image(path("a.png"), 3);  // (1, 3, H, W)
    ASSERT_EQ(image.shape(), (Shape{1, 3, 3, 4}));
    const std::vector<uint8_t> bytes = stb_pixels(png, 3);  // (H, W, C)
    for (int c = 0; c < 3; ++c)
        for (int i = 0; i < 12; ++i)
            EXPECT_EQ(image.data()[c * 12 + i], bytes[i * 3 + c] / 127.5f - 1.0f);
}
