// What each TensorFlow feature column makes of hand-built tf.Example records, worked out
// by hand from TensorFlow's rules (data/feature_column_transform.h), edges included.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "data/feature_column_spec.h"
#include "data/feature_column_transform.h"
#include "ops/reduce.h"
#include "support/test_files.h"

using namespace ganvas;
using ganvas::testing::expect_error;

namespace {

Example record(std::initializer_list<std::pair<const std::string, Feature>> features) {
    return Example(features);
}

// A layer over one column given as JSON, fitted on `records`.
FeatureLayer layer_of(const std::string& column_json, const std::vector<Example>& records = {}) {
    return FeatureLayer(parse_column_file("{\"columns\": [" + column_json + "]}", "cols.json"),
                        records, 1);
}

std::vector<int64_t> ids_of(const std::string& column_json, const Example& ex) {
    const FeatureLayer layer = layer_of(column_json);
    return layer.ids(layer.file().columns[0], ex, 0).ids;
}

std::vector<float> dense_of(const FeatureLayer& layer, const Example& ex, size_t index = 0) {
    return layer.dense_output(layer.file().columns[0], ex, index);
}

const char* kPrice = R"({"kind": "numeric_column", "key": "price", "shape": [2]})";

TEST(FeatureColumnTransform, NumericReadsItsShapeAndFallsBackToTheDefault) {
    EXPECT_EQ(dense_of(layer_of(kPrice), record({{"price", Feature::of_floats({1.5f, -2})}})),
              (std::vector<float>{1.5f, -2}));
    const FeatureLayer with_default =
        layer_of(R"({"kind": "numeric_column", "key": "p", "shape": 2, "default_value": 7})");
    EXPECT_EQ(dense_of(with_default, record({})), (std::vector<float>{7, 7}));
    const FeatureLayer ints =
        layer_of(R"({"kind": "numeric_column", "key": "n", "dtype": "int64"})");
    EXPECT_EQ(dense_of(ints, record({{"n", Feature::of_ints({-3})}})), (std::vector<float>{-3}));
}

TEST(FeatureColumnTransform, NumericErrorsNameTheFileColumnAndRecord) {
    const FeatureLayer layer = layer_of(kPrice);
    expect_error([&] { dense_of(layer, record({}), 12); }, "cols.json",
                 "column 'price' (numeric_column): record 12: has no feature 'price' and the "
                 "column has no default_value");
    expect_error(
        [&] {
            dense_of(layer, record({{"price", Feature::of_ints({1, 2})}}), 3);
        },
        "cols.json", "record 3: feature 'price' is an int64_list, wants float_list");
    expect_error(
        [&] {
            dense_of(layer, record({{"price", Feature::of_floats({1})}}), 4);
        },
        "cols.json", "record 4: feature 'price' holds 1 values; shape [2] wants 2");
}

TEST(FeatureColumnTransform, NormalizersAreFittedOnTheTrainingRecords) {
    const std::vector<Example> training = {record({{"x", Feature::of_floats({1})}}),
                                           record({{"x", Feature::of_floats({2})}}),
                                           record({{"x", Feature::of_floats({3})}})};
    const FeatureLayer z =
        layer_of(R"({"kind": "numeric_column", "key": "x", "normalizer": "z_score"})", training);
    // mean 2, population std sqrt(2/3)
    EXPECT_NEAR(dense_of(z, training[0])[0], -1.0f / std::sqrt(2.0f / 3.0f), 1e-6);
    EXPECT_NEAR(dense_of(z, training[1])[0], 0.0f, 1e-6);
    const FeatureLayer m =
        layer_of(R"({"kind": "numeric_column", "key": "x", "normalizer": "min_max"})", training);
    EXPECT_FLOAT_EQ(dense_of(m, training[1])[0], 0.5f);
    EXPECT_FLOAT_EQ(dense_of(m, record({{"x", Feature::of_floats({5})}}))[0], 2.0f);
    // A constant column: centred, not divided by zero.
    const FeatureLayer flat = layer_of(
        R"({"kind": "numeric_column", "key": "x", "normalizer": "z_score"})", {training[0]});
    EXPECT_FLOAT_EQ(dense_of(flat, training[2])[0], 2.0f);
}

const char* kBuckets = R"({"kind": "bucketized_column", "boundaries": [0, 10],
    "source_column": {"kind": "numeric_column", "key": "v", "shape": [2]}})";

