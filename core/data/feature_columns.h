// Feature columns: how the raw features of tf.Example records become model inputs,
// in the spirit of tf.feature_column. Ganvas's models take one gray image (1, H, W) in
// [-1, 1] and, optionally, a class label, so there are two columns:
//
//   image  (a numeric column of shape (H, W)), from one of
//     bytes_list, one value that is an encoded image (PNG, JPEG, BMP, GIF): decoded,
//                 converted to gray;
//     bytes_list, one value of H*W raw bytes: pixel b reads as b / 127.5 - 1;
//     int64_list of H*W values in 0..255: the same;
//     float_list of H*W values, scaled by the range of the whole dataset: all in [0, 1]
//                 -> 2v - 1; any above 1 (at most 255) -> v / 127.5 - 1; any below 0
//                 -> taken as already in [-1, 1].
//     H and W come from int64 features "height" and "width" (or "image/height" and
//     "image/width") when the record has them; otherwise the image is square.
//   label  (a categorical column with identity): an int64_list of one value >= 0.
//
// Left unnamed, the image column is the first of "image", "image/encoded",
// "image_raw", "pixels", "x" that the first record holds, and the label column the
// first of "label", "image/class/label", "class", "y" (or none).
#pragma once

#include <string>
#include <vector>

#include "data/dataset.h"
#include "data/tf_example.h"

namespace ganvas {

struct FeatureColumns {
    std::string image;  // feature key; empty: choose as above
    std::string label;  // feature key; empty: choose as above, and none if there is none
};

// The columns to use for `first`, filled in where `wanted` leaves them open. Throws
// std::runtime_error listing the record's features when no image feature is found
// or a named one is missing.
FeatureColumns resolve_columns(const Example& first, const FeatureColumns& wanted);

// The images (N, 1, H, W) and labels (N,) of `examples` through `columns` (resolved).
// Throws std::runtime_error naming the record ("record 12: ...") for a missing feature,
// a list of the wrong kind or length, a size unlike the first record's, or pixel
// values out of range.
ImageDataset dataset_from_examples(const std::vector<Example>& examples,
                                   const FeatureColumns& columns);

// The inverse of the image column for generated images (N, 1, H, W) in [-1, 1]: one
// tf.Example per image with "image" (PNG bytes), "height" and "width", written as a
// TFRecord file (atomically) that TensorFlow and `--data tfrecord:FILE` both read.
void save_images_tfrecord(const std::string& path, const Tensor& images);

}  // namespace ganvas
