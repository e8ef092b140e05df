#include "data/feature_column_spec.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>

#include "io/printable.h"
#include "io/regular_file.h"
#include "tensor/limits.h"

namespace ganvas {
namespace {

using json = nlohmann::json;

constexpr int64_t kMaxBuckets = int64_t{1} << 40;  // ids stay exact, tables stay allocatable
constexpr size_t kMaxVocabulary = 10'000'000;

// The keyword arguments each kind takes ("kind" aside), as its Python function does.
const std::vector<std::string>& known_arguments(ColumnKind kind) {
    static const std::map<ColumnKind, std::vector<std::string>> table = {
        {ColumnKind::numeric, {"key", "shape", "default_value", "dtype", "normalizer"}},
        {ColumnKind::bucketized, {"source_column", "boundaries"}},
        {ColumnKind::identity, {"key", "num_buckets", "default_value"}},
        {ColumnKind::vocabulary_list,
         {"key", "vocabulary_list", "dtype", "default_value", "num_oov_buckets"}},
        {ColumnKind::vocabulary_file,
         {"key", "vocabulary_file", "vocabulary_size", "dtype", "default_value",
          "num_oov_buckets"}},
        {ColumnKind::hash_bucket, {"key", "hash_bucket_size", "dtype"}},
        {ColumnKind::crossed, {"keys", "hash_bucket_size", "hash_key"}},
        {ColumnKind::indicator, {"categorical_column"}},
        {ColumnKind::embedding, {"categorical_column", "dimension", "combiner", "trainable"}},
        {ColumnKind::weighted, {"categorical_column", "weight_feature_key", "dtype"}},
        {ColumnKind::image, {"key"}},
    };
    return table.at(kind);
}

bool is_categorical(const ColumnSpec& c) {
    switch (c.kind) {
        case ColumnKind::identity:
        case ColumnKind::vocabulary_list:
        case ColumnKind::vocabulary_file:
        case ColumnKind::hash_bucket:
        case ColumnKind::crossed:
        case ColumnKind::weighted:
        case ColumnKind::bucketized:
            return true;
        default:
            return false;
    }
}

// Parses one column object; `where` is "column 3" until the column has a name.
class ColumnParser {
public:
    explicit ColumnParser(std::string path) : path_(std::move(path)) {}

    ColumnSpec parse(const json& j, const std::string& where) {
        if (!j.is_object()) fail(where, "a column must be a JSON object, got " + type_of(j));
        if (!j.contains("kind") || !j["kind"].is_string())
            fail(where, "has no \"kind\" (the tf.feature_column function's name)");
        ColumnSpec c;
        const std::string kind = j["kind"];
        if (!column_kind_from_name(kind, c.kind))
            fail(where,
                 "unknown kind '" + printable(kind) + "' (known: " + column_kind_names() + ")");
        const std::string label = j.contains("key") && j["key"].is_string()
                                      ? "column '" + printable(j["key"].get<std::string>()) + "'"
                                      : where;
        const std::string at = label + " (" + kind + ")";
        for (const auto& [name, value] : j.items()) {
            const auto& known = known_arguments(c.kind);
            if (name != "kind" && std::find(known.begin(), known.end(), name) == known.end())
                fail(at, kind + "() got an unexpected keyword argument '" + printable(name) + "'");
        }
        fill(c, j, at);
        return c;
    }

    [[noreturn]] void fail(const std::string& at, const std::string& problem) const {
        throw std::runtime_error(path_ + ": " + at + ": " + problem);
    }

private:
    static std::string type_of(const json& j) { return j.type_name(); }

