// Datasets from IDX files, the --data spec grammar, and the real Fashion-MNIST when installed.
#include <gtest/gtest.h>

#include <stdlib.h>
#include <zlib.h>
#include "support/test_files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "data/dataset.h"
#include "io/npy.h"

using namespace ganvas;
namespace fs = std::filesystem;

namespace {

class DatasetTest : public ganvas::testing::TempDirTest {};

std::string idx_bytes(const std::vector<uint32_t>& dims, const std::vector<uint8_t>& payload) {
    std::string out = {0, 0, 0x08, char(dims.size())};
    for (uint32_t d : dims)
        for (int shift : {24, 16, 8, 0}) out += char((d >> shift) & 0xFF);
    return out + std::string(payload.begin(), payload.end());
}

void write_gzip(const std::string& path, const std::string& bytes) {
    gzFile f = gzopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
    ASSERT_EQ(gzclose(f), Z_OK);
}

template <typename Fn>
void expect_error(Fn fn, const std::string& needle1, const std::string& needle2 = "") {
    try {
        fn();
        FAIL() << "expected an error mentioning '" << needle1 << "'";
    } catch (const std::runtime_error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find(needle1), std::string::npos) << msg;
        EXPECT_NE(msg.find(needle2), std::string::npos) << msg;
    }
}

}  // namespace

TEST_F(DatasetTest, IdxImagesAndLabels) {
    // Three 2x2 images with pixels 0, 1, 127, 128, 254, 255, ...
    const std::vector<uint8_t> pixels = {0, 1, 127, 128, 254, 255, 10, 20, 30, 40, 50, 60};
    write_gzip(path("img.gz"), idx_bytes({3, 2, 2}, pixels));
    write_gzip(path("lab.gz"), idx_bytes({3}, {2, 0, 4}));

    ImageDataset data = load_idx_dataset(path("img.gz"), path("lab.gz"));
    EXPECT_EQ(data.size(), 3);
    ASSERT_EQ(data.images.shape(), (Shape{3, 1, 2, 2}));
    for (size_t i = 0; i < pixels.size(); ++i)
        EXPECT_EQ(data.images.data()[i], static_cast<float>(pixels[i]) / 127.5f - 1.0f);
    EXPECT_EQ(data.images.data()[0], -1.0f);
    EXPECT_EQ(data.images.data()[5], 1.0f);
    ASSERT_EQ(data.labels.dtype(), DType::i64);
    EXPECT_EQ(std::vector<int64_t>(data.labels.data_i64(), data.labels.data_i64() + 3),
              (std::vector<int64_t>{2, 0, 4}));
    EXPECT_EQ(data.class_names, (std::vector<std::string>{"0", "1", "2", "3", "4"}));
    EXPECT_EQ(data.name, "idx:img.gz");
}

TEST_F(DatasetTest, IdxWithoutLabels) {
    write_gzip(path("img.gz"), idx_bytes({1, 1, 3}, {0, 128, 255}));
    ImageDataset data = load_idx_dataset(path("img.gz"), "");
    EXPECT_EQ(data.images.shape(), (Shape{1, 1, 1, 3}));
    EXPECT_FALSE(data.labels.defined());
    EXPECT_TRUE(data.class_names.empty());
}

TEST_F(DatasetTest, CountsMustAgree) {
    write_gzip(path("img.gz"), idx_bytes({2, 1, 1}, {0, 1}));
    write_gzip(path("lab.gz"), idx_bytes({3}, {0, 1, 2}));
    expect_error([&] { load_idx_dataset(path("img.gz"), path("lab.gz")); },
                 path("lab.gz") + ": holds 3 labels but " + path("img.gz") + " holds 2 images");
}

// IDX label files are the MNIST family's digits: a 12 is refused when the file loads,
// naming the file, where the first bad label sits and its value, not at the first
// batch of a classifier that happens to draw it.
TEST_F(DatasetTest, IdxLabelsOutside0To9AreRefusedAtLoad) {
    write_gzip(path("img.gz"), idx_bytes({4, 1, 1}, {0, 1, 2, 3}));
    write_gzip(path("lab.gz"), idx_bytes({4}, {9, 0, 12, 200}));
    expect_error([&] { load_idx_dataset(path("img.gz"), path("lab.gz")); },
                 path("lab.gz") + ": label 12 at index 2 is outside 0..9", "idx:IMAGES");
    expect_error([&] { load_dataset("idx:" + path("img.gz") + "," + path("lab.gz")); },
                 path("lab.gz") + ": label 12 at index 2");
    write_gzip(path("nine.gz"), idx_bytes({4}, {9, 0, 9, 3}));  // the edge itself is fine
    EXPECT_EQ(load_idx_dataset(path("img.gz"), path("nine.gz")).class_names.size(), 10u);
}