TEST(FeatureColumnTransform, BucketizedPutsABoundaryValueInTheUpperBucket) {
    auto ids = [](float a, float b) {
        return ids_of(kBuckets, record({{"v", Feature::of_floats({a, b})}}));
    };
    EXPECT_EQ(ids(-1, 0), (std::vector<int64_t>{0, 3 + 1}));  // element 1's ids start at 3
    EXPECT_EQ(ids(5, 10), (std::vector<int64_t>{1, 3 + 2}));
    EXPECT_EQ(ids(9.999f, 11), (std::vector<int64_t>{1, 3 + 2}));
    const FeatureLayer layer = layer_of(kBuckets);
    EXPECT_EQ(dense_of(layer, record({{"v", Feature::of_floats({10, -5})}})),
              (std::vector<float>{0, 0, 1, 1, 0, 0}));
    EXPECT_EQ(column_name(layer.file().columns[0]), "v_bucketized");
}

TEST(FeatureColumnTransform, IdentityDropsMinusOneAndMapsOutOfRangeToTheDefault) {
    const char* strict = R"({"kind": "categorical_column_with_identity", "key": "k",
                             "num_buckets": 4})";
    EXPECT_EQ(ids_of(strict, record({{"k", Feature::of_ints({2, -1, 0})}})),
              (std::vector<int64_t>{2, 0}));
    expect_error(
        [&] {
            ids_of(strict, record({{"k", Feature::of_ints({-2})}}));
        },
        "cols.json",
        "column 'k' (categorical_column_with_identity): record 0: id -2 is outside [0, "
        "4) and the column has no default_value");
    const char* lenient = R"({"kind": "categorical_column_with_identity", "key": "k",
                              "num_buckets": 4, "default_value": 3})";
    EXPECT_EQ(ids_of(lenient, record({{"k", Feature::of_ints({-2, 4, 1})}})),
              (std::vector<int64_t>{3, 3, 1}));
    EXPECT_TRUE(ids_of(lenient, record({})).empty());  // a missing feature has no ids
    expect_error(
        [&] {
            ids_of(strict, record({{"k", Feature::of_bytes({"1"})}}));
        },
        "cols.json", "feature 'k' is a bytes_list, wants int64_list");
}

TEST(FeatureColumnTransform, VocabularyListUsesOovBucketsOrTheDefault) {
    const char* plain = R"({"kind": "categorical_column_with_vocabulary_list", "key": "w",
                            "vocabulary_list": ["a", "b", "c"]})";
    // "" is a missing value (dropped); an unknown word is -1 without OOV buckets.
    EXPECT_EQ(ids_of(plain, record({{"w", Feature::of_bytes({"b", "", "zz", "a"})}})),
              (std::vector<int64_t>{1, -1, 0}));
    const char* oov = R"({"kind": "categorical_column_with_vocabulary_list", "key": "w",
                          "vocabulary_list": ["a", "b", "c"], "num_oov_buckets": 7})";
    // 3 + Fingerprint64("d") % 7 = 3 + 2 (scripts/feature_column_vectors.py)
    EXPECT_EQ(ids_of(oov, record({{"w", Feature::of_bytes({"d", "c"})}})),
              (std::vector<int64_t>{5, 2}));
    const char* with_default = R"({"kind": "categorical_column_with_vocabulary_list",
        "key": "w", "vocabulary_list": [10, 20], "default_value": 9})";
    EXPECT_EQ(ids_of(with_default, record({{"w", Feature::of_ints({20, 30, -1})}})),
              (std::vector<int64_t>{1, 9}));
    expect_error(
        [&] {
            ids_of(plain, record({{"w", Feature::of_ints({1})}}));
        },
        "cols.json",
        "column 'w' (categorical_column_with_vocabulary_list): record 0: feature 'w' is an "
        "int64_list, wants bytes_list");
}

