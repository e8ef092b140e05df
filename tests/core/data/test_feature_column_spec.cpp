// Column files: the JSON that mirrors tf.feature_column's calls, TensorFlow's names and
// widths, and a clear one-line error naming the file and the column for each mistake.
#include <gtest/gtest.h>

#include <string>

#include "data/feature_column_spec.h"
#include "support/test_files.h"

using namespace ganvas;
using ganvas::testing::expect_error;
using ganvas::testing::write_bytes;

namespace {

class FeatureColumnSpecTest : public ganvas::testing::TempDirTest {};

ColumnFile one(const std::string& column) {
    return parse_column_file("{\"columns\": [" + column + "]}", "cols.json");
}

void expect_refused(const std::string& column, const std::string& needle) {
    expect_error([&] { one(column); }, "cols.json", needle);
}

TEST(FeatureColumnSpec, NamesAndWidthsFollowTensorFlow) {
    const ColumnFile file = parse_column_file(R"({"columns": [
        {"kind": "numeric_column", "key": "price", "shape": [2, 3]},
        {"kind": "bucketized_column", "boundaries": [1, 2, 3],
         "source_column": {"kind": "numeric_column", "key": "age"}},
        {"kind": "indicator_column", "categorical_column":
            {"kind": "categorical_column_with_hash_bucket", "key": "brand",
             "hash_bucket_size": 100}},
        {"kind": "embedding_column", "dimension": 8, "categorical_column":
            {"kind": "categorical_column_with_vocabulary_list", "key": "color",
             "vocabulary_list": ["r", "g"], "num_oov_buckets": 3}},
        {"kind": "crossed_column", "hash_bucket_size": 10, "keys": ["zip",
            {"kind": "crossed_column", "hash_bucket_size": 5, "keys": ["city",
                {"kind": "bucketized_column", "boundaries": [0],
                 "source_column": {"kind": "numeric_column", "key": "lat"}}]}]}]})",
                                              "cols.json");
    ASSERT_EQ(file.columns.size(), 5u);
    const auto& c = file.columns;
    EXPECT_EQ(column_name(c[0]), "price");
    EXPECT_EQ(column_width(c[0]), 6);
    EXPECT_EQ(column_name(c[1]), "age_bucketized");
    EXPECT_EQ(column_width(c[1]), 4);
    EXPECT_EQ(column_num_buckets(c[1]), 4);
    EXPECT_EQ(column_name(c[2]), "brand_indicator");
    EXPECT_EQ(column_width(c[2]), 100);
    EXPECT_EQ(column_name(c[3]), "color_embedding");
    EXPECT_EQ(column_width(c[3]), 8);
    EXPECT_EQ(column_num_buckets(c[3].children[0]), 5);
    // A crossed column inside a crossed one contributes its leaves; the name sorts them.
    EXPECT_EQ(column_name(c[4]), "city_X_lat_bucketized_X_zip");
    EXPECT_EQ(c[4].children.size(), 3u);
    EXPECT_EQ(c[4].hash_key, kDefaultCrossHashKey);
    EXPECT_FALSE(is_dense_column(c[4]));
    EXPECT_EQ(column_kind_name(c[4].kind), "crossed_column");
}