    const json& need(const json& j, const char* name, const std::string& at) const {
        if (!j.contains(name)) fail(at, std::string("needs \"") + name + "\"");
        return j[name];
    }
    std::string text(const json& j, const char* name, const std::string& at) const {
        const json& v = need(j, name, at);
        if (!v.is_string() || v.get<std::string>().empty())
            fail(at, std::string("\"") + name + "\" must be a non-empty string");
        return v.get<std::string>();
    }
    int64_t whole(const json& v, const char* name, int64_t lo, int64_t hi,
                  const std::string& at) const {
        if (!v.is_number_integer() ||
            (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(hi)) || v.get<int64_t>() < lo ||
            v.get<int64_t>() > hi)
            fail(at, std::string("\"") + name + "\" must be a whole number in [" +
                         std::to_string(lo) + ", " + std::to_string(hi) + "], got " + v.dump());
        return v.get<int64_t>();
    }
    float number(const json& v, const char* name, const std::string& at) const {
        if (!v.is_number())
            fail(at, std::string("\"") + name + "\" must hold numbers, got " + v.dump());
        return v.get<float>();
    }
    // dtype: true for strings. TensorFlow's names; "string" is tf.string.
    bool string_dtype(const json& j, bool fallback, const std::string& at) const {
        if (!j.contains("dtype")) return fallback;
        const json& v = j["dtype"];
        if (v == "string") return true;
        if (v == "int64" || v == "int32") return false;
        fail(at, "dtype must be \"string\", \"int64\" or \"int32\", got " + v.dump());
    }
    ColumnSpec child(const json& j, const char* name, const std::string& at) {
        return parse(need(j, name, at), at + "'s " + name);
    }
    ColumnSpec categorical_child(const json& j, const std::string& at) {
        ColumnSpec inner = child(j, "categorical_column", at);
        if (!is_categorical(inner))
            fail(at, "categorical_column must be a categorical column, got " +
                         column_kind_name(inner.kind));
        return inner;
    }

    void fill(ColumnSpec& c, const json& j, const std::string& at);
    void fill_numeric(ColumnSpec& c, const json& j, const std::string& at);
    void fill_vocabulary(ColumnSpec& c, const json& j, const std::string& at);
    void fill_crossed(ColumnSpec& c, const json& j, const std::string& at);