TEST(FeatureColumnTransform, HashBucketIsFingerprintModuloAndIntsHashAsText) {
    const char* strings = R"({"kind": "categorical_column_with_hash_bucket", "key": "h",
                              "hash_bucket_size": 10})";
    // TensorFlow's string_to_hash_bucket_op_test: a, b, c, d -> 9, 2, 2, 5
    EXPECT_EQ(ids_of(strings, record({{"h", Feature::of_bytes({"a", "b", "c", "", "d"})}})),
              (std::vector<int64_t>{9, 2, 2, 5}));
    const char* ints = R"({"kind": "categorical_column_with_hash_bucket", "key": "h",
                           "hash_bucket_size": 1000, "dtype": "int64"})";
    EXPECT_EQ(ids_of(ints, record({{"h", Feature::of_ints({-7, -1})}})),
              (std::vector<int64_t>{static_cast<int64_t>(fingerprint64("-7") % 1000)}));
}

TEST(FeatureColumnTransform, CrossedHashesLikeSparseCrossHashed) {
    const Example ab = record({{"s1", Feature::of_bytes({"a"})}, {"s2", Feature::of_bytes({"b"})}});
    // scripts/feature_column_vectors.py: cross(["a", "b"], 1000) = 986, reversed 100
    EXPECT_EQ(ids_of(R"({"kind": "crossed_column", "keys": ["s1", "s2"],
                         "hash_bucket_size": 1000})",
                     ab),
              (std::vector<int64_t>{986}));
    EXPECT_EQ(ids_of(R"({"kind": "crossed_column", "keys": ["s2", "s1"],
                         "hash_bucket_size": 1000})",
                     ab),
              (std::vector<int64_t>{100}));
    // cross(["Hello", "World"], 97, key=7) = 58
    EXPECT_EQ(
        ids_of(R"({"kind": "crossed_column", "keys": ["x", "y"], "hash_bucket_size": 97,
                         "hash_key": 7})",
               record({{"x", Feature::of_bytes({"Hello"})}, {"y", Feature::of_bytes({"World"})}})),
        (std::vector<int64_t>{58}));
    // A categorical key enters as its id: identity 3 with "c" -> 13 (the script)
    const char* with_ids = R"({"kind": "crossed_column", "hash_bucket_size": 50, "keys": [
        {"kind": "categorical_column_with_identity", "key": "n", "num_buckets": 5}, "s"]})";
    EXPECT_EQ(
        ids_of(with_ids, record({{"n", Feature::of_ints({3})}, {"s", Feature::of_bytes({"c"})}})),
        (std::vector<int64_t>{13}));
    // Every combination, the last key fastest; none when a key has no value.
    const auto many = ids_of(
        R"({"kind": "crossed_column", "keys": ["s1", "s2"], "hash_bucket_size": 1000})",
        record({{"s1", Feature::of_bytes({"a", "b"})}, {"s2", Feature::of_bytes({"b", "a"})}}));
    ASSERT_EQ(many.size(), 4u);
    EXPECT_EQ(many[0], 986);  // (a, b), (a, a), (b, b), (b, a)
    EXPECT_EQ(many[3], 100);
    EXPECT_TRUE(ids_of(R"({"kind": "crossed_column", "keys": ["s1", "s2"],
                           "hash_bucket_size": 9})",
                       record({{"s1", Feature::of_bytes({"a"})}}))
                    .empty());
}

const char* kWords = R"({"kind": "categorical_column_with_vocabulary_list", "key": "w",
                         "vocabulary_list": ["a", "b", "c"]})";

