// Everything the Feature columns panel draws, computed once when files are loaded:
// each column's raw input, ids and output for the first records, the strings that
// share a hash bucket, and the dense input rows with the place of each column in
// them. Built on a worker thread and handed to the panel whole, so the window never
// waits on a file and a bad file leaves the last good model in place.
#pragma once

#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "data/feature_column_spec.h"
#include "data/tf_example.h"
#include "panels/feature_columns_view.h"

namespace ganvas::gui {

// One record through one column.
struct ColumnRecord {
    std::string raw;             // the raw feature(s) the column reads, as text
    std::vector<int64_t> ids;    // categorical ids; empty for a numeric column
    std::vector<float> weights;  // beside the ids, for a weighted column
    std::vector<float> output;   // the dense output; empty for a bare categorical column
};

struct ColumnView {
    std::string name;                   // TensorFlow's column.name
    std::string kind;                   // "bucketized_column"
    std::string call;                   // "bucketized_column(price, boundaries=[10, 25])"
    std::string ids_from;               // the categorical column giving the ids ("" for numeric)
    int64_t buckets = 0;                // the id range [0, buckets)
    int64_t width = 0;                  // dense values per record; 0 for a bare categorical
    bool dense = false;                 // has a dense output (drawn as cells)
    bool in_dense_row = false;          // part of the dense input (an image column is read apart)
    bool hashed = false;                // ids come from a hash: collisions are possible
    bool embedding = false;             // output is an embedding row (else one-hot / numbers)
    bool weighted = false;              // ids come with weights (weighted_categorical_column)
    BucketCollisions collisions;        // over every record of the file, when hashed
    std::vector<ColumnRecord> records;  // the first records
    float output_limit = 1;             // largest |output| among them, for the colours
    // An embedding column's table (table_rows = buckets, table_cols = dimension),
    // row-major, as the layer drew it: each record's row is looked up (and combined) here.
    std::vector<float> table;
    int64_t table_rows = 0, table_cols = 0;
};

// A dense column's place in the dense input row.
struct DenseGroup {
    std::string name;
    int64_t offset = 0, width = 0;
};

// The group holding value `index` of a dense row; null outside the row.
const DenseGroup* group_at(const std::vector<DenseGroup>& groups, int64_t index);

struct FeatureColumnsModel {
    std::string data_path, columns_path;
    size_t total_records = 0;
    std::vector<std::string> keys;          // every raw feature key of the shown records
    std::vector<Example> shown;             // the first records
    std::vector<ColumnView> columns;        // in the column file's order
    std::vector<DenseGroup> groups;         // in the dense layer's order (by name)
    int64_t width = 0;                      // values per dense row
    std::vector<std::vector<float>> dense;  // one row per shown record, (shown, width)
    float dense_limit = 1;                  // largest |value| in `dense`
};

// Reads both files and runs every column over the records (normalizers fitted on all
// of them, embedding tables from seed 0). Throws std::runtime_error with the core's
// one-line message for a missing or corrupt file or a column that cannot be applied.
std::shared_ptr<const FeatureColumnsModel> load_feature_columns(const std::string& data_path,
                                                                const std::string& columns_path,
                                                                size_t shown_records);

// Loads models on a worker thread, one at a time, and keeps the last good one: a
// failed load leaves the model in place and says why in error().
class FeatureColumnsLoader {
public:
    // Starts reading; ignored while a load is under way (its result comes first).
    void start(const std::string& data_path, const std::string& columns_path, size_t shown_records);
    // Takes a finished load's result; true when the model or the error changed.
    bool poll();
    // Waits for a load under way to finish (for tests and shutdown).
    void wait();
    bool busy() const { return pending_.valid(); }

    const std::shared_ptr<const FeatureColumnsModel>& model() const { return model_; }
    const std::string& error() const { return error_; }

private:
    std::future<std::shared_ptr<const FeatureColumnsModel>> pending_;
    std::shared_ptr<const FeatureColumnsModel> model_;
    std::string error_;
};

// The demo table and its column file shipped in assets/demo.
std::string demo_records_path();
std::string demo_columns_path();

// A column as the Python call that would declare it, shortened:
// "bucketized_column(price, boundaries=[10, 25, 50])".
std::string column_call(const ColumnSpec& column);

}  // namespace ganvas::gui