    std::string path_;
};

void ColumnParser::fill_numeric(ColumnSpec& c, const json& j, const std::string& at) {
    c.key = text(j, "key", at);
    if (j.contains("shape")) {
        const json& s = j["shape"];
        c.shape.clear();
        for (const json& d : s.is_array() ? s : json::array({s}))
            c.shape.push_back(whole(d, "shape", 1, 1 << 20, at));
        if (c.shape.empty()) fail(at, "\"shape\" must name at least one dimension");
    }
    int64_t elements = 1;
    for (int64_t d : c.shape) {
        elements *= d;
        if (elements > max_tensor_values()) fail(at, "\"shape\" holds too many values");
    }
    if (j.contains("dtype")) {
        const json& v = j["dtype"];
        if (v == "int64" || v == "int32")
            c.integer_values = true;
        else if (v != "float32" && v != "float64")
            fail(at,
                 "dtype must be \"float32\", \"float64\", \"int64\" or \"int32\", got " + v.dump());
    }
    if (j.contains("default_value") && !j["default_value"].is_null()) {
        const json& v = j["default_value"];
        for (const json& x : v.is_array() ? v : json::array({v}))
            c.default_value.push_back(number(x, "default_value", at));
        if (c.default_value.size() == 1)
            c.default_value.assign(static_cast<size_t>(elements), c.default_value[0]);
        if (static_cast<int64_t>(c.default_value.size()) != elements)
            fail(at, "default_value holds " + std::to_string(c.default_value.size()) +
                         " values; shape wants " + std::to_string(elements));
    }
    if (j.contains("normalizer")) {
        const json& v = j["normalizer"];
        if (v != "z_score" && v != "min_max")
            fail(at, "\"normalizer\" must be \"z_score\" or \"min_max\", got " + v.dump());
        c.normalizer = v;
    }
}

void ColumnParser::fill_vocabulary(ColumnSpec& c, const json& j, const std::string& at) {
    c.key = text(j, "key", at);
    if (c.kind == ColumnKind::vocabulary_list) {
        const json& list = need(j, "vocabulary_list", at);
        if (!list.is_array() || list.empty()) fail(at, "vocabulary_list must be a non-empty list");
        const bool strings = list[0].is_string();
        for (const json& v : list) {
            if (strings ? !v.is_string() : !v.is_number_integer())
                fail(at,
                     "vocabulary_list mixes strings and numbers, or holds neither: " + v.dump());
            c.vocabulary.push_back(strings ? v.get<std::string>()
                                           : std::to_string(v.get<int64_t>()));
        }
        c.string_values = string_dtype(j, strings, at);
        if (c.string_values != strings)
            fail(at, "dtype does not match the vocabulary_list's values");
    } else {
        c.vocabulary_file = text(j, "vocabulary_file", at);
        c.string_values = string_dtype(j, true, at);
        std::filesystem::path file(c.vocabulary_file);
        if (file.is_relative()) file = std::filesystem::path(path_).parent_path() / file;
        // A regular file of bounded size: /dev/zero or a FIFO would never end.
        if (const std::string why = why_not_readable(file.string()); !why.empty())
            fail(at, "cannot read vocabulary_file " + file.string() + ": " + why);
        std::error_code error;
        const auto bytes = std::filesystem::file_size(file, error);
        if (error || bytes > static_cast<uintmax_t>(max_file_bytes()))
            fail(at, "vocabulary_file " + file.string() + " is larger than the limit of " +
                         std::to_string(max_file_bytes()) + " bytes");
        std::ifstream in(file, std::ios::binary);
        std::string line;
        while (std::getline(in, line) && c.vocabulary.size() < kMaxVocabulary) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            c.vocabulary.push_back(line);
        }
        if (j.contains("vocabulary_size") && !j["vocabulary_size"].is_null()) {
            const auto size = whole(j["vocabulary_size"], "vocabulary_size", 1, kMaxVocabulary, at);
            if (static_cast<size_t>(size) > c.vocabulary.size())
                fail(at, "vocabulary_size is " + std::to_string(size) + " but " + file.string() +
                             " has " + std::to_string(c.vocabulary.size()) + " lines");
            c.vocabulary.resize(static_cast<size_t>(size));
        }
        if (c.vocabulary.empty()) fail(at, "vocabulary_file " + file.string() + " is empty");
        if (!c.string_values)
            for (std::string& word : c.vocabulary) {
                try {
                    size_t used = 0;
                    const long long v = std::stoll(word, &used);
                    if (used != word.size()) throw std::invalid_argument("tail");
                    word = std::to_string(v);
                } catch (const std::exception&) {
                    fail(at, "vocabulary_file line '" + printable(word) + "' is not an int64");
                }
            }
    }
    std::set<std::string> seen;
    for (const std::string& word : c.vocabulary)
        if (!seen.insert(word).second)
            fail(at, "Duplicate keys in vocabulary: '" + printable(word) +
                         "' (TensorFlow refuses duplicates too)");
    if (j.contains("num_oov_buckets"))
        c.num_oov_buckets = whole(j["num_oov_buckets"], "num_oov_buckets", 0, kMaxBuckets, at);
    if (j.contains("default_value") && !j["default_value"].is_null()) {
        c.default_id = whole(j["default_value"], "default_value", -1, kMaxBuckets, at);
        c.has_default_id = c.default_id != -1;
    }
    if (c.num_oov_buckets > 0 && c.has_default_id)
        fail(at, "Can't specify both num_oov_buckets and default_value");
}

void ColumnParser::fill_crossed(ColumnSpec& c, const json& j, const std::string& at) {
    const json& keys = need(j, "keys", at);
    if (!keys.is_array() || keys.size() < 2) fail(at, "keys must be a list of at least two");
    for (const json& k : keys) {
        if (k.is_string()) {
            ColumnSpec raw;
            raw.kind = ColumnKind::raw_key;
            raw.key = k.get<std::string>();
            if (raw.key.empty()) fail(at, "a key must not be empty");
            c.children.push_back(raw);
            continue;
        }
        ColumnSpec inner = parse(k, at + "'s keys");
        if (inner.kind == ColumnKind::hash_bucket)
            fail(at,
                 "categorical_column_with_hash_bucket is not supported for crossing (as in "
                 "TensorFlow: hashing before crossing adds collisions); give the feature "
                 "name as a string");
        if (inner.kind == ColumnKind::weighted)
            fail(at, "crossed_column does not support weighted columns");
        if (!is_categorical(inner))
            fail(at, "keys must be feature names or categorical columns, got " +
                         column_kind_name(inner.kind));
        if (inner.kind == ColumnKind::crossed)  // TensorFlow crosses the leaves
            for (ColumnSpec& leaf : inner.children) c.children.push_back(std::move(leaf));
        else
            c.children.push_back(std::move(inner));
    }
    c.num_buckets = whole(need(j, "hash_bucket_size", at), "hash_bucket_size", 1, kMaxBuckets, at);
    if (j.contains("hash_key") && !j["hash_key"].is_null()) {
        const json& v = j["hash_key"];
        if (!v.is_number_integer() || (!v.is_number_unsigned() && v.get<int64_t>() < 0))
            fail(at, "hash_key must be a whole number >= 0");
        c.hash_key = v.get<uint64_t>();
    }
}

void ColumnParser::fill(ColumnSpec& c, const json& j, const std::string& at) {
    switch (c.kind) {
        case ColumnKind::numeric:
            fill_numeric(c, j, at);
            break;
        case ColumnKind::bucketized: {
            ColumnSpec source = child(j, "source_column", at);
            if (source.kind != ColumnKind::numeric)
                fail(at, "source_column must be a numeric_column");
            c.children.push_back(std::move(source));
            const json& b = need(j, "boundaries", at);
            if (!b.is_array() || b.empty()) fail(at, "boundaries must be a non-empty list");
            for (const json& v : b) c.boundaries.push_back(number(v, "boundaries", at));
            for (size_t i = 1; i < c.boundaries.size(); ++i)
                if (!(c.boundaries[i - 1] < c.boundaries[i]))
                    fail(at, "boundaries must be a sorted list (strictly increasing)");
            if (column_width(c) > max_tensor_values())
                fail(at, "elements x (boundaries + 1) is more values than the limit of " +
                             std::to_string(max_tensor_values()));
            break;
        }
        case ColumnKind::identity:
            c.key = text(j, "key", at);
            c.string_values = false;
            c.num_buckets = whole(need(j, "num_buckets", at), "num_buckets", 1, kMaxBuckets, at);
            if (j.contains("default_value") && !j["default_value"].is_null()) {
                c.has_default_id = true;
                c.default_id = whole(j["default_value"], "default_value", 0, c.num_buckets - 1, at);
            }
            break;
        case ColumnKind::vocabulary_list:
        case ColumnKind::vocabulary_file:
            fill_vocabulary(c, j, at);
            break;
        case ColumnKind::hash_bucket:
            c.key = text(j, "key", at);
            c.num_buckets =
                whole(need(j, "hash_bucket_size", at), "hash_bucket_size", 1, kMaxBuckets, at);
            c.string_values = string_dtype(j, true, at);
            break;
        case ColumnKind::crossed:
            fill_crossed(c, j, at);
            break;
        case ColumnKind::indicator:
            c.children.push_back(categorical_child(j, at));
            if (column_num_buckets(c.children[0]) > max_tensor_values())
                fail(at, "a one-hot of " + std::to_string(column_num_buckets(c.children[0])) +
                             " buckets is too wide; use an embedding_column");
            break;
        case ColumnKind::embedding: {
            c.children.push_back(categorical_child(j, at));
            c.dimension = whole(need(j, "dimension", at), "dimension", 1, 1 << 16, at);
            if (j.contains("combiner")) {
                const json& v = j["combiner"];
                if (v != "sum" && v != "mean" && v != "sqrtn")
                    fail(at, "combiner must be \"sum\", \"mean\" or \"sqrtn\", got " + v.dump());
                c.combiner = v;
            }
            if (j.contains("trainable")) {
                if (!j["trainable"].is_boolean()) fail(at, "trainable must be true or false");
                c.trainable = j["trainable"];
            }
            if (column_num_buckets(c.children[0]) > max_tensor_values() / c.dimension)
                fail(at, "the embedding table (buckets x dimension) is too large");
            break;
        }
        case ColumnKind::weighted:
            c.children.push_back(categorical_child(j, at));
            c.weight_feature_key = text(j, "weight_feature_key", at);
            if (j.contains("dtype") && j["dtype"] != "float32" && j["dtype"] != "float64")
                fail(at, "dtype must be \"float32\"");
            break;
        case ColumnKind::image:
            c.key = text(j, "key", at);
            break;
        case ColumnKind::raw_key:
            break;
    }
}

}  // namespace