TEST(FeatureColumnTransform, IndicatorCountsIdsAndWeightedSumsWeights) {
    const FeatureLayer counts = layer_of(
        std::string(R"({"kind": "indicator_column", "categorical_column": )") + kWords + "}");
    EXPECT_EQ(dense_of(counts, record({{"w", Feature::of_bytes({"a", "c", "a", "zz"})}})),
              (std::vector<float>{2, 0, 1}));
    EXPECT_EQ(dense_of(counts, record({})), (std::vector<float>{0, 0, 0}));
    const FeatureLayer weighted =
        layer_of(std::string(R"({"kind": "indicator_column", "categorical_column": {
            "kind": "weighted_categorical_column", "weight_feature_key": "f",
            "categorical_column": )") +
                 kWords + "}}");
    EXPECT_EQ(column_name(weighted.file().columns[0]), "w_weighted_by_f_indicator");
    // The weight of a dropped "" is dropped with it.
    EXPECT_EQ(dense_of(weighted, record({{"w", Feature::of_bytes({"a", "", "c", "a"})},
                                         {"f", Feature::of_floats({0.5f, 9, 2, 0.25f})}})),
              (std::vector<float>{0.75f, 0, 2}));
    expect_error(
        [&] {
            dense_of(weighted,
                     record({{"w", Feature::of_bytes({"a"})}, {"f", Feature::of_floats({1, 2})}}),
                     5);
        },
        "cols.json", "record 5: weight feature 'f' holds 2 values for 1 ids");
}

std::string embedding_json(const std::string& combiner, bool weighted = false) {
    const std::string inner =
        weighted ? std::string(R"({"kind": "weighted_categorical_column", "weight_feature_key":
                                   "f", "categorical_column": )") +
                       kWords + "}"
                 : kWords;
    return R"({"kind": "embedding_column", "dimension": 2, "combiner": ")" + combiner +
           R"(", "categorical_column": )" + inner + "}";
}

TEST(FeatureColumnTransform, EmbeddingCombinersSumMeanSqrtn) {
    const Example ex =
        record({{"w", Feature::of_bytes({"a", "c", "zz"})}, {"f", Feature::of_floats({3, 4, 1})}});
    auto output = [&](const std::string& combiner, bool weighted) {
        FeatureLayer layer = layer_of(embedding_json(combiner, weighted));
        // rows a, b, c of the table (3, 2)
        layer.embedding_tables().begin()->second =
            Tensor::from_vector({3, 2}, {1, 10, 100, 1000, 2, 20});
        return dense_of(layer, ex);
    };
    // ids a, c (the unknown word's -1 is dropped): rows (1, 10) and (2, 20)
    EXPECT_EQ(output("sum", false), (std::vector<float>{3, 30}));
    EXPECT_EQ(output("mean", false), (std::vector<float>{1.5f, 15}));
    const float r2 = std::sqrt(2.0f);
    EXPECT_FLOAT_EQ(output("sqrtn", false)[0], 3 / r2);
    // weights 3 and 4: sum 3*1 + 4*2 = 11; mean / 7; sqrtn / 5
    EXPECT_FLOAT_EQ(output("sum", true)[0], 11);
    EXPECT_FLOAT_EQ(output("mean", true)[1], 110.0f / 7);
    EXPECT_FLOAT_EQ(output("sqrtn", true)[0], 11.0f / 5);
    FeatureLayer layer = layer_of(embedding_json("mean"));
    EXPECT_EQ(dense_of(layer, record({})), (std::vector<float>{0, 0}));  // no ids: zeros
}

