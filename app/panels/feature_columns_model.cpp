#include "panels/feature_columns_model.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <stdexcept>

#include "data/feature_column_transform.h"
#include "data/tfrecord.h"

namespace ganvas::gui {
namespace {

std::string quoted(const std::string& s) {
    return "'" + s + "'";
}

std::string number_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

// "[10, 25, 50, …]": long lists shortened, so a call stays one readable line.
template <typename T, typename Format>
std::string short_list(const std::vector<T>& values, Format format, size_t most = 6) {
    std::string out = "[";
    for (size_t i = 0; i < values.size() && i < most; ++i)
        out += (i ? ", " : "") + format(values[i]);
    if (values.size() > most) out += ", …";
    return out + "]";
}

const Feature* find(const Example& e, const std::string& key) {
    const auto it = e.find(key);
    return it == e.end() ? nullptr : &it->second;
}

// The raw values a column reads, as text; a crossed column's keys joined by "×".
std::string raw_text(const ColumnSpec& c, const Example& e) {
    switch (c.kind) {
        case ColumnKind::bucketized:
        case ColumnKind::indicator:
        case ColumnKind::embedding:
        case ColumnKind::weighted:
            return c.children.empty() ? "—" : raw_text(c.children[0], e);
        case ColumnKind::crossed: {
            std::string out;
            for (const ColumnSpec& k : c.children)
                out += (out.empty() ? "" : " × ") + raw_text(k, e);
            return out;
        }
        default:
            return raw_value_text(find(e, c.key));
    }
}

// The column whose ids a column shows: itself when categorical, the wrapped one for
// indicator and embedding columns, none for numeric and image columns.
const ColumnSpec* ids_source(const ColumnSpec& c) {
    switch (c.kind) {
        case ColumnKind::numeric:
        case ColumnKind::image:
        case ColumnKind::raw_key:
            return nullptr;
        case ColumnKind::indicator:
        case ColumnKind::embedding:
            return c.children.empty() ? nullptr : &c.children[0];
        default:
            return &c;
    }
}

// The hash_bucket or crossed column behind `c`'s ids, if any.
const ColumnSpec* hashing_column(const ColumnSpec* c) {
    while (c) {
        if (c->kind == ColumnKind::hash_bucket || c->kind == ColumnKind::crossed) return c;
        if (c->kind != ColumnKind::weighted || c->children.empty()) return nullptr;
        c = &c->children[0];
    }
    return nullptr;
}

// A raw feature's values, each as the text that is hashed (ints as decimal text).
std::vector<std::string> value_texts(const Feature* f) {
    if (!f) return {};
    if (f->kind == Feature::Kind::bytes) return f->bytes;
    std::vector<std::string> out;
    if (f->kind == Feature::Kind::ints)
        for (int64_t v : f->ints) out.push_back(std::to_string(v));
    return out;
}

// Which raw values landed in which bucket, over every record. A hash column's values
// are hashed one at a time; a crossed column's combinations come in the order
// TensorFlow crosses them (the last key fastest), paired with its ids where the
// counts agree (a missing value drops a combination and leaves nothing to pair).
BucketCollisions collisions_of(const FeatureLayer& layer, const ColumnSpec& h,
                               const std::vector<Example>& examples) {
    std::vector<std::pair<std::string, int64_t>> seen;
    for (size_t i = 0; i < examples.size(); ++i) {
        const Example& e = examples[i];
        if (h.kind == ColumnKind::hash_bucket) {
            const Feature* f = find(e, h.key);
            if (!f) continue;
            const CategoricalIds got = layer.ids(h, e, i);
            const std::vector<std::string> values = value_texts(f);
            if (got.ids.size() != values.size()) continue;
            for (size_t k = 0; k < values.size(); ++k) seen.emplace_back(values[k], got.ids[k]);
            continue;
        }
        std::vector<std::string> combos = {""};
        for (const ColumnSpec& key : h.children) {
            std::vector<std::string> next;
            const std::string key_name = key.key.empty() ? column_name(key) : key.key;
            const std::vector<std::string> values = value_texts(find(e, key_name));
            for (const std::string& prefix : combos)
                for (const std::string& v : values)
                    next.push_back(prefix.empty() ? v : prefix + " × " + v);
            combos = std::move(next);
        }
        const CategoricalIds got = layer.ids(h, e, i);
        if (got.ids.size() != combos.size()) continue;
        for (size_t k = 0; k < combos.size(); ++k) seen.emplace_back(combos[k], got.ids[k]);
    }
    return count_collisions(seen);
}

ColumnView view_of(const FeatureLayer& layer, const ColumnSpec& c, const std::vector<Example>& all,
                   size_t shown) {
    ColumnView v;
    v.name = column_name(c);
    v.kind = column_kind_name(c.kind);
    v.call = column_call(c);
    const ColumnSpec* source = ids_source(c);
    if (source) {
        v.ids_from = column_name(*source);
        v.buckets = column_num_buckets(*source);
    }
    v.dense = is_dense_column(c);
    // An image column feeds an image model directly, not the dense layer (DenseFeatures).
    v.in_dense_row = v.dense && c.kind != ColumnKind::image;
    v.width = column_width(c);
    v.embedding = c.kind == ColumnKind::embedding;
    v.weighted = source && source->kind == ColumnKind::weighted;
    const ColumnSpec* hashing = hashing_column(source);
    v.hashed = hashing != nullptr;
    if (hashing) v.collisions = collisions_of(layer, *hashing, all);
    std::vector<float> outputs;
    for (size_t i = 0; i < shown; ++i) {
        ColumnRecord r;
        r.raw = raw_text(c, all[i]);
        if (source) {
            CategoricalIds ids = layer.ids(*source, all[i], i);
            r.ids = std::move(ids.ids);
            r.weights = std::move(ids.weights);
        }
        if (v.dense) r.output = layer.dense_output(c, all[i], i);
        outputs.insert(outputs.end(), r.output.begin(), r.output.end());
        v.records.push_back(std::move(r));
    }
    v.output_limit = abs_limit(outputs);
    const auto table = layer.embedding_tables().find(v.name);
    if (v.embedding && table != layer.embedding_tables().end() && table->second.dim() == 2) {
        const Tensor& t = table->second;  // (buckets, dimension)
        v.table_rows = t.size(0);
        v.table_cols = t.size(1);
        v.table.assign(t.data(), t.data() + t.numel());
        // One scale for the table and the rows looked up in it, so a row reads the same in both.
        v.output_limit = std::max(v.output_limit, abs_limit(v.table));
    }
    // An image column is as wide as the images the records hold.
    if (v.dense && !v.records.empty()) v.width = static_cast<int64_t>(v.records[0].output.size());
    return v;
}

}  // namespace

std::string column_call(const ColumnSpec& c) {
    const std::string name = column_kind_name(c.kind);
    const auto child = [&]() { return c.children.empty() ? "?" : column_call(c.children[0]); };
    const auto number = [](float x) { return number_text(x); };
    std::string args;
    switch (c.kind) {
        case ColumnKind::raw_key:
            return quoted(c.key);
        case ColumnKind::numeric:
            args = quoted(c.key);
            if (c.shape != std::vector<int64_t>{1})
                args +=
                    ", shape=" + short_list(c.shape, [](int64_t s) { return std::to_string(s); });
            if (c.integer_values) args += ", dtype=int64";
            if (!c.default_value.empty())
                args += ", default_value=" + (c.default_value.size() == 1
                                                  ? number_text(c.default_value[0])
                                                  : short_list(c.default_value, number));
            if (!c.normalizer.empty()) args += ", normalizer=" + quoted(c.normalizer);
            break;
        case ColumnKind::bucketized:
            args = child() + ", boundaries=" + short_list(c.boundaries, number);
            break;
        case ColumnKind::identity:
            args = quoted(c.key) + ", num_buckets=" + std::to_string(c.num_buckets);
            break;
        case ColumnKind::vocabulary_list:
            args = quoted(c.key) + ", " + short_list(c.vocabulary, quoted, 4);
            break;
        case ColumnKind::vocabulary_file:
            args = quoted(c.key) + ", " +
                   quoted(std::filesystem::path(c.vocabulary_file).filename().string());
            break;
        case ColumnKind::hash_bucket:
            args = quoted(c.key) + ", " + std::to_string(c.num_buckets);
            break;
        case ColumnKind::crossed: {
            std::vector<std::string> keys;
            for (const ColumnSpec& k : c.children) keys.push_back(column_call(k));
            args = short_list(keys, [](const std::string& s) { return s; }) + ", " +
                   std::to_string(c.num_buckets);
            break;
        }
        case ColumnKind::indicator:
            args = child();
            break;
        case ColumnKind::embedding:
            args = child() + ", dimension=" + std::to_string(c.dimension) +
                   ", combiner=" + quoted(c.combiner);
            break;
        case ColumnKind::weighted:
            args = child() + ", " + quoted(c.weight_feature_key);
            break;
        case ColumnKind::image:
            args = quoted(c.key);
            break;
    }
    if (c.kind == ColumnKind::vocabulary_list || c.kind == ColumnKind::vocabulary_file) {
        if (c.num_oov_buckets > 0) args += ", num_oov_buckets=" + std::to_string(c.num_oov_buckets);
        if (c.has_default_id) args += ", default_value=" + std::to_string(c.default_id);
    }
    if (c.kind == ColumnKind::identity && c.has_default_id)
        args += ", default_value=" + std::to_string(c.default_id);
    return name + "(" + args + ")";
}

std::shared_ptr<const FeatureColumnsModel> load_feature_columns(const std::string& data_path,
                                                                const std::string& columns_path,
                                                                size_t shown_records) {
    auto model = std::make_shared<FeatureColumnsModel>();
    model->data_path = data_path;
    model->columns_path = columns_path;
    const std::vector<std::string> records = read_tfrecord(data_path);
    if (records.empty()) throw std::runtime_error(data_path + ": the file holds no records");
    std::vector<Example> all;
    all.reserve(records.size());
    for (size_t i = 0; i < records.size(); ++i) {
        try {
            all.push_back(parse_example(records[i]));
        } catch (const std::exception& e) {
            throw std::runtime_error(data_path + ": record " + std::to_string(i) +
                                     " is not a tf.Example: " + e.what());
        }
    }
    const FeatureLayer layer(load_column_file(columns_path), all);
    const size_t shown = std::min(shown_records, all.size());
    model->total_records = all.size();
    model->shown.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(shown));
    model->keys = feature_keys(model->shown);
    for (const ColumnSpec& c : layer.file().columns)
        model->columns.push_back(view_of(layer, c, all, shown));

