// `ganvas columns` and `--columns FILE`: TensorFlow feature columns from the command line,
// on tf.Example records as a TensorFlow user keeps them.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "data/tf_example.h"
#include "data/tfrecord.h"
#include "support/cli_runner.h"
#include "support/test_files.h"

using namespace ganvas;
using ganvas::testing::CliResult;
using ganvas::testing::expect_clear_error;
using ganvas::testing::run_ganvas;
using ganvas::testing::temp_dir;
using ganvas::testing::write_bytes;
namespace fs = std::filesystem;

namespace {

// Records with a 28x28 int64 image, a brand, a price and a class.
std::string write_records(const std::string& dir, int n = 8) {
    std::vector<std::string> records;
    const char* brands[] = {"a", "b", "c", "d"};
    for (int i = 0; i < n; ++i) {
        Example ex;
        ex["pixels"] = Feature::of_ints(std::vector<int64_t>(28 * 28, (i * 30) % 256));
        ex["brand"] = Feature::of_bytes({brands[i % 4]});
        ex["price"] = Feature::of_floats({static_cast<float>(i)});
        ex["class"] = Feature::of_ints({i % 3});
        records.push_back(serialize_example(ex));
    }
    write_tfrecord(dir + "/data.tfrecord", records);
    return dir + "/data.tfrecord";
}

std::string write_columns(const std::string& dir, const std::string& name,
                          const std::string& columns) {
    write_bytes(dir + "/" + name, "{\"columns\": [" + columns + "]}");
    return dir + "/" + name;
}

const char* kTabular = R"(
    {"kind": "numeric_column", "key": "price"},
    {"kind": "categorical_column_with_hash_bucket", "key": "brand", "hash_bucket_size": 10},
    {"kind": "indicator_column", "categorical_column":
        {"kind": "categorical_column_with_vocabulary_list", "key": "brand",
         "vocabulary_list": ["b", "a"]}},
    {"kind": "bucketized_column", "boundaries": [2],
     "source_column": {"kind": "numeric_column", "key": "price"}})";

TEST(CliColumns, JsonShowsEachColumnAndTheDenseRowInTensorFlowsOrder) {
    const std::string dir = temp_dir("cli_columns_json");
    const std::string data = write_records(dir);
    const std::string cols = write_columns(dir, "cols.json", kTabular);
    auto r = run_ganvas("columns --columns " + cols + " --data tfrecord:" + data +
                        " --n 3 --json 2>/dev/null");
    ASSERT_EQ(r.status, 0) << r.output;
    const auto doc = nlohmann::json::parse(r.output);
    std::vector<std::string> names;
    for (const auto& c : doc["columns"]) names.push_back(c["name"]);
    // dense columns sorted by name, then the bare categorical column (ids)
    EXPECT_EQ(names,
              (std::vector<std::string>{"brand_indicator", "price", "price_bucketized", "brand"}));
    EXPECT_EQ(doc["columns"][3]["output"], "ids");
    EXPECT_EQ(doc["columns"][3]["width"], 10);
    ASSERT_EQ(doc["rows"].size(), 3u);
    // record 2: brand "c" (not in the vocabulary: no one-hot), price 2 (on the boundary:
    // the upper bucket), Fingerprint64("c") % 10 = 2 (TensorFlow's hash-bucket test)
    EXPECT_EQ(doc["rows"][2][0], nlohmann::json({0, 0}));
    EXPECT_EQ(doc["rows"][2][2], nlohmann::json({0, 1}));
    EXPECT_EQ(doc["rows"][2][3], nlohmann::json({2}));
    EXPECT_EQ(doc["dense"][1], nlohmann::json({1, 0, 1, 1, 0}));  // brand "b", price 1
}

