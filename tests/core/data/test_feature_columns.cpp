// Feature columns (tf.Example features -> images and labels), TFRecord datasets end to
// end, and image folders.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "data/feature_columns.h"
#include "data/image_folder.h"
#include "data/tfrecord.h"
#include "io/image_png.h"
#include "support/test_files.h"

using namespace ganvas;
using ganvas::testing::expect_error;
using ganvas::testing::write_bytes;

namespace {

class FeatureColumnsTest : public ganvas::testing::TempDirTest {};

Feature ints(std::vector<int64_t> v) {
    return Feature::of_ints(std::move(v));
}
Feature floats(std::vector<float> v) {
    return Feature::of_floats(std::move(v));
}
Feature bytes(std::string b) {
    return Feature::of_bytes({std::move(b)});
}

std::vector<float> values(const Tensor& t) {
    return {t.data(), t.data() + t.numel()};
}

float px(int b) {
    return static_cast<float>(b) / 127.5f - 1.0f;
}

template <typename Fn>
void expect_message(Fn fn, const std::string& needle) {
    expect_error(fn, needle, needle);
}

}  // namespace

TEST_F(FeatureColumnsTest, RawBytesWithStatedSizeAndLabels) {
    std::vector<Example> examples(2);
    examples[0] = {{"image", bytes({0, 1, 2, 3, 127, '\xFF'})},
                   {"height", ints({2})},
                   {"width", ints({3})},
                   {"label", ints({4})}};
    examples[1] = {{"image", bytes(std::string(6, '\x80'))},
                   {"height", ints({2})},
                   {"width", ints({3})},
                   {"label", ints({1})}};
    const FeatureColumns columns = resolve_columns(examples[0], {});
    EXPECT_EQ(columns.image, "image");
    EXPECT_EQ(columns.label, "label");
    const ImageDataset data = dataset_from_examples(examples, columns);
    ASSERT_EQ(data.images.shape(), (Shape{2, 1, 2, 3}));
    EXPECT_EQ(values(data.images),
              (std::vector<float>{px(0), px(1), px(2), px(3), px(127), 1.0f, px(128), px(128),
                                  px(128), px(128), px(128), px(128)}));
    EXPECT_EQ(data.labels.data_i64()[0], 4);
    EXPECT_EQ(data.labels.data_i64()[1], 1);
    EXPECT_EQ(data.class_names, (std::vector<std::string>{"0", "1", "2", "3", "4"}));
}

TEST_F(FeatureColumnsTest, EncodedImagesDecodeToGray) {
    const uint8_t gray[4] = {0, 64, 200, 255};
    const uint8_t rgb[12] = {255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 10, 10};
    std::vector<Example> examples = {
        {{"image/encoded", bytes(encode_png(2, 2, 1, gray))}, {"image/class/label", ints({0})}},
        {{"image/encoded", bytes(encode_png(2, 2, 3, rgb))}, {"image/class/label", ints({2})}}};
    const FeatureColumns columns = resolve_columns(examples[0], {});
    EXPECT_EQ(columns.image, "image/encoded");
    EXPECT_EQ(columns.label, "image/class/label");
    const ImageDataset data = dataset_from_examples(examples, columns);
    ASSERT_EQ(data.images.shape(), (Shape{2, 1, 2, 2}));
    // Colour becomes luma with stb_image's BT.601 weights (77 R + 150 G + 29 B) / 256.
    EXPECT_EQ(values(data.images), (std::vector<float>{px(0), px(64), px(200), px(255), px(76),
                                                       px(149), px(28), px(10)}));
}

TEST_F(FeatureColumnsTest, RawPixelsThatParseAsAHeaderlessTgaStayRawPixels) {
    // These 25 bytes are also a valid 1x1 gray TGA file (TGA has no magic number).
    const std::string raw = {0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
                             0, 1, 0, 8, 0, 7, 7, 7, 7, 7, 7, 7};
    std::vector<Example> examples = {{{"image", bytes(raw)}}};
    const ImageDataset data = dataset_from_examples(examples, resolve_columns(examples[0], {}));
    EXPECT_EQ(data.images.shape(), (Shape{1, 1, 5, 5}));
    EXPECT_EQ(data.images.data()[2], px(3));
}

TEST_F(FeatureColumnsTest, IntPixelsMakeASquareImageWithoutAStatedSize) {
    std::vector<Example> examples = {{{"pixels", ints({0, 255, 51, 102})}}};
    const FeatureColumns columns = resolve_columns(examples[0], {});
    EXPECT_EQ(columns.image, "pixels");
    EXPECT_TRUE(columns.label.empty());
    const ImageDataset data = dataset_from_examples(examples, columns);
    EXPECT_EQ(data.images.shape(), (Shape{1, 1, 2, 2}));
    EXPECT_EQ(values(data.images), (std::vector<float>{-1.0f, 1.0f, px(51), px(102)}));
    EXPECT_FALSE(data.labels.defined());
}