TEST(FeatureColumnTransform, EmbeddingTablesStartTruncatedNormal) {
    const FeatureLayer layer = layer_of(R"({"kind": "embedding_column", "dimension": 4,
        "categorical_column": {"kind": "categorical_column_with_hash_bucket", "key": "h",
                               "hash_bucket_size": 500}})");
    const Tensor& table = layer.embedding_tables().at("h_embedding");
    ASSERT_EQ(table.shape(), (Shape{500, 4}));
    EXPECT_TRUE(table.requires_grad());
    double sum_squares = 0;
    for (int64_t i = 0; i < table.numel(); ++i) {
        EXPECT_LE(std::fabs(table.data()[i]), 2 * 0.5f);  // 2 stddev = 2 / sqrt(4)
        sum_squares += table.data()[i] * table.data()[i];
    }
    // a normal truncated at 2 sigma keeps 77% of the variance: 0.25 * 0.774
    EXPECT_NEAR(sum_squares / table.numel(), 0.25 * 0.774, 0.02);
    const FeatureLayer frozen = layer_of(R"({"kind": "embedding_column", "dimension": 4,
        "trainable": false, "categorical_column": {"kind": "categorical_column_with_identity",
        "key": "h", "num_buckets": 5}})");
    EXPECT_FALSE(frozen.embedding_tables().at("h_embedding").requires_grad());
}

TEST(FeatureColumnTransform, DenseLayerSortsColumnsByName) {
    const ColumnFile file = parse_column_file(std::string(R"({"columns": [
            {"kind": "numeric_column", "key": "zeta"},
            {"kind": "indicator_column", "categorical_column": )") +
                                                  kWords + R"(},
            {"kind": "numeric_column", "key": "alpha"},)" +
                                                  embedding_json("sum") + R"(,
            )" + kWords + "]}",
                                              "cols.json");
    FeatureLayer layer(file, {}, 3);
    std::vector<std::string> names;
    for (const ColumnSpec* c : layer.dense_columns()) names.push_back(column_name(*c));
    // the bare vocabulary column gives ids only, so it is not in the dense layer
    EXPECT_EQ(names, (std::vector<std::string>{"alpha", "w_embedding", "w_indicator", "zeta"}));
    EXPECT_EQ(layer.width(), 1 + 2 + 3 + 1);
    layer.embedding_tables().at("w_embedding") =
        Tensor::from_vector({3, 2}, {1, 2, 3, 4, 5, 6}).requires_grad_(true);
    const std::vector<Example> records = {
        record({{"zeta", Feature::of_floats({9})},
                {"alpha", Feature::of_floats({-1})},
                {"w", Feature::of_bytes({"b", "c"})}}),
        record({{"zeta", Feature::of_floats({8})}, {"alpha", Feature::of_floats({0})}})};
    EXPECT_EQ(layer.dense_row(records[0], 0), (std::vector<float>{-1, 8, 10, 0, 1, 1, 9}));

    // The batch is the rows stacked, and its gradient reaches the table's used rows.
    const Tensor batch = layer.dense_batch(records);  // (2, 7)
    ASSERT_EQ(batch.shape(), (Shape{2, 7}));
    for (size_t i = 0; i < records.size(); ++i) {
        const auto row = layer.dense_row(records[i], i);
        for (int64_t j = 0; j < 7; ++j) EXPECT_FLOAT_EQ(batch.data()[i * 7 + j], row[j]);
    }
    backward({sum(batch)});
    const Tensor grad = layer.embedding_tables().at("w_embedding").grad();
    ASSERT_TRUE(grad.defined());
    EXPECT_EQ(std::vector<float>(grad.data(), grad.data() + 6),
              (std::vector<float>{0, 0, 1, 1, 1, 1}));
}

}  // namespace

namespace {

TEST(FeatureColumnTransform, AColumnFromAnotherCopyOfTheFileIsRefused) {
    const ColumnFile file = parse_column_file(R"({"columns": [{"kind":
        "categorical_column_with_vocabulary_list", "key": "w", "vocabulary_list": ["a"]}]})",
                                              "cols.json");
    const FeatureLayer layer(file, {});
    const Example ex = {{"w", Feature::of_bytes({"a"})}};
    EXPECT_EQ(layer.ids(layer.file().columns[0], ex, 0).ids, (std::vector<int64_t>{0}));
    EXPECT_THROW(layer.ids(file.columns[0], ex, 0), std::invalid_argument);
}

}  // namespace