    model->width = layer.width();
    for (size_t i = 0; i < shown; ++i) model->dense.push_back(layer.dense_row(all[i], i));
    int64_t offset = 0;
    for (const ColumnSpec* c : layer.dense_columns()) {
        // An image column is sized by the data: its width is what the first row gives it.
        const int64_t width = shown > 0
                                  ? static_cast<int64_t>(layer.dense_output(*c, all[0], 0).size())
                                  : column_width(*c);
        model->groups.push_back({column_name(*c), offset, width});
        offset += width;
    }
    std::vector<float> flat;
    for (const auto& row : model->dense) flat.insert(flat.end(), row.begin(), row.end());
    model->dense_limit = abs_limit(flat);
    return model;
}

void FeatureColumnsLoader::start(const std::string& data_path, const std::string& columns_path,
                                 size_t shown_records) {
    if (pending_.valid()) return;
    pending_ = std::async(std::launch::async, load_feature_columns, data_path, columns_path,
                          shown_records);
}

bool FeatureColumnsLoader::poll() {
    if (!pending_.valid() ||
        pending_.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
        return false;
    try {
        model_ = pending_.get();
        error_.clear();
    } catch (const std::exception& e) {
        error_ = e.what();
    }
    return true;
}

void FeatureColumnsLoader::wait() {
    if (pending_.valid()) pending_.wait();
    poll();
}

const DenseGroup* group_at(const std::vector<DenseGroup>& groups, int64_t index) {
    for (const DenseGroup& g : groups)
        if (index >= g.offset && index < g.offset + g.width) return &g;
    return nullptr;
}

std::string demo_records_path() {
    return (std::filesystem::path(GANVAS_ASSETS_DIR) / "demo" / "products.tfrecord").string();
}

std::string demo_columns_path() {
    return (std::filesystem::path(GANVAS_ASSETS_DIR) / "demo" / "products_columns.json").string();
}

}  // namespace ganvas::gui
