#include "data/feature_column_transform.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "data/feature_column_reading.h"
#include "data/feature_columns.h"
#include "io/printable.h"
#include "tensor/rng.h"

namespace ganvas {

const Feature* find_feature(const Example& ex, const std::string& key) {
    auto it = ex.find(key);
    if (it == ex.end() || it->second.kind == Feature::Kind::none) return nullptr;
    return &it->second;
}

namespace {

void collect(const ColumnSpec& c, std::vector<const ColumnSpec*>& out) {
    out.push_back(&c);
    for (const ColumnSpec& child : c.children) collect(child, out);
}

int64_t elements_of(const ColumnSpec& c) {
    int64_t n = 1;
    for (int64_t d : c.shape) n *= d;
    return n;
}

std::string shape_text(const std::vector<int64_t>& shape) {
    std::string out;
    for (int64_t d : shape) out += (out.empty() ? "" : ", ") + std::to_string(d);
    return "[" + out + "]";
}

// tf.initializers.TruncatedNormal: normal draws beyond two standard deviations redrawn.
Tensor truncated_normal_table(int64_t rows, int64_t dimension, uint64_t seed) {
    Rng rng(seed);
    const float stddev = 1.0f / std::sqrt(static_cast<float>(dimension));
    std::vector<float> values(static_cast<size_t>(rows * dimension));
    for (float& v : values) {
        float z = rng.normal();
        while (std::fabs(z) > 2.0f) z = rng.normal();
        v = z * stddev;
    }
    return Tensor::from_vector({rows, dimension}, values);  // (num_buckets, dimension)
}

}  // namespace

ColumnReader::ColumnReader(const ColumnFile& file) : path_(file.path) {
    for (const ColumnSpec& c : file.columns) collect(c, all_);
    owned_.insert(all_.begin(), all_.end());
    for (const ColumnSpec* c : all_)
        if (c->kind == ColumnKind::vocabulary_list || c->kind == ColumnKind::vocabulary_file) {
            auto& index = vocabularies_[c];
            for (size_t i = 0; i < c->vocabulary.size(); ++i)
                index.emplace(c->vocabulary[i], static_cast<int64_t>(i));
        }
}

void ColumnReader::fit(const std::vector<Example>& training) {
    for (const ColumnSpec* c : all_) {
        if (c->kind != ColumnKind::numeric || c->normalizer.empty()) continue;
        double sum = 0, sum_squares = 0, count = 0;
        float lo = 0, hi = 0;
        for (size_t i = 0; i < training.size(); ++i)
            for (float v : numeric_values(*c, training[i], i, true)) {
                lo = count == 0 ? v : std::min(lo, v);
                hi = count == 0 ? v : std::max(hi, v);
                sum += v;
                sum_squares += static_cast<double>(v) * v;
                ++count;
            }
        NormalizerFit fit;
        if (count > 0 && c->normalizer == "z_score") {
            const double mean = sum / count;
            const double variance = std::max(0.0, sum_squares / count - mean * mean);
            fit.shift = static_cast<float>(mean);
            // A constant column stays centred instead of dividing by zero.
            fit.scale = variance > 0 ? static_cast<float>(std::sqrt(variance)) : 1.0f;
        } else if (count > 0) {
            fit.shift = lo;
            fit.scale = hi > lo ? hi - lo : 1.0f;
        }
        fits_[c] = fit;
    }
}

void ColumnReader::check_owned(const ColumnSpec& c) const {
    if (!owned_.count(&c))
        throw std::invalid_argument("FeatureLayer: column '" + column_name(c) +
                                    "' is not one of the layer's file() columns");
}

const NormalizerFit* ColumnReader::fit_of(const ColumnSpec& c) const {
    auto it = fits_.find(&c);
    return it == fits_.end() ? nullptr : &it->second;
}

void ColumnReader::fail(const ColumnSpec& c, size_t index, const std::string& problem) const {
    throw std::runtime_error(path_ + ": column '" + printable(column_name(c)) + "' (" +
                             column_kind_name(c.kind) + "): record " + std::to_string(index) +
                             ": " + one_line(problem));
}

std::string ColumnReader::wrong_kind(const std::string& key, Feature::Kind have,
                                     Feature::Kind want) {
    return "feature '" + printable(key) + "' is a" + (have == Feature::Kind::ints ? "n " : " ") +
           feature_kind_name(have) + ", wants " + feature_kind_name(want);
}

std::vector<float> ColumnReader::numeric_values(const ColumnSpec& c, const Example& ex,
                                                size_t index, bool raw) const {
    const Feature* f = find_feature(ex, c.key);
    const auto wanted = static_cast<size_t>(elements_of(c));
    std::vector<float> values;
    if (!f) {
        if (c.default_value.empty())
            fail(c, index,
                 "has no feature '" + printable(c.key) + "' and the column has no default_value");
        values = c.default_value;
    } else {
        const Feature::Kind kind = c.integer_values ? Feature::Kind::ints : Feature::Kind::floats;
        if (f->kind != kind) fail(c, index, wrong_kind(c.key, f->kind, kind));
        if (f->size() != wanted)
            fail(c, index,
                 "feature '" + printable(c.key) + "' holds " + std::to_string(f->size()) +
                     " values; shape " + shape_text(c.shape) + " wants " + std::to_string(wanted));
        if (c.integer_values)
            for (int64_t v : f->ints) values.push_back(static_cast<float>(v));
        else
            values = f->floats;
    }
    if (raw) return values;
    if (const NormalizerFit* fit = fit_of(c))
        for (float& v : values) v = (v - fit->shift) / fit->scale;
    return values;
}

// The (row, coefficient) pairs an embedding column's combiner sums for one record:
// safe_embedding_lookup_sparse drops ids < 0 and weights <= 0; a record left with
// none gives zeros.
std::vector<std::pair<int64_t, float>> combiner_terms(const ColumnSpec& c,
                                                      const CategoricalIds& got) {
    const int64_t buckets = column_num_buckets(c.children[0]);
    std::vector<std::pair<int64_t, float>> terms;
    double sum = 0, sum_squares = 0;
    for (size_t i = 0; i < got.ids.size(); ++i) {
        const float w = got.weights.empty() ? 1.0f : got.weights[i];
        if (got.ids[i] < 0 || got.ids[i] >= buckets || !(w > 0)) continue;
        terms.push_back({got.ids[i], w});
        sum += w;
        sum_squares += static_cast<double>(w) * w;
    }
    const double divisor = c.combiner == "mean"    ? sum
                           : c.combiner == "sqrtn" ? std::sqrt(sum_squares)
                                                   : 1.0;
    for (auto& [id, w] : terms) w = static_cast<float>(w / divisor);
    return terms;
}

FeatureLayer::FeatureLayer(ColumnFile file, const std::vector<Example>& training, uint64_t seed)
    : file_(std::move(file)), reader_(std::make_unique<ColumnReader>(file_)) {
    reader_->fit(training);
    for (const ColumnSpec& c : file_.columns)
        if (is_dense_column(c) && c.kind != ColumnKind::image) dense_.push_back(&c);
    // DenseFeatures concatenates its columns sorted by name, whatever order they came in.
    std::stable_sort(dense_.begin(), dense_.end(), [](const ColumnSpec* a, const ColumnSpec* b) {
        return column_name(*a) < column_name(*b);
    });
    for (const ColumnSpec* c : dense_) {
        width_ += column_width(*c);
        if (c->kind == ColumnKind::embedding) {
            const std::string name = column_name(*c);
            tables_[name] = truncated_normal_table(column_num_buckets(c->children[0]), c->dimension,
                                                   seed ^ fingerprint64(name));
            tables_[name].requires_grad_(c->trainable);
        }
    }
}

FeatureLayer::FeatureLayer(FeatureLayer&&) noexcept = default;
FeatureLayer& FeatureLayer::operator=(FeatureLayer&&) noexcept = default;
FeatureLayer::~FeatureLayer() = default;

const NormalizerFit* FeatureLayer::normalizer_fit(const ColumnSpec& column) const {
    reader_->check_owned(column);
    return reader_->fit_of(column);
}

CategoricalIds FeatureLayer::ids(const ColumnSpec& column, const Example& example,
                                 size_t index) const {
    reader_->check_owned(column);
    return reader_->ids(column, example, index);
}

std::vector<float> FeatureLayer::dense_output(const ColumnSpec& c, const Example& ex,
                                              size_t index) const {
    reader_->check_owned(c);
    switch (c.kind) {
        case ColumnKind::numeric:
            return reader_->numeric_values(c, ex, index);
        case ColumnKind::bucketized: {
            // One one-hot of (boundaries + 1) per element: the ids as positions.
            std::vector<float> out(static_cast<size_t>(column_width(c)), 0.0f);
            for (const auto& [id, position] : reader_->ids_at(c, ex, index))
                out[static_cast<size_t>(id)] = 1.0f;
            return out;
        }
        case ColumnKind::indicator: {
            std::vector<float> out(static_cast<size_t>(column_width(c)), 0.0f);
            const CategoricalIds got = reader_->ids(c.children[0], ex, index);
            for (size_t i = 0; i < got.ids.size(); ++i)
                if (got.ids[i] >= 0 && got.ids[i] < static_cast<int64_t>(out.size()))
                    out[static_cast<size_t>(got.ids[i])] +=
                        got.weights.empty() ? 1.0f : got.weights[i];
            return out;
        }
        case ColumnKind::embedding: {
            const Tensor& table = tables_.at(column_name(c));  // (num_buckets, dimension)
            std::vector<float> out(static_cast<size_t>(c.dimension), 0.0f);
            for (const auto& [id, w] : combiner_terms(c, reader_->ids(c.children[0], ex, index)))
                for (int64_t d = 0; d < c.dimension; ++d)
                    out[static_cast<size_t>(d)] += w * table.data()[id * c.dimension + d];
            return out;
        }
        case ColumnKind::image: {
            try {
                const ImageDataset one = dataset_from_examples({ex}, {c.key, ""});
                return std::vector<float>(one.images.data(),
                                          one.images.data() + one.images.numel());
            } catch (const std::exception& e) {
                reader_->fail(c, index, e.what());
            }
        }
        default:
            reader_->fail(c, index,
                          "is categorical; wrap it in an indicator_column or embedding_column "
                          "for a dense output");
    }
}

std::vector<float> FeatureLayer::dense_row(const Example& ex, size_t index) const {
    std::vector<float> row;
    row.reserve(static_cast<size_t>(width_));
    for (const ColumnSpec* c : dense_) {
        const std::vector<float> part = dense_output(*c, ex, index);
        row.insert(row.end(), part.begin(), part.end());
    }
    return row;
}

}  // namespace ganvas