TEST_F(FeatureColumnsTest, FloatPixelsScaleByTheRangeOfTheWholeDataset) {
    auto load = [](std::vector<float> a, std::vector<float> b) {
        std::vector<Example> ex = {{{"x", floats(std::move(a))}}, {{"x", floats(std::move(b))}}};
        return values(dataset_from_examples(ex, resolve_columns(ex[0], {})).images);
    };
    // [0, 1]: 2v - 1, even where one image alone would look like [0, 255] or [-1, 1].
    EXPECT_EQ(load({0, 0.25f, 0.5f, 1}, {0, 0, 0, 0}),
              (std::vector<float>{-1, -0.5f, 0, 1, -1, -1, -1, -1}));
    // Any value above 1: bytes as floats.
    EXPECT_EQ(
        load({0, 0.5f, 1, 1}, {255, 0, 0, 0}),
        (std::vector<float>{-1, 0.5f / 127.5f - 1, 1 / 127.5f - 1, 1 / 127.5f - 1, 1, -1, -1, -1}));
    // Any value below 0: already in [-1, 1].
    EXPECT_EQ(load({-1, 0.5f, 1, 0}, {0, 0, 0, -0.25f}),
              (std::vector<float>{-1, 0.5f, 1, 0, 0, 0, 0, -0.25f}));
    expect_message(
        [&] {
            load({-2, 0, 0, 0}, {0, 0, 0, 0});
        },
        "float pixels span [-2, 0]; with negative values they must lie in [-1, 1]");
    expect_message([&] { load({0, 0, 0, 300}, {0, 0, 0, 0}); }, "float pixels reach 300");
    expect_message([&] { load({0, 0, 0, 0}, {0, NAN, 0, 0}); }, "record 1: image value 1 is nan");
}

TEST_F(FeatureColumnsTest, BadRecordsAreNamed) {
    const Example good = {{"image", ints({0, 0, 0, 0})}, {"label", ints({0})}};
    auto load = [&](const Example& second) {
        const std::vector<Example> ex = {good, second};
        return dataset_from_examples(ex, resolve_columns(ex[0], {}));
    };
    expect_message(
        [&] {
            load({{"img", ints({0, 0, 0, 0})}, {"label", ints({0})}});
        },
        "record 1: has no feature 'image' (it has features img (int64_list of 4), "
        "label (int64_list of 1))");
    expect_message(
        [&] {
            load({{"image", ints({0, 0, 0, 0, 0, 0, 0, 0, 0})}, {"label", ints({0})}});
        },
        "record 1: its image is 3x3, record 0's 2x2");
    expect_message(
        [&] {
            load({{"image", floats({0, 0, 0, 0})}, {"label", ints({0})}});
        },
        "record 1: 'image' is a float_list, record 0's a int64_list");
    expect_message(
        [&] {
            load({{"image", ints({0, 0, 0, 256})}, {"label", ints({0})}});
        },
        "record 1: 'image' has pixel value 256, outside 0..255");
    expect_message(
        [&] {
            load({{"image", ints({0, 0, 0, 0})}, {"label", ints({1, 2})}});
        },
        "record 1: label 'label' must be one int64 >= 0, it is a int64_list of 2");
    expect_message(
        [&] {
            load({{"image", ints({0, 0, 0, 0})}, {"label", ints({-3})}});
        },
        "must be one int64 >= 0");
    expect_message(
        [&] {
            load({{"image", ints({0, 0, 0})}, {"label", ints({0})}});
        },
        "record 1: 'image' holds 3 values, not a square image; give the record int64 "
        "features 'height' and 'width'");
    expect_message(
        [&] {
            load({{"image", ints({0, 0, 0, 0})},
                  {"height", ints({1})},
                  {"width", ints({3})},
                  {"label", ints({0})}});
        },
        "record 1: 'image' holds 4 values but the record says the image is 1x3");
}

TEST_F(FeatureColumnsTest, ColumnsCanBeNamedAndMustExist) {
    const Example ex = {{"a", ints({0})}, {"b", ints({1})}, {"kind", ints({3})}};
    expect_message([&] { resolve_columns(ex, {}); },
                   "record 0 has none of the image features Ganvas looks for (image, "
                   "image/encoded, image_raw, pixels, x); it has features a (int64_list of 1), "
                   "b (int64_list of 1), kind (int64_list of 1); name one with image=KEY");
    const FeatureColumns named = resolve_columns(ex, {"b", "kind"});
    EXPECT_EQ(named.image, "b");
    EXPECT_EQ(named.label, "kind");
    expect_message(
        [&] {
            resolve_columns(ex, {"b", "class"});
        },
        "record 0: has no feature 'class'");
    expect_message([&] { resolve_columns(ex, {"img", ""}); }, "record 0: has no feature 'img'");
}

