// Image datasets through a column file: `--data tfrecord:FILE --columns COLS.json`
// (the spec "tfrecord:FILE,columns=COLS.json").
//
// Ganvas's image models take one gray image and, optionally, a class, so the file must
// declare exactly one image: a numeric_column of shape [H, W] (or [1, H, W]; int64
// pixels in 0..255, or floats read as the image column reads them, after any
// normalizer: min_max gives [0, 1]) or an image_column; and at most one label: a
// categorical column with one id per record (identity, vocabulary, hash bucket), bare
// or inside an indicator_column. Vocabulary words become the class names.
#pragma once

#include <string>
#include <vector>

#include "data/dataset.h"
#include "data/feature_column_spec.h"
#include "data/tf_example.h"

namespace ganvas {

// The tf.Example records of a TFRecord file; errors name the file and the record.
std::vector<Example> read_tfrecord_examples(const std::string& path);

// The images (N, 1, H, W) and labels of `examples` through `file`'s columns. Throws
// std::runtime_error naming the column file, the column and the record, or saying
// what an image model needs when the file does not declare it.
ImageDataset dataset_from_column_file(const ColumnFile& file, const std::vector<Example>& examples);

}  // namespace ganvas
