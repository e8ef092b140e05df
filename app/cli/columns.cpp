// ganvas columns: what a column file makes of the first records of a TFRecord file,
// column by column and as the dense row, so a TensorFlow user can hold Ganvas's
// numbers against tf.keras.layers.DenseFeatures on their own data.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/commands.h"
#include "data/dataset.h"
#include "data/feature_column_dataset.h"
#include "data/feature_column_spec.h"
#include "data/feature_column_transform.h"
#include "io/printable.h"

namespace ganvas::cli {
namespace {

using json = nlohmann::json;

// One shown column: a dense one gives values, a bare categorical one its ids.
struct Shown {
    const ColumnSpec* column;
    bool ids;
};

// The dense layer's columns in its order, then the bare categorical ones (and an
// image column) in the file's order.
std::vector<Shown> shown_columns(const FeatureLayer& layer) {
    std::vector<Shown> out;
    for (const ColumnSpec* c : layer.dense_columns()) out.push_back({c, false});
    for (const ColumnSpec& c : layer.file().columns)
        if (!is_dense_column(c) || c.kind == ColumnKind::image)
            out.push_back({&c, !is_dense_column(c)});
    return out;
}

std::string number_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.7g", v);
    return buf;
}

// Short vectors whole; long ones (a wide one-hot) as their non-zero entries.
std::string values_text(const std::vector<float>& values) {
    std::string out;
    if (values.size() <= 16) {
        for (float v : values) out += (out.empty() ? "" : ", ") + number_text(v);
        return "[" + out + "]";
    }
    for (size_t i = 0; i < values.size(); ++i)
        if (values[i] != 0)
            out += (out.empty() ? "" : ", ") + std::to_string(i) + ": " + number_text(values[i]);
    return "{" + out + "} (non-zero of " + std::to_string(values.size()) + ")";
}

std::string ids_text(const CategoricalIds& got) {
    std::string out;
    for (size_t i = 0; i < got.ids.size(); ++i) {
        out += (out.empty() ? "" : ", ") + std::to_string(got.ids[i]);
        if (!got.weights.empty()) out += " (weight " + number_text(got.weights[i]) + ")";
    }
    return "[" + out + "]";
}

}  // namespace

int run_columns(const Argv& argv) {
    Args args(argv, "ganvas columns --columns FILE --data tfrecord:FILE [--n N] [--json]",
              {{"columns", "COLS.json", "the feature columns, as tf.feature_column calls in JSON"},
               {"data", "tfrecord:FILE", "the tf.Example records to run them on"},
               {"n", "N", "records to show (default 5)"},
               {"seed", "S", "the embedding tables' seed (default 0)"},
               {"json", "", "print {\"columns\": [...], \"rows\": [...], \"dense\": [...]}"}});
    const std::string columns_path = args.required("columns");
    const int64_t n = args.integer("n", 5, 1, 1000000);
    DataSpec spec;
    try {
        spec = parse_data_spec(args.required("data"));
        data_spec_with_columns(args.str("data"), columns_path);  // the same checks as train
    } catch (const std::runtime_error& e) {
        throw UsageError(e.what());
    }
    const std::vector<Example> examples = read_tfrecord_examples(spec.path);
    // Normalizers are fitted on every record, as training would; only N are shown.
    const FeatureLayer layer(load_column_file(columns_path), examples,
                             static_cast<uint64_t>(args.integer("seed", 0, 0, INT64_MAX)));
    const std::vector<Shown> shown = shown_columns(layer);
    const size_t count = std::min(examples.size(), static_cast<size_t>(n));

    if (args.has("json")) {
        json doc = {{"columns", json::array()}, {"rows", json::array()}, {"dense", json::array()}};
        for (const Shown& s : shown)
            doc["columns"].push_back(
                {{"name", column_name(*s.column)},
                 {"kind", column_kind_name(s.column->kind)},
                 {"width", s.ids ? column_num_buckets(*s.column) : column_width(*s.column)},
                 {"output", s.ids ? "ids" : "values"}});
        for (size_t i = 0; i < count; ++i) {
            json row = json::array();
            for (const Shown& s : shown)
                row.push_back(s.ids ? json(layer.ids(*s.column, examples[i], i).ids)
                                    : json(layer.dense_output(*s.column, examples[i], i)));
            doc["rows"].push_back(row);
            doc["dense"].push_back(layer.dense_row(examples[i], i));
        }
        std::printf("%s\n", doc.dump(2).c_str());
        return 0;
    }
    // Composed whole before printing: a bad record fails with no half-printed table.
    std::string out = columns_path + ": " + std::to_string(layer.file().columns.size()) +
                      " columns, a dense row of " + std::to_string(layer.width()) +
                      " values (dense columns sorted by name, as DenseFeatures)\n";
    for (size_t i = 0; i < count; ++i) {
        out += "record " + std::to_string(i) + "\n";
        for (const Shown& s : shown) {
            out += "  " + one_line(column_name(*s.column)) + " (" +
                   column_kind_name(s.column->kind) + "): ";
            out += s.ids ? "ids " + ids_text(layer.ids(*s.column, examples[i], i))
                         : values_text(layer.dense_output(*s.column, examples[i], i));
            out += "\n";
        }
        out += "  dense row: " + values_text(layer.dense_row(examples[i], i)) + "\n";
    }
    std::fputs(out.c_str(), stdout);
    return 0;
}

}  // namespace ganvas::cli
