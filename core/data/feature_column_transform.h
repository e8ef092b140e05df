// What TensorFlow's feature columns make of tf.Example records, column by column, and
// the dense input layer (tf.keras.layers.DenseFeatures) that concatenates them.
//
// Semantics, as TensorFlow defines them:
//   numeric      the float_list (int64_list for an integer dtype) of prod(shape) values;
//                a missing feature takes default_value; the normalizer is fitted on the
//                records given to FeatureLayer (z_score: (v - mean) / std, min_max:
//                (v - min) / (max - min), over all of the column's values).
//   bucketized   bucket = the number of boundaries <= v (a value on a boundary goes to
//                the upper bucket); as ids, element i's bucket + i x (boundaries + 1).
//   categorical  an empty string or an int -1 is a missing value and is dropped.
//     identity     ids outside [0, num_buckets): default_value, or an error without one.
//     vocabulary   a word's index; unknown: vocab size + Fingerprint64(word) % OOV
//                  buckets, or default_value (-1 when neither is given).
//     hash_bucket  Fingerprint64(word) % hash_bucket_size; ints hash as decimal text.
//     crossed      for each combination of the keys' values (the last key fastest):
//                  h = hash_key; h = FingerprintCat64(h, v_k) for each key k, where v_k is
//                  Fingerprint64 of a raw string or the id of a categorical column;
//                  id = h % hash_bucket_size (sparse_cross_hashed).
//     weighted     the ids of its column with the weight feature's floats beside them.
//   indicator    per id, its weight (1 without one) added at the id; ids < 0 add nothing.
//   embedding    sum / mean / sqrtn of the rows of a (num_buckets, dimension) table,
//                ids < 0 and weights <= 0 dropped, zeros for a record with none; the
//                table starts truncated-normal with stddev 1 / sqrt(dimension).
//   dense layer  the dense columns sorted by name, concatenated.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "data/feature_column_spec.h"
#include "data/tf_example.h"
#include "tensor/tensor.h"

namespace ganvas {

class ColumnReader;

// TensorFlow's Fingerprint64 (FarmHash's Fingerprint64) of `text`.
uint64_t fingerprint64(const std::string& text);

// TensorFlow's FingerprintCat64: the fingerprint of two fingerprints in a row.
uint64_t fingerprint_cat64(uint64_t first, uint64_t second);

// A categorical column's output for one record: ids, and weights beside them for a
// weighted column (empty otherwise).
struct CategoricalIds {
    std::vector<int64_t> ids;
    std::vector<float> weights;
};

// Statistics a numeric column's normalizer was fitted with.
struct NormalizerFit {
    float shift = 0, scale = 1;  // value -> (value - shift) / scale
};

class FeatureLayer {
public:
    // Fits the normalizers on `training` and draws the embedding tables from `seed`.
    // Errors (wrong list kinds, missing features, ids out of range...) throw
    // std::runtime_error naming the file, the column and the record:
    // "cols.json: column 'brand' (categorical_column_with_vocabulary_list): record 12:
    // feature 'brand' is an int64_list, wants bytes_list".
    FeatureLayer(ColumnFile file, const std::vector<Example>& training, uint64_t seed = 0);
    // Columns are held by address: a copy would point into the original.
    FeatureLayer(const FeatureLayer&) = delete;
    FeatureLayer& operator=(const FeatureLayer&) = delete;
    FeatureLayer(FeatureLayer&&) noexcept;
    FeatureLayer& operator=(FeatureLayer&&) noexcept;
    ~FeatureLayer();

    const ColumnFile& file() const { return file_; }

    // The methods below take `column` by address: it must be one of file()'s columns or
    // their children (the layer's own copy, not the ColumnFile it was built from);
    // another throws std::invalid_argument.

    // The dense columns in the dense layer's order (sorted by name), and the row width.
    const std::vector<const ColumnSpec*>& dense_columns() const { return dense_; }
    int64_t width() const { return width_; }

    // One dense column's values for record `index` of the data (for messages).
    std::vector<float> dense_output(const ColumnSpec& column, const Example& example,
                                    size_t index) const;

    // A categorical column's ids (bucketized counts as categorical here too).
    CategoricalIds ids(const ColumnSpec& column, const Example& example, size_t index) const;

    // The dense layer for one record: the dense columns' outputs, concatenated.
    std::vector<float> dense_row(const Example& example, size_t index) const;

    // The dense layer for records (N, width). An embedding column's part is
    // combiner weights (N, K) x the K looked-up table rows (K, dimension), so gradients
    // reach the tables.
    Tensor dense_batch(const std::vector<Example>& examples, size_t first_index = 0) const;

    // What a numeric column's normalizer was fitted with; nullptr without one.
    const NormalizerFit* normalizer_fit(const ColumnSpec& column) const;

    // The learnable embedding tables (num_buckets, dimension), by column name.
    std::map<std::string, Tensor>& embedding_tables() { return tables_; }
    const std::map<std::string, Tensor>& embedding_tables() const { return tables_; }

private:
    ColumnFile file_;
    std::vector<const ColumnSpec*> dense_;
    int64_t width_ = 0;
    std::unique_ptr<ColumnReader> reader_;
    std::map<std::string, Tensor> tables_;
};

}  // namespace ganvas
