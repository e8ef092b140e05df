// TensorFlow feature columns declared in a JSON file that mirrors the Python calls:
//
//   {"columns": [
//     {"kind": "numeric_column", "key": "price", "normalizer": "z_score"},
//     {"kind": "indicator_column",
//      "categorical_column": {"kind": "categorical_column_with_hash_bucket",
//                             "key": "brand", "hash_bucket_size": 1000}}]}
//
// `kind` is the tf.feature_column function's name and the other keys are its keyword
// arguments; a nested column (categorical_column, source_column, a crossed_column's
// keys) is an object. Where TensorFlow takes a Python normalizer_fn, a numeric column
// takes "normalizer": "z_score" | "min_max", fitted on the training records.
// Ganvas adds one kind of its own, "image_column" {"key": K}: the image column of
// data/feature_columns.h (an encoded PNG/JPEG, raw bytes or pixels) for image models.
//
// The semantics (ids, names, order) are TensorFlow's; feature_column_transform.h
// computes them. This header is the stable API the window's Feature columns panel uses.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ganvas {

enum class ColumnKind {
    numeric,          // numeric_column
    bucketized,       // bucketized_column
    identity,         // categorical_column_with_identity
    vocabulary_list,  // categorical_column_with_vocabulary_list
    vocabulary_file,  // categorical_column_with_vocabulary_file
    hash_bucket,      // categorical_column_with_hash_bucket
    crossed,          // crossed_column
    indicator,        // indicator_column
    embedding,        // embedding_column
    weighted,         // weighted_categorical_column
    image,            // image_column (Ganvas's own)
    raw_key,          // a plain feature name among a crossed_column's keys
};

// crossed_column's hash_key when none is given: TensorFlow's _DEFAULT_HASH_KEY.
constexpr uint64_t kDefaultCrossHashKey = 0xDECAFCAFFEull;

// One column as declared. Only the fields of its kind are meaningful.
struct ColumnSpec {
    ColumnKind kind = ColumnKind::numeric;
    std::string key;  // the feature it reads (numeric, categorical_*, image, raw_key)

    // numeric_column
    std::vector<int64_t> shape = {1};
    std::vector<float> default_value;  // empty: a missing feature is an error
    bool integer_values = false;       // dtype int64/int32: reads an int64_list
    std::string normalizer;            // "", "z_score" or "min_max"

    // bucketized_column: strictly increasing
    std::vector<float> boundaries;

    // categorical columns. num_buckets: identity's num_buckets, hash_bucket_size of
    // hash_bucket and crossed.
    int64_t num_buckets = 0;
    bool string_values = true;  // dtype: bytes_list (true) or int64_list (false)
    bool has_default_id = false;
    int64_t default_id = -1;              // default_value of identity and vocabulary columns
    std::vector<std::string> vocabulary;  // list or file; int vocabularies as decimal text
    std::string vocabulary_file;          // as given in the JSON
    int64_t num_oov_buckets = 0;
    uint64_t hash_key = kDefaultCrossHashKey;  // crossed_column

    // embedding_column
    int64_t dimension = 0;
    std::string combiner = "mean";  // "sum", "mean" or "sqrtn"
    bool trainable = true;          // false: the table gets no gradient

    // weighted_categorical_column
    std::string weight_feature_key;

    // source_column (bucketized), categorical_column (indicator, embedding,
    // weighted): one child; crossed_column: its keys, in the order given.
    std::vector<ColumnSpec> children;
};

struct ColumnFile {
    std::string path;                 // for messages
    std::vector<ColumnSpec> columns;  // in the file's order
};

// Reads and checks a column file (vocabulary files relative to its folder). Throws
// std::runtime_error with one line naming the file and the column:
// "cols.json: column 'brand' (categorical_column_with_vocabulary_list): Duplicate keys
// in vocabulary_list: 'a' (TensorFlow refuses them too)".
ColumnFile load_column_file(const std::string& path);

// The same from JSON text; `path` names the file in messages and anchors relative
// vocabulary_file paths.
ColumnFile parse_column_file(const std::string& json_text, const std::string& path);

// TensorFlow's column.name: "price", "price_bucketized", "brand_indicator",
// "brand_embedding", "brand_weighted_by_w", "a_X_b" (crossed: the sorted key names).
std::string column_name(const ColumnSpec& column);

// The tf.feature_column function's name, as the JSON's "kind" ("numeric_column", ...).
std::string column_kind_name(ColumnKind kind);

// A categorical column's id range [0, n): num_buckets, vocabulary size + OOV buckets,
// or (bucketized) elements x (boundaries + 1). 0 for a column that is not categorical.
int64_t column_num_buckets(const ColumnSpec& column);

// True for the columns DenseFeatures takes: numeric, bucketized, indicator, embedding
// (and image). A bare categorical column only gives ids.
bool is_dense_column(const ColumnSpec& column);

// The values a dense column adds to a row: prod(shape), prod(shape) x (boundaries + 1),
// num_buckets, dimension; image: 0 (sized by the data). 0 for a categorical column.
int64_t column_width(const ColumnSpec& column);

}  // namespace ganvas
