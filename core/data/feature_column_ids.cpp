// The categorical half of FeatureLayer: each categorical column's ids for one record,
// and the hashes they use.
#include <farmhash.h>

#include <algorithm>

#include "data/feature_column_reading.h"
#include "data/feature_column_transform.h"

namespace ganvas {

uint64_t fingerprint64(const std::string& text) {
    return util::Fingerprint64(text.data(), text.size());
}

uint64_t fingerprint_cat64(uint64_t first, uint64_t second) {
    // TensorFlow's FingerprintCat64 (tsl/platform/fingerprint.h): MurmurHash2-64's
    // multiplier and shift-mix, so the pair's order matters.
    constexpr uint64_t kMul = 0xc6a4a7935bd1e995ull;
    const auto shift_mix = [](uint64_t v) { return v ^ (v >> 47); };
    uint64_t result = first ^ kMul;
    result ^= shift_mix(second * kMul) * kMul;
    result *= kMul;
    result = shift_mix(result) * kMul;
    return shift_mix(result);
}

namespace {

constexpr size_t kMaxCrosses = 1'000'000;  // one record's cartesian product

uint64_t bucket_of(uint64_t hash, int64_t buckets) {
    return hash % static_cast<uint64_t>(buckets);
}

}  // namespace

std::vector<RawCategory> ColumnReader::raw_categories(const ColumnSpec& c, const Example& ex,
                                                      size_t index) const {
    std::vector<RawCategory> out;
    const Feature* f = find_feature(ex, c.key);
    if (!f) return out;  // a missing categorical feature has no ids, as a VarLenFeature
    const Feature::Kind wanted = c.string_values ? Feature::Kind::bytes : Feature::Kind::ints;
    if (f->kind != wanted) fail(c, index, wrong_kind(c.key, f->kind, wanted));
    // TensorFlow drops the "missing" values before any lookup: "" and -1.
    if (c.string_values) {
        for (size_t i = 0; i < f->bytes.size(); ++i)
            if (!f->bytes[i].empty()) out.push_back({f->bytes[i], 0, i});
    } else {
        for (size_t i = 0; i < f->ints.size(); ++i)
            if (f->ints[i] != -1) out.push_back({std::to_string(f->ints[i]), f->ints[i], i});
    }
    return out;
}

std::vector<std::pair<int64_t, size_t>> ColumnReader::ids_at(const ColumnSpec& c, const Example& ex,
                                                             size_t index) const {
    std::vector<std::pair<int64_t, size_t>> out;  // (id, position in the raw list)
    switch (c.kind) {
        case ColumnKind::identity:
            for (const RawCategory& v : raw_categories(c, ex, index)) {
                if (v.number >= 0 && v.number < c.num_buckets)
                    out.push_back({v.number, v.position});
                else if (c.has_default_id)
                    out.push_back({c.default_id, v.position});
                else
                    fail(c, index,
                         "id " + std::to_string(v.number) + " is outside [0, " +
                             std::to_string(c.num_buckets) +
                             ") and the column has no default_value");
            }
            break;
        case ColumnKind::vocabulary_list:
        case ColumnKind::vocabulary_file: {
            const auto& words = vocabulary_index(c);
            const auto size = static_cast<int64_t>(c.vocabulary.size());
            for (const RawCategory& v : raw_categories(c, ex, index)) {
                auto it = words.find(v.text);
                if (it != words.end())
                    out.push_back({it->second, v.position});
                else if (c.num_oov_buckets > 0)
                    out.push_back({size + static_cast<int64_t>(
                                              bucket_of(fingerprint64(v.text), c.num_oov_buckets)),
                                   v.position});
                else
                    out.push_back({c.default_id, v.position});
            }
            break;
        }
        case ColumnKind::hash_bucket:
            for (const RawCategory& v : raw_categories(c, ex, index))
                out.push_back(
                    {static_cast<int64_t>(bucket_of(fingerprint64(v.text), c.num_buckets)),
                     v.position});
            break;
        case ColumnKind::bucketized: {
            const std::vector<float> values = numeric_values(c.children.at(0), ex, index);
            const auto per_element = static_cast<int64_t>(c.boundaries.size() + 1);
            for (size_t i = 0; i < values.size(); ++i)
                out.push_back(
                    {bucket_index(c.boundaries, values[i]) + static_cast<int64_t>(i) * per_element,
                     i});
            break;
        }
        case ColumnKind::crossed: {
            size_t n = 0;
            for (int64_t id : crossed_ids(c, ex, index)) out.push_back({id, n++});
            break;
        }
        case ColumnKind::weighted:
            return ids_at(c.children.at(0), ex, index);
        default:
            fail(c, index, "is not a categorical column");
    }
    return out;
}

std::vector<int64_t> ColumnReader::crossed_ids(const ColumnSpec& c, const Example& ex,
                                               size_t index) const {
    // Each key's values as sparse_cross_hashed sees them: raw strings fingerprinted,
    // a categorical column's ids as they are (int64 bits).
    std::vector<std::vector<uint64_t>> keys;
    size_t combinations = 1;
    for (const ColumnSpec& key : c.children) {
        std::vector<uint64_t> values;
        if (key.kind == ColumnKind::raw_key) {
            if (const Feature* f = find_feature(ex, key.key)) {
                if (f->kind != Feature::Kind::bytes)
                    fail(c, index,
                         wrong_kind(key.key, f->kind, Feature::Kind::bytes) +
                             " (a crossed_column's plain key is a string feature; "
                             "cross ints through categorical_column_with_identity)");
                for (const std::string& s : f->bytes) values.push_back(fingerprint64(s));
            }
        } else {
            for (const auto& [id, position] : ids_at(key, ex, index))
                values.push_back(static_cast<uint64_t>(id));
        }
        combinations *= values.size();
        if (combinations > kMaxCrosses)
            fail(c, index, "crosses more than " + std::to_string(kMaxCrosses) + " combinations");
        keys.push_back(std::move(values));
    }
    std::vector<int64_t> ids;
    if (combinations == 0) return ids;
    std::vector<size_t> at(keys.size(), 0);
    while (true) {
        uint64_t hash = c.hash_key;
        for (size_t k = 0; k < keys.size(); ++k) hash = fingerprint_cat64(hash, keys[k][at[k]]);
        ids.push_back(static_cast<int64_t>(bucket_of(hash, c.num_buckets)));
        size_t k = keys.size();  // the last key moves fastest, as TensorFlow's ProductIterator
        while (k > 0 && ++at[k - 1] == keys[k - 1].size()) at[--k] = 0;
        if (k == 0) break;
    }
    return ids;
}

CategoricalIds ColumnReader::ids(const ColumnSpec& c, const Example& ex, size_t index) const {
    CategoricalIds out;
    const auto pairs = ids_at(c, ex, index);
    for (const auto& [id, position] : pairs) out.ids.push_back(id);
    if (c.kind != ColumnKind::weighted) return out;

    const Feature* f = find_feature(ex, c.weight_feature_key);
    if (!f) fail(c, index, "has no weight feature '" + c.weight_feature_key + "'");
    if (f->kind != Feature::Kind::floats)
        fail(c, index, wrong_kind(c.weight_feature_key, f->kind, Feature::Kind::floats));
    const ColumnSpec& inner = c.children.at(0);
    const Feature* ids_feature = inner.key.empty() ? nullptr : find_feature(ex, inner.key);
    const size_t wanted = ids_feature ? ids_feature->size() : pairs.size();
    if (f->floats.size() != wanted)
        fail(c, index,
             "weight feature '" + c.weight_feature_key + "' holds " +
                 std::to_string(f->floats.size()) + " values for " + std::to_string(wanted) +
                 " ids");
    for (const auto& [id, position] : pairs) out.weights.push_back(f->floats[position]);
    return out;
}

int64_t bucket_index(const std::vector<float>& boundaries, float value) {
    // Bucketize's rule: the number of boundaries <= value, so a value on a boundary
    // belongs to the bucket above it.
    return static_cast<int64_t>(std::upper_bound(boundaries.begin(), boundaries.end(), value) -
                                boundaries.begin());
}

}  // namespace ganvas
