// Column files (`--columns COLS.json`): the JSON that declares TensorFlow feature columns,
// then each column and the dense row on a few fixed records whose features (a: strings,
// n: ints, x: four floats, w: weights) the seeds name.
#include "data/feature_column_spec.h"
#include "data/feature_column_transform.h"
#include "fuzz/harness.h"

namespace ganvas::fuzz {

void fuzz_column_file(std::string_view bytes) {
    const std::vector<Example> records = {
        {{"a", Feature::of_bytes({"p", "q", ""})},
         {"n", Feature::of_ints({1, -1, 7})},
         {"x", Feature::of_floats({0.5f, 1, 2, 3})},
         {"w", Feature::of_floats({1, 2, 3})}},
        {},
        {{"a", Feature::of_bytes({"q"})},
         {"n", Feature::of_ints({2})},
         {"x", Feature::of_floats({-1, 0, 0, 9})},
         {"w", Feature::of_floats({0.5f})}},
    };
    const FeatureLayer layer(parse_column_file(std::string(bytes), "fuzz.json"), records);
    for (size_t i = 0; i < records.size(); ++i) {
        for (const ColumnSpec& c : layer.file().columns) {
            if (is_dense_column(c))
                layer.dense_output(c, records[i], i);
            else
                layer.ids(c, records[i], i);
        }
        layer.dense_row(records[i], i);
    }
}

}  // namespace ganvas::fuzz
