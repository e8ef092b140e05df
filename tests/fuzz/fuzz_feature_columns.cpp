// Feature columns: records (tf.Example) becoming images and labels. The input is
// records joined by split_records' framing; the columns are chosen as `--data
// tfrecord:FILE` chooses them, from the first record.
#include "data/feature_columns.h"
#include "fuzz/harness.h"

namespace ganvas::fuzz {

void fuzz_feature_columns(std::string_view bytes) {
    std::vector<Example> examples;
    for (const std::string& record : split_records(bytes))
        examples.push_back(parse_example(record));
    if (examples.empty()) return;
    FeatureColumns columns = resolve_columns(examples.front(), {});
    dataset_from_examples(examples, columns);
}

}  // namespace ganvas::fuzz