TEST_F(DatasetTest, RanksMustFit) {
    write_gzip(path("flat.gz"), idx_bytes({4}, {0, 1, 2, 3}));
    write_gzip(path("img.gz"), idx_bytes({1, 2, 2}, {0, 1, 2, 3}));
    expect_error([&] { load_idx_dataset(path("flat.gz"), ""); }, path("flat.gz"),
                 "rank 3 (N, H, W)");
    expect_error([&] { load_idx_dataset(path("img.gz"), path("img.gz")); }, path("img.gz"),
                 "rank 1 (N,)");
}

TEST_F(DatasetTest, MissingFashionMnistNamesTheFolderAndThePackage) {
    const std::string nowhere = path("not-here");
    expect_error([&] { load_fashion_mnist("train", nowhere); },
                 nowhere + ": Fashion-MNIST not found", "dataset-fashion-mnist");
    expect_error([&] { load_fashion_mnist("valid", dir_); }, "no split 'valid'");
}

TEST_F(DatasetTest, FashionMnistLayoutFromAFolder) {
    write_gzip(path("t10k-images-idx3-ubyte.gz"), idx_bytes({2, 1, 2}, {0, 255, 255, 0}));
    write_gzip(path("t10k-labels-idx1-ubyte.gz"), idx_bytes({2}, {9, 3}));
    ImageDataset data = load_fashion_mnist("test", dir_);
    EXPECT_EQ(data.name, "fashion-mnist:test");
    EXPECT_EQ(data.class_names.size(), 10u);
    EXPECT_EQ(data.class_names[9], "Ankle boot");
    EXPECT_EQ(data.labels.data_i64()[0], 9);
    // The train files are absent: the message names the missing file.
    expect_error([&] { load_fashion_mnist("train", dir_); },
                 path("train-images-idx3-ubyte.gz") + ": Fashion-MNIST not found");
}

TEST_F(DatasetTest, ParsesDataSpecs) {
    DataSpec s = parse_data_spec("fashion-mnist");
    EXPECT_EQ(s.kind, DataSpec::Kind::fashion_mnist);
    EXPECT_EQ(s.split, "train");
    EXPECT_EQ(parse_data_spec("fashion-mnist:test").split, "test");
    EXPECT_EQ(parse_data_spec("fashion-mnist:train").split, "train");

    s = parse_data_spec("idx:/d/x.gz,/d/y.gz");
    EXPECT_EQ(s.kind, DataSpec::Kind::idx);
    EXPECT_EQ(s.images, "/d/x.gz");
    EXPECT_EQ(s.labels, "/d/y.gz");
    s = parse_data_spec("idx:x.gz");
    EXPECT_EQ(s.images, "x.gz");
    EXPECT_TRUE(s.labels.empty());
}

TEST_F(DatasetTest, RejectsBadSpecsListingTheAcceptedForms) {
    for (const char* spec :
         {"mnist", "fashion-mnist:valid", "idx:", "idx:a,", "", "codes:", "codes:a.npy,"})
        expect_error([&] { parse_data_spec(spec); }, std::string("data spec '") + spec + "'",
                     "use fashion-mnist[:train|:test], idx:IMAGES[,LABELS], folder:DIR, "
                     "tfrecord:FILE[,image=KEY][,label=KEY], tfrecord:FILE,columns=COLS.json, "
                     "toy:NAME or codes:");
    expect_error([&] { parse_data_spec("folder:"); }, "'folder:'", "no folder given");
    expect_error([&] { parse_data_spec("tfrecord:"); }, "no TFRecord file given");
    expect_error([&] { parse_data_spec("tfrecord:a.tfrecord,img=x"); },
                 "'img=x' is not image=KEY, label=KEY or columns=FILE");
    expect_error([&] { parse_data_spec("tfrecord:a.tfrecord,label="); },
                 "'label=' is not image=KEY, label=KEY or columns=FILE");
}

