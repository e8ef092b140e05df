// Untrusted image files given to the command line: each bad one stops the command with
// one line naming the file and the problem, a non-zero exit and no output file.
#include <gtest/gtest.h>

#include "support/cli_runner.h"
#include "support/image_bytes.h"

#include <filesystem>

#include "io/image_png.h"

using namespace ganvas;
using namespace ganvas::testing;
namespace fs = std::filesystem;

TEST(CliImageInput, UpsampleRefusesBadImagesInOneLine) {
    const std::string dir = temp_dir("cli_image_input");
    const std::string out = dir + "/y.png";
    auto upsample = [&](const std::string& name) {
        return run_ganvas("upsample --in " + dir + "/" + name +
                          " --mode bilinear --scale 2 --out " + out);
    };

    std::string tga(34, '\0');  // a TGA (no magic number) declaring 40000x40000
    tga[2] = 2, tga[12] = tga[14] = char(0x40), tga[13] = tga[15] = char(0x9C), tga[16] = 24;
    write_bytes(dir + "/tga.png", tga);
    expect_clear_error(upsample("tga.png"),
                       dir + "/tga.png: cannot read image: not a PNG, JPEG, GIF or BMP file");

    write_bytes(dir + "/huge.png", make_png({.width = 20000,
                                             .height = 20000,
                                             .color_type = PNG_COLOR_TYPE_GRAY,
                                             .bit_depth = 1,
                                             .noise = false}));
    expect_clear_error(upsample("huge.png"), dir +
                                                 "/huge.png: cannot read image: the image is "
                                                 "20000x20000 pixels");

    std::string png = make_png({});
    const size_t idat = find_chunk(png, "IDAT");
    png[idat + 8 + chunk_length(png, idat)] ^= 1;  // the stored CRC
    write_bytes(dir + "/crc.png", png);
    expect_clear_error(upsample("crc.png"),
                       dir + "/crc.png: cannot read image: invalid PNG: IDAT: CRC error");

    const std::string jpeg = make_jpeg(16, 16, 3);
    write_bytes(dir + "/cut.jpg", jpeg.substr(0, jpeg.size() / 2));
    expect_clear_error(upsample("cut.jpg"), dir + "/cut.jpg: cannot read image: invalid JPEG");
    EXPECT_FALSE(fs::exists(out));
}

TEST(CliImageInput, AFolderWithATruncatedImageStopsTrainingNamingIt) {
    const std::string dir = temp_dir("cli_image_folder");
    fs::create_directories(dir + "/pics");
    const std::string good =
        make_png({.width = 28, .height = 28, .color_type = PNG_COLOR_TYPE_GRAY});
    write_bytes(dir + "/pics/a.png", good);
    write_bytes(dir + "/pics/b.png", good.substr(0, good.size() - 20));
    expect_clear_error(run_ganvas("train --model dcgan28 --data folder:" + dir +
                                  "/pics --steps 1 --out " + dir + "/run"),
                       dir + "/pics/b.png: cannot read image: invalid PNG");
}
