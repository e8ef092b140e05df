// Inside FeatureLayer: reads one column's values out of a tf.Example record, with the
// messages that name the file, the column and the record. Not a public API.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "data/feature_column_spec.h"
#include "data/feature_column_transform.h"
#include "data/tf_example.h"

namespace ganvas {

// A categorical value as read: its text (ints in decimal, as TensorFlow hashes them),
// its number (int features) and its position in the feature's list.
struct RawCategory {
    std::string text;
    int64_t number = 0;
    size_t position = 0;
};

// Bucketize's bucket of `value`: the number of boundaries <= value.
int64_t bucket_index(const std::vector<float>& boundaries, float value);

// The feature `key` of `ex`, or nullptr when it is absent or holds no list.
const Feature* find_feature(const Example& ex, const std::string& key);

// The (table row, coefficient) pairs an embedding column's combiner sums for one record.
std::vector<std::pair<int64_t, float>> combiner_terms(const ColumnSpec& embedding,
                                                      const CategoricalIds& got);

class ColumnReader {
public:
    explicit ColumnReader(const ColumnFile& file);

    // Fits every numeric column's normalizer (nested ones too) on `training`.
    void fit(const std::vector<Example>& training);
    const NormalizerFit* fit_of(const ColumnSpec& c) const;
    // Throws std::invalid_argument unless `c` is one of the file's columns (by address).
    void check_owned(const ColumnSpec& c) const;

    [[noreturn]] void fail(const ColumnSpec& c, size_t index, const std::string& problem) const;
    static std::string wrong_kind(const std::string& key, Feature::Kind have, Feature::Kind want);

    // A numeric column's prod(shape) values, normalized unless `raw`.
    std::vector<float> numeric_values(const ColumnSpec& c, const Example& ex, size_t index,
                                      bool raw = false) const;
    std::vector<RawCategory> raw_categories(const ColumnSpec& c, const Example& ex,
                                            size_t index) const;
    // (id, position of the value it came from) for a categorical column.
    std::vector<std::pair<int64_t, size_t>> ids_at(const ColumnSpec& c, const Example& ex,
                                                   size_t index) const;
    std::vector<int64_t> crossed_ids(const ColumnSpec& c, const Example& ex, size_t index) const;
    CategoricalIds ids(const ColumnSpec& c, const Example& ex, size_t index) const;

private:
    void index_vocabularies(const ColumnSpec& c);
    void fit_column(const ColumnSpec& c, const std::vector<Example>& training);
    const std::unordered_map<std::string, int64_t>& vocabulary_index(const ColumnSpec& c) const {
        return vocabularies_.at(&c);
    }

    std::string path_;
    std::vector<const ColumnSpec*> all_;  // every column, nested ones too
    std::set<const ColumnSpec*> owned_;
    std::map<const ColumnSpec*, std::unordered_map<std::string, int64_t>> vocabularies_;
    std::map<const ColumnSpec*, NormalizerFit> fits_;
};

}  // namespace ganvas