TEST_F(DatasetTest, ParsesFolderAndTfrecordSpecs) {
    DataSpec s = parse_data_spec("folder:/pics/shoes");
    EXPECT_EQ(s.kind, DataSpec::Kind::folder);
    EXPECT_EQ(s.path, "/pics/shoes");
    s = parse_data_spec("tfrecord:/d/train.tfrecord");
    EXPECT_EQ(s.kind, DataSpec::Kind::tfrecord);
    EXPECT_EQ(s.path, "/d/train.tfrecord");
    EXPECT_TRUE(s.image_key.empty());
    EXPECT_TRUE(s.label_key.empty());
    s = parse_data_spec("tfrecord:t.rec,label=image/class/label,image=image/encoded");
    EXPECT_EQ(s.path, "t.rec");
    EXPECT_EQ(s.image_key, "image/encoded");
    EXPECT_EQ(s.label_key, "image/class/label");
}

TEST_F(DatasetTest, LoadDatasetFromIdxSpec) {
    write_gzip(path("img.gz"), idx_bytes({2, 1, 1}, {0, 255}));
    write_gzip(path("lab.gz"), idx_bytes({2}, {1, 1}));
    ImageDataset data = load_dataset("idx:" + path("img.gz") + "," + path("lab.gz"));
    EXPECT_EQ(data.size(), 2);
    EXPECT_EQ(data.labels.data_i64()[1], 1);
}

TEST(FashionMnist, InstalledDatasetHasTheExpectedContents) {
    if (!fs::is_directory(kFashionMnistDir))
        GTEST_SKIP() << kFashionMnistDir << " is absent (Debian's dataset-fashion-mnist)";
    for (const auto& [split, count] : {std::pair{"train", 60000}, std::pair{"test", 10000}}) {
        ImageDataset data = load_fashion_mnist(split);
        ASSERT_EQ(data.images.shape(), (Shape{count, 1, 28, 28})) << split;
        const float* px = data.images.data();
        const auto [lo, hi] = std::minmax_element(px, px + data.images.numel());
        EXPECT_EQ(*lo, -1.0f) << split;
        EXPECT_EQ(*hi, 1.0f) << split;
        ASSERT_EQ(data.labels.shape(), (Shape{count})) << split;
        const int64_t* lab = data.labels.data_i64();
        std::vector<int64_t> per_class(10, 0);
        for (int64_t i = 0; i < count; ++i) {
            ASSERT_GE(lab[i], 0);
            ASSERT_LE(lab[i], 9);
            ++per_class[lab[i]];
        }
        for (int64_t n : per_class) EXPECT_EQ(n, count / 10) << split;  // balanced classes
        EXPECT_EQ(data.class_names.front(), "T-shirt/top");
    }
    EXPECT_EQ(load_dataset("fashion-mnist:test").size(), 10000);
}

TEST_F(DatasetTest, CodeGridsLoadAsWholeFloatsWithAHeldOutFile) {
    std::vector<int64_t> v(2 * 49);
    for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<int64_t>(i * 5 % 256);
    save_npy(path("train.npy"), Tensor::from_vector_i64({2, 7, 7}, v));
    save_npy(path("test.npy"), Tensor::from_vector_i64({1, 49}, std::vector<int64_t>(49, 255)));
    const std::string spec = "codes:" + path("train.npy") + "," + path("test.npy");
    ImageDataset train = load_dataset(spec);
    ASSERT_EQ(train.images.shape(), (Shape{2, 1, 7, 7}));
    for (size_t i = 0; i < v.size(); ++i) EXPECT_EQ(train.images.data()[i], float(v[i]));
    EXPECT_FALSE(train.labels.defined());
    ImageDataset heldout = load_heldout_codes(spec);
    ASSERT_EQ(heldout.images.shape(), (Shape{1, 1, 7, 7}));
    EXPECT_EQ(heldout.images.data()[48], 255.0f);
    EXPECT_EQ(load_heldout_codes("codes:" + path("train.npy")).size(), 0);
}

TEST_F(DatasetTest, CodeGridsRejectBadFilesNamingThem) {
    save_npy(path("shape.npy"), Tensor::zeros({3, 48}, DType::i64));
    expect_error([&] { load_code_grids(path("shape.npy")); }, path("shape.npy"), "(N, 7, 7)");
    save_npy(path("neg.npy"), Tensor::full({1, 49}, -1.0f));
    expect_error([&] { load_code_grids(path("neg.npy")); }, path("neg.npy"), "whole number");
    save_npy(path("frac.npy"), Tensor::full({1, 49}, 0.5f));
    expect_error([&] { load_code_grids(path("frac.npy")); }, path("frac.npy"), "whole number");
    expect_error([&] { load_code_grids(path("missing.npy")); }, path("missing.npy"), "");
}
