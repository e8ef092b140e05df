// TensorFlow's names, widths and bucket counts of feature columns.
#include <algorithm>
#include <utility>
#include <vector>

#include "data/feature_column_spec.h"

namespace ganvas {
namespace {

const std::vector<std::pair<ColumnKind, const char*>> kKindNames = {
    {ColumnKind::numeric, "numeric_column"},
    {ColumnKind::bucketized, "bucketized_column"},
    {ColumnKind::identity, "categorical_column_with_identity"},
    {ColumnKind::vocabulary_list, "categorical_column_with_vocabulary_list"},
    {ColumnKind::vocabulary_file, "categorical_column_with_vocabulary_file"},
    {ColumnKind::hash_bucket, "categorical_column_with_hash_bucket"},
    {ColumnKind::crossed, "crossed_column"},
    {ColumnKind::indicator, "indicator_column"},
    {ColumnKind::embedding, "embedding_column"},
    {ColumnKind::weighted, "weighted_categorical_column"},
    {ColumnKind::image, "image_column"},
};

}  // namespace

std::string column_name(const ColumnSpec& c) {
    switch (c.kind) {
        case ColumnKind::bucketized:
            return column_name(c.children.at(0)) + "_bucketized";
        case ColumnKind::indicator:
            return column_name(c.children.at(0)) + "_indicator";
        case ColumnKind::embedding:
            return column_name(c.children.at(0)) + "_embedding";
        case ColumnKind::weighted:
            return column_name(c.children.at(0)) + "_weighted_by_" + c.weight_feature_key;
        case ColumnKind::crossed: {
            std::vector<std::string> names;
            for (const ColumnSpec& k : c.children) names.push_back(column_name(k));
            std::sort(names.begin(), names.end());
            std::string out;
            for (const std::string& n : names) out += (out.empty() ? "" : "_X_") + n;
            return out;
        }
        default:
            return c.key;
    }
}

bool column_kind_from_name(const std::string& name, ColumnKind& kind) {
    for (const auto& [k, text] : kKindNames)
        if (name == text) {
            kind = k;
            return true;
        }
    return false;
}

std::string column_kind_names() {
    std::string out;
    for (const auto& [k, text] : kKindNames) out += (out.empty() ? "" : ", ") + std::string(text);
    return out;
}

std::string column_kind_name(ColumnKind kind) {
    for (const auto& [k, name] : kKindNames)
        if (k == kind) return name;
    return "feature name";
}

int64_t column_num_buckets(const ColumnSpec& c) {
    switch (c.kind) {
        case ColumnKind::identity:
        case ColumnKind::hash_bucket:
        case ColumnKind::crossed:
            return c.num_buckets;
        case ColumnKind::vocabulary_list:
        case ColumnKind::vocabulary_file:
            return static_cast<int64_t>(c.vocabulary.size()) + c.num_oov_buckets;
        case ColumnKind::bucketized:
            return column_width(c);
        case ColumnKind::weighted:
            return column_num_buckets(c.children.at(0));
        default:
            return 0;
    }
}

bool is_dense_column(const ColumnSpec& c) {
    return c.kind == ColumnKind::numeric || c.kind == ColumnKind::bucketized ||
           c.kind == ColumnKind::indicator || c.kind == ColumnKind::embedding ||
           c.kind == ColumnKind::image;
}

int64_t column_width(const ColumnSpec& c) {
    int64_t elements = 1;
    for (int64_t d : c.shape) elements *= d;
    switch (c.kind) {
        case ColumnKind::numeric:
            return elements;
        case ColumnKind::bucketized:
            return column_width(c.children.at(0)) * static_cast<int64_t>(c.boundaries.size() + 1);
        case ColumnKind::indicator:
            return column_num_buckets(c.children.at(0));
        case ColumnKind::embedding:
            return c.dimension;
        default:
            return 0;
    }
}

}  // namespace ganvas