ColumnFile parse_column_file(const std::string& json_text, const std::string& path) {
    json doc;
    try {
        doc = json::parse(json_text);
    } catch (const json::exception& e) {
        throw std::runtime_error(path + ": not valid JSON (" + one_line(e.what()) + ")");
    }
    if (!doc.is_object() || !doc.contains("columns") || !doc["columns"].is_array() ||
        doc["columns"].empty())
        throw std::runtime_error(path + ": wants {\"columns\": [{\"kind\": ..., ...}, ...]}");
    ColumnFile file;
    file.path = path;
    ColumnParser parser(path);
    std::set<std::string> names;
    for (size_t i = 0; i < doc["columns"].size(); ++i) {
        ColumnSpec c = parser.parse(doc["columns"][i], "column " + std::to_string(i));
        const std::string name = column_name(c);
        if (!names.insert(name).second)
            parser.fail("column '" + printable(name) + "'",
                        "Duplicate feature column name (two columns read the same feature the "
                        "same way; TensorFlow refuses this too)");
        file.columns.push_back(std::move(c));
    }
    return file;
}

ColumnFile load_column_file(const std::string& path) {
    if (const std::string why = why_not_readable(path); !why.empty())
        throw std::runtime_error(path + ": cannot open the column file: " + why);
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return parse_column_file(text.str(), path);
}

}  // namespace ganvas
