// JPEG decoding through libjpeg-turbo: valid files give stb_image's pixels up to the
// rounding of a different IDCT and upsampler; broken files are refused, never decoded
// into made-up pixels, and never crash.
#include <gtest/gtest.h>

#include "support/image_bytes.h"
#include "support/stb_reference.h"

#include <algorithm>
#include <cstdlib>
#include <string>

#include "io/image_decode.h"

using namespace ganvas;
using namespace ganvas::testing;

namespace {

std::string refusal(const std::string& bytes) {
    try {
        decode_image_pixels(bytes, 3, "x.jpg");
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

// The largest difference between two decodings of the same file.
int max_difference(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
    EXPECT_EQ(a.size(), b.size());
    int worst = 0;
    for (size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        worst = std::max(worst, std::abs(int(a[i]) - int(b[i])));
    return worst;
}

// Two JPEG decoders agree only to within their IDCT's and upsampling's rounding: on
// photos and drawings re-encoded at several qualities, libjpeg-turbo's RGB differs from
// stb's by at most 3 levels (mean 0.07) and its gray by at most 1.
constexpr int kTolerance = 3;

}  // namespace

TEST(DecodeJpeg, ValidFilesGiveStbsPixelsWithinRounding) {
    for (bool progressive : {false, true})
        for (int components : {1, 3}) {
            const std::string jpeg = make_jpeg(40, 24, components, progressive);
            for (int channels : {1, 3}) {
                const DecodedImage image = decode_image_pixels(jpeg, channels, "x.jpg");
                EXPECT_EQ(image.width, 40);
                EXPECT_EQ(image.height, 24);
                EXPECT_EQ(image.channels, channels);
                EXPECT_LE(max_difference(image.pixels, stb_pixels(jpeg, channels)), kTolerance)
                    << components << " components as " << channels
                    << (progressive ? ", progressive" : "");
            }
        }
}

TEST(DecodeJpeg, ChannelsComeFromTheHeader) {
    EXPECT_EQ(encoded_image_channels(make_jpeg(8, 8, 1), "x.jpg"), 1);
    EXPECT_EQ(encoded_image_channels(make_jpeg(8, 8, 3), "x.jpg"), 3);
}

TEST(DecodeJpeg, AnOverflowingHuffmanTableIsRefused) {
    // 23 bytes: SOI, then a DHT whose 16 code counts add up to 4080 codes, more than a
    // table holds. stb_image 2.27 indexes out of bounds building this table.
    std::string jpeg = "\xFF\xD8\xFF\xC4";
    jpeg += std::string("\x00\x13\x00", 3);
    jpeg += std::string(16, '\xFF');
    ASSERT_EQ(jpeg.size(), 23u);
    EXPECT_EQ(refusal(jpeg),
              "x.jpg: cannot read image: invalid JPEG: Bogus Huffman table definition");
}

TEST(DecodeJpeg, TruncatedFilesAreRefusedAtEveryLength) {
    for (bool progressive : {false, true}) {
        const std::string jpeg = make_jpeg(32, 32, 3, progressive);
        // libjpeg would fill a short file's missing rows with grey and warn; the warning
        // is an error here. Cutting only the last byte loses just the EOI marker's
        // second half, which libjpeg's warning also catches.
        for (size_t keep = 0; keep < jpeg.size(); ++keep) {
            const std::string message = refusal(jpeg.substr(0, keep));
            EXPECT_NE(message.find("x.jpg: cannot read image: "), std::string::npos)
                << "cut at " << keep << (progressive ? " (progressive)" : "") << ": " << message;
        }
    }
}

TEST(DecodeJpeg, AHugeDeclaredSizeIsRefusedFromTheHeader) {
    // SOI, a baseline frame of 20000x20000 with one component, a scan header, EOI: the
    // size is refused before libjpeg allocates anything for it.
    std::string jpeg = "\xFF\xD8";
    jpeg += std::string("\xFF\xC0\x00\x0B\x08\x4E\x20\x4E\x20\x01\x01\x11\x00", 13);
    jpeg += std::string("\xFF\xDA\x00\x08\x01\x01\x00\x00\x3F\x00", 10);
    jpeg += "\xFF\xD9";
    EXPECT_EQ(refusal(jpeg),
              "x.jpg: cannot read image: the image is 20000x20000 pixels, more than the "
              "8192x8192 an image may be");
}

TEST(DecodeJpeg, GarbageAfterTheMagicNumberIsRefused) {
    EXPECT_NE(refusal("\xFF\xD8\xFF\x00 not a JPEG").find("invalid JPEG"), std::string::npos);
}

TEST(DecodeJpeg, ScansRepeatedWithoutEndAreRefused) {
    // Each extra scan of a progressive file is another pass over the whole image, so a
    // small file could keep the decoder busy for minutes; libjpeg only warns about an
    // inconsistent progression, and its warnings are errors here (past 500 scans too).
    const std::string jpeg = make_jpeg(64, 64, 3, /*progressive=*/true);
    const size_t last_scan = jpeg.rfind("\xFF\xDA");
    const size_t end = jpeg.rfind("\xFF\xD9");
    ASSERT_LT(last_scan, end);
    std::string repeated = jpeg.substr(0, end);
    for (int i = 0; i < 600; ++i) repeated += jpeg.substr(last_scan, end - last_scan);
    repeated += "\xFF\xD9";
    EXPECT_NE(refusal(repeated).find("x.jpg: cannot read image: invalid JPEG"), std::string::npos)
        << refusal(repeated);
}

TEST(DecodeJpeg, AValidFileOfMoreThan500ScansIsRefused) {
    const std::vector<jpeg_scan_info> scans = many_scans();
    const std::string jpeg = make_jpeg(16, 16, 3, false, &scans);
    ASSERT_FALSE(stb_pixels(jpeg, 3).empty()) << "a valid file: stb decodes it";
    EXPECT_EQ(refusal(jpeg), "x.jpg: cannot read image: invalid JPEG: more than 500 scans");
}
