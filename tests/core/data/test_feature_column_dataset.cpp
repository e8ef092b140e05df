// Image datasets through a column file (--data tfrecord:FILE --columns COLS.json): the
// image and label columns an image model takes, and what it refuses.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "data/dataset.h"
#include "data/feature_column_dataset.h"
#include "data/tfrecord.h"
#include "support/test_files.h"

using namespace ganvas;
using ganvas::testing::expect_error;
using ganvas::testing::write_bytes;

namespace {

class FeatureColumnDatasetTest : public ganvas::testing::TempDirTest {
protected:
    // Two 2x2 images with a brand each.
    std::string records(const std::vector<std::string>& brands = {"acme", "zeta"}) {
        std::vector<std::string> out;
        for (size_t i = 0; i < brands.size(); ++i) {
            Example ex;
            ex["pixels"] = Feature::of_ints({0, 255, static_cast<int64_t>(i), 51});
            ex["brand"] = Feature::of_bytes({brands[i]});
            out.push_back(serialize_example(ex));
        }
        write_tfrecord(path("data.tfrecord"), out);
        return path("data.tfrecord");
    }
    std::string columns(const std::string& body) {
        write_bytes(path("cols.json"), "{\"columns\": [" + body + "]}");
        return path("cols.json");
    }
};

const char* kPixels = R"({"kind": "numeric_column", "key": "pixels", "shape": [2, 2],
                          "dtype": "int64"})";
const char* kBrand = R"({"kind": "categorical_column_with_vocabulary_list", "key": "brand",
                         "vocabulary_list": ["zeta", "acme"], "num_oov_buckets": 1})";

TEST_F(FeatureColumnDatasetTest, NumericImageAndVocabularyLabel) {
    const std::string spec = data_spec_with_columns("tfrecord:" + records(),
                                                    columns(std::string(kPixels) + ", " + kBrand));
    EXPECT_EQ(spec, "tfrecord:" + path("data.tfrecord") + ",columns=" + path("cols.json"));
    const ImageDataset data = load_dataset(spec);
    ASSERT_EQ(data.images.shape(), (Shape{2, 1, 2, 2}));
    EXPECT_FLOAT_EQ(data.images.data()[0], -1.0f);
    EXPECT_FLOAT_EQ(data.images.data()[1], 1.0f);
    EXPECT_FLOAT_EQ(data.images.data()[3], 51 / 127.5f - 1);
    EXPECT_EQ(data.labels.data_i64()[0], 1);  // acme
    EXPECT_EQ(data.labels.data_i64()[1], 0);  // zeta
    EXPECT_EQ(data.class_names, (std::vector<std::string>{"zeta", "acme", "oov0"}));
}

TEST_F(FeatureColumnDatasetTest, MinMaxNormalizedFloatsAndAnIndicatorLabel) {
    const std::string cols = columns(R"({"kind": "numeric_column", "key": "pixels",
        "shape": [1, 2, 2], "dtype": "int64", "normalizer": "min_max"},
        {"kind": "indicator_column", "categorical_column": {"kind":
         "categorical_column_with_identity", "key": "c", "num_buckets": 3}})");
    Example ex;
    ex["pixels"] = Feature::of_ints({10, 20, 30, 50});
    ex["c"] = Feature::of_ints({2});
    write_tfrecord(path("one.tfrecord"), {serialize_example(ex)});
    const ImageDataset data = load_tfrecord_with_columns(path("one.tfrecord"), cols);
    // min_max over the record's values: 0, 0.25, 0.5, 1 -> 2v - 1
    EXPECT_FLOAT_EQ(data.images.data()[1], -0.5f);
    EXPECT_FLOAT_EQ(data.images.data()[3], 1.0f);
    EXPECT_EQ(data.class_names.size(), 3u);
}

TEST_F(FeatureColumnDatasetTest, RefusalsSayWhatAnImageModelNeeds) {
    const std::string data = records({"acme", "unknown"});
    expect_error(
        [&] {
            load_tfrecord_with_columns(
                data,
                columns(std::string(kPixels) + R"(, {"kind": "numeric_column", "key": "price"})"));
        },
        "cols.json", "column 'price' (numeric_column): not used: an image model takes one image");
    expect_error([&] { load_tfrecord_with_columns(data, columns(kBrand)); }, "cols.json",
                 "declares no image");
    expect_error(
        [&] {
            load_tfrecord_with_columns(data, columns(std::string(kPixels) + R"(, {"kind":
                "categorical_column_with_vocabulary_list", "key": "brand",
                "vocabulary_list": ["acme"]})"));
        },
        "data.tfrecord",
        "column 'brand' (categorical_column_with_vocabulary_list): record 1: a label needs one "
        "class id >= 0, got [-1]");
    expect_error(
        [&] {
            load_tfrecord_with_columns(
                data, columns(R"({"kind": "numeric_column", "key": "pixels", "shape": [2, 2]})"));
        },
        "cols.json", "record 0: feature 'pixels' is an int64_list, wants float_list");
}

TEST_F(FeatureColumnDatasetTest, ColumnsReplaceImageAndLabelKeys) {
    expect_error([&] { data_spec_with_columns("tfrecord:a.tfrecord,label=y", "c.json"); }, "c.json",
                 "replaces the image=, label= and columns=");
    expect_error([&] { data_spec_with_columns("fashion-mnist", "c.json"); }, "--columns",
                 "give --data tfrecord:FILE");
    expect_error([&] { parse_data_spec("tfrecord:a.tfrecord,columns=c.json,image=x"); },
                 "data spec", "a column file replaces image= and label=");
    EXPECT_EQ(parse_data_spec("tfrecord:a.tfrecord,columns=c.json").columns, "c.json");
}

}  // namespace