TEST(FeatureColumnSpec, MistakesAreOneLineNamingTheColumn) {
    expect_refused(R"({"kind": "categorical_column_with_vocabulary_list", "key": "brand",
                       "vocabulary_list": ["a", "b", "a"]})",
                   "column 'brand' (categorical_column_with_vocabulary_list): Duplicate keys in "
                   "vocabulary: 'a'");
    expect_refused(R"({"kind": "categorical_column_with_vocabulary_list", "key": "b",
                       "vocabulary_list": ["a"], "num_oov_buckets": 2, "default_value": 0})",
                   "Can't specify both num_oov_buckets and default_value");
    expect_refused(R"({"kind": "bucketized_column", "boundaries": [1, 1],
                       "source_column": {"kind": "numeric_column", "key": "a"}})",
                   "boundaries must be a sorted list");
    expect_refused(R"({"kind": "numeric_column", "key": "a", "normaliser": "z_score"})",
                   "column 'a' (numeric_column): numeric_column() got an unexpected keyword "
                   "argument 'normaliser'");
    expect_refused(R"({"kind": "numeric_colum", "key": "a"})", "unknown kind 'numeric_colum'");
    expect_refused(R"({"kind": "crossed_column", "hash_bucket_size": 4, "keys": ["a",
        {"kind": "categorical_column_with_hash_bucket", "key": "b", "hash_bucket_size": 3}]})",
                   "is not supported for crossing");
    expect_refused(R"({"kind": "indicator_column", "categorical_column":
                       {"kind": "numeric_column", "key": "a"}})",
                   "categorical_column must be a categorical column, got numeric_column");
    expect_refused(R"({"kind": "categorical_column_with_identity", "key": "a",
                       "num_buckets": 0})",
                   "\"num_buckets\" must be a whole number in [1, ");
    expect_refused(R"({"kind": "numeric_column", "key": "a", "shape": 3,
                       "default_value": [1, 2]})",
                   "default_value holds 2 values; shape wants 3");
    expect_refused(R"({"kind": "embedding_column", "dimension": 2, "combiner": "max",
        "categorical_column": {"kind": "categorical_column_with_identity", "key": "a",
                               "num_buckets": 3}})",
                   "combiner must be");
    expect_refused(R"({"kind": "indicator_column", "categorical_column":
        {"kind": "categorical_column_with_hash_bucket", "key": "a",
         "hash_bucket_size": 1000000000000}})",
                   "too wide; use an embedding_column");
    expect_refused("[1]", "a column must be a JSON object");
}

TEST(FeatureColumnSpec, TheFileItselfMustHoldColumns) {
    expect_error([] { parse_column_file("{\"columns\": [", "cols.json"); }, "cols.json",
                 "not valid JSON");
    expect_error([] { parse_column_file("{\"cols\": []}", "cols.json"); }, "cols.json",
                 "wants {\"columns\"");
    expect_error([] { load_column_file("/nonexistent/cols.json"); }, "/nonexistent/cols.json",
                 "cannot open");
    expect_error(
        [] {
            parse_column_file(R"({"columns": [{"kind": "numeric_column", "key": "a"},
                {"kind": "numeric_column", "key": "a", "shape": 2}]})",
                              "cols.json");
        },
        "cols.json", "column 'a': Duplicate feature column name");
}

TEST_F(FeatureColumnSpecTest, VocabularyFileReadsLinesBesideTheColumnFile) {
    write_bytes(path("words.txt"), "apple\r\npear\nplum\n");
    const std::string json = R"({"columns": [{"kind": "categorical_column_with_vocabulary_file",
        "key": "fruit", "vocabulary_file": "words.txt", "vocabulary_size": 2}]})";
    write_bytes(path("cols.json"), json);
    const ColumnFile file = load_column_file(path("cols.json"));
    EXPECT_EQ(file.columns[0].vocabulary, (std::vector<std::string>{"apple", "pear"}));

    write_bytes(path("too_few.json"), R"({"columns": [{"kind":
        "categorical_column_with_vocabulary_file", "key": "fruit",
        "vocabulary_file": "words.txt", "vocabulary_size": 4}]})");
    expect_error([&] { load_column_file(path("too_few.json")); }, "too_few.json",
                 "vocabulary_size is 4 but");
    write_bytes(path("dup.txt"), "a\nb\na\n");
    write_bytes(path("dup.json"), R"({"columns": [{"kind":
        "categorical_column_with_vocabulary_file", "key": "f", "vocabulary_file": "dup.txt"}]})");
    expect_error([&] { load_column_file(path("dup.json")); }, "dup.json",
                 "Duplicate keys in vocabulary: 'a'");
    write_bytes(path("ints.json"), R"({"columns": [{"kind":
        "categorical_column_with_vocabulary_file", "key": "f", "vocabulary_file": "dup.txt",
        "dtype": "int64"}]})");
    expect_error([&] { load_column_file(path("ints.json")); }, "ints.json",
                 "line 'a' is not an int64");
    // A device that never ends is refused, not read.
    write_bytes(path("zero.json"), R"({"columns": [{"kind":
        "categorical_column_with_vocabulary_file", "key": "f",
        "vocabulary_file": "/dev/zero"}]})");
    expect_error([&] { load_column_file(path("zero.json")); }, "zero.json",
                 "cannot read vocabulary_file /dev/zero: it is a device, not a file");
}

}  // namespace