TEST(CliColumns, TextNamesColumnsAndIds) {
    const std::string dir = temp_dir("cli_columns_text");
    const std::string data = write_records(dir);
    const std::string cols = write_columns(dir, "cols.json", kTabular);
    auto r = run_ganvas("columns --columns " + cols + " --data tfrecord:" + data + " --n 1");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("record 0"), std::string::npos) << r.output;
    // Fingerprint64("a") % 10 = 9
    EXPECT_NE(r.output.find("brand (categorical_column_with_hash_bucket): ids [9]"),
              std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("dense row: [0, 1, 0, 1, 0]"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("record 1"), std::string::npos) << r.output;
}

TEST(CliColumns, MistakesAreOneLineNamingFileColumnAndRecord) {
    const std::string dir = temp_dir("cli_columns_errors");
    const std::string data = write_records(dir);
    const std::string bad_json = write_columns(dir, "bad.json", "{\"kind\": ");
    expect_clear_error(run_ganvas("columns --columns " + bad_json + " --data tfrecord:" + data),
                       "bad.json: not valid JSON");
    const std::string wrong =
        write_columns(dir, "wrong.json",
                      R"({"kind": "categorical_column_with_vocabulary_list", "key": "class",
            "vocabulary_list": ["x"]})");
    expect_clear_error(run_ganvas("columns --columns " + wrong + " --data tfrecord:" + data),
                       "wrong.json: column 'class' (categorical_column_with_vocabulary_list): "
                       "record 0: feature 'class' is an int64_list, wants bytes_list");
    auto both =
        run_ganvas("columns --columns " + wrong + " --data tfrecord:" + data + ",label=class");
    EXPECT_EQ(both.status, 2) << both.output;
    EXPECT_NE(both.output.find("replaces the image=, label= and columns="), std::string::npos)
        << both.output;
}

TEST(CliColumns, TrainsAnImageModelThroughAColumnFile) {
    const std::string dir = temp_dir("cli_columns_train");
    const std::string data = write_records(dir);
    const std::string cols = write_columns(dir, "image.json", R"(
        {"kind": "numeric_column", "key": "pixels", "shape": [28, 28], "dtype": "int64"},
        {"kind": "categorical_column_with_identity", "key": "class", "num_buckets": 3})");
    auto r = run_ganvas("train --model dcgan28 --data tfrecord:" + data + " --columns " + cols +
                        " --steps 2 --batch 4 --quiet --out " + dir + "/run");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_TRUE(fs::exists(dir + "/run/checkpoint.safetensors")) << r.output;

    // --resume with another column file is another run.
    const std::string other = write_columns(dir, "other.json", R"(
        {"kind": "numeric_column", "key": "pixels", "shape": [28, 28], "dtype": "int64"})");
    expect_clear_error(run_ganvas("train --resume --data tfrecord:" + data + " --columns " + other +
                                  " --steps 3 --out " + dir + "/run"),
                       "differs from data");

    const std::string extra = write_columns(dir, "extra.json", kTabular);
    expect_clear_error(run_ganvas("train --model dcgan28 --data tfrecord:" + data + " --columns " +
                                  extra + " --steps 1 --out " + dir + "/run2"),
                       "not used: an image model takes one image");
    expect_clear_error(
        run_ganvas("train --model dcgan28 --columns " + cols + " --steps 1 --out " + dir + "/r3"),
        "--columns reads tf.Example records: give --data tfrecord:FILE");
}

TEST(CliColumns, TheWindowTakesColumnsWithTfrecordDataOnly) {
    const CliResult wrong_data =
        run_ganvas("--data fashion-mnist --columns c.json --screenshot /dev/null");
    EXPECT_EQ(wrong_data.status, 2) << wrong_data.output;
    EXPECT_NE(wrong_data.output.find("--columns reads tf.Example records"), std::string::npos)
        << wrong_data.output;
    const CliResult with_run =
        run_ganvas("--checkpoint run/checkpoint.safetensors --columns c.json");
    EXPECT_EQ(with_run.status, 2) << with_run.output;
    EXPECT_NE(with_run.output.find("leave out --model, --data and --columns"), std::string::npos)
        << with_run.output;
}

}  // namespace