TEST_F(FeatureColumnsTest, TfrecordDatasetEndToEnd) {
    std::vector<std::string> records;
    for (int i = 0; i < 3; ++i) {
        const std::vector<uint8_t> pixels(12, static_cast<uint8_t>(40 * i));
        Example ex = {{"image_raw", bytes(std::string(pixels.begin(), pixels.end()))},
                      {"height", ints({3})},
                      {"width", ints({4})},
                      {"y", ints({2 - i})},
                      {"caption", bytes("a shoe")}};
        records.push_back(serialize_example(ex));
    }
    write_tfrecord(path("d.tfrecord"), records);
    const ImageDataset data = load_dataset("tfrecord:" + path("d.tfrecord"));
    EXPECT_EQ(data.name, "tfrecord:d.tfrecord");
    ASSERT_EQ(data.images.shape(), (Shape{3, 1, 3, 4}));
    EXPECT_EQ(data.images.data()[12 * 2], px(80));
    EXPECT_EQ(data.labels.data_i64()[0], 2);
    EXPECT_EQ(data.class_names.size(), 3u);

    // Naming the columns: here the label is left out by naming a feature that is absent.
    expect_error([&] { load_dataset("tfrecord:" + path("d.tfrecord") + ",label=label"); },
                 path("d.tfrecord"), "record 0: has no feature 'label'");

    records[1] =
        "\x0A\x05"
        "abc";  // a length past the end
    write_tfrecord(path("bad.tfrecord"), records);
    expect_error([&] { load_dataset("tfrecord:" + path("bad.tfrecord")); }, path("bad.tfrecord"),
                 "record 1: not a valid tf.Example: a length runs past the end");

    write_tfrecord(path("none.tfrecord"), {});
    expect_error([&] { load_dataset("tfrecord:" + path("none.tfrecord")); }, path("none.tfrecord"),
                 "holds no records");
}

TEST_F(FeatureColumnsTest, ImageFolderWithClassFolders) {
    namespace fs = std::filesystem;
    for (const char* c : {"shoes", "bags", "empty"}) fs::create_directories(path(c));
    const uint8_t a[4] = {0, 0, 0, 0}, b[4] = {255, 255, 255, 255}, c[4] = {10, 20, 30, 40};
    save_png(path("shoes/2.png"), 2, 2, 1, b);
    save_png(path("shoes/1.png"), 2, 2, 1, c);
    save_png(path("bags/x.png"), 2, 2, 1, a);
    write_bytes(path("shoes/notes.txt"), "not an image");
    save_png(path("loose.png"), 2, 2, 1, a);  // beside class folders: not used

    const ImageDataset data = load_image_folder(dir_);
    EXPECT_EQ(data.name, "folder:" + dir_);
    ASSERT_EQ(data.images.shape(), (Shape{3, 1, 2, 2}));
    EXPECT_EQ(data.class_names, (std::vector<std::string>{"bags", "shoes"}));
    EXPECT_EQ(std::vector<int64_t>(data.labels.data_i64(), data.labels.data_i64() + 3),
              (std::vector<int64_t>{0, 1, 1}));
    EXPECT_EQ(data.images.data()[4], px(10));  // shoes/1.png before shoes/2.png
    EXPECT_EQ(data.images.data()[8], 1.0f);
    EXPECT_EQ(load_dataset("folder:" + dir_).size(), 3);
}

TEST_F(FeatureColumnsTest, ImageFolderFlatAndItsErrors) {
    const uint8_t a[4] = {0, 50, 100, 150}, big[9] = {};
    expect_error([&] { load_image_folder(dir_); }, dir_, "holds no image files");
    expect_error([&] { load_image_folder(path("nope")); }, path("nope"), "no such folder");
    save_png(path("a.png"), 2, 2, 1, a);
    expect_error([&] { load_image_folder(path("a.png")); }, path("a.png"), "is not a folder");

    const ImageDataset flat = load_image_folder(dir_);
    EXPECT_EQ(flat.images.shape(), (Shape{1, 1, 2, 2}));
    EXPECT_FALSE(flat.labels.defined());
    EXPECT_EQ(values(flat.images), (std::vector<float>{-1, px(50), px(100), px(150)}));

    save_png(path("b.png"), 3, 3, 1, big);
    expect_error([&] { load_image_folder(dir_); }, path("b.png"),
                 "is 3x3 pixels but " + path("a.png") + " is 2x2");
    write_bytes(path("b.png"), "not a png");
    expect_error([&] { load_image_folder(dir_); }, path("b.png"), "cannot read image");
}
