// Image datasets held in memory, and the --data spec strings that name them.
//
// Everything here is small enough to load whole (Fashion-MNIST: 60000 x 28 x 28
// floats = 188 MB), which keeps batching a plain copy with no I/O in the training loop.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace ganvas {

struct ImageDataset {
    Tensor images;                         // (N, 1, H, W) float32 in [-1, 1]
    Tensor labels;                         // (N,) int64; undefined when there are none
    std::vector<std::string> class_names;  // index = label; empty without labels
    std::string name;                      // for titles and logs: "fashion-mnist:train"

    int64_t size() const { return images.defined() ? images.size(0) : 0; }
};

// "0", "1", ... up to the largest of `labels` (N,) int64: class names for data that has
// only numbers.
std::vector<std::string> numbered_classes(const Tensor& labels);

// Byte b as a pixel, b / 127.5 - 1: exactly the float32 the reference's `x / 127.5 - 1.0`
// gives (0 -> -1, 255 -> 1). Every byte-valued image format reads through this.
float pixel_from_byte(uint8_t b);

// Pixels read exactly as the PyTorch reference does: float(byte) / 127.5 - 1.
// `images_path` is an IDX file (N, H, W); `labels_path` (N,) may be empty for none.
// Class names are "0", "1", ... up to the largest label. IDX labels are the MNIST
// family's 0..9: a larger one throws std::runtime_error naming the labels file, the
// index of the first and its value.
ImageDataset load_idx_dataset(const std::string& images_path, const std::string& labels_path);

constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

// The ten Fashion-MNIST class names, index = label.
const std::vector<std::string>& fashion_mnist_class_names();

// `split` is "train" (60000 images) or "test" (10000), from Debian's
// dataset-fashion-mnist files {train,t10k}-{images-idx3,labels-idx1}-ubyte.gz in `dir`.
ImageDataset load_fashion_mnist(const std::string& split = "train",
                                const std::string& dir = kFashionMnistDir);

// A parsed --data spec (see DESIGN.md, "Command line").
struct DataSpec {
    enum class Kind { fashion_mnist, idx, toy, codes, folder, tfrecord };
    Kind kind = Kind::fashion_mnist;
    std::string split = "train";       // fashion_mnist
    std::string images, labels;        // idx; labels may be empty
    std::string toy;                   // toy: a toy_distribution_names() entry
    std::string codes, heldout;        // codes; heldout may be empty
    std::string path;                  // folder: the folder; tfrecord: the file
    std::string image_key, label_key;  // tfrecord: the feature columns; empty = choose
    std::string columns;               // tfrecord: a column file (feature_column_spec.h)
};

// Accepts "fashion-mnist" (the train split), "fashion-mnist:train", "fashion-mnist:test",
// "idx:IMAGES[,LABELS]", "folder:DIR", "tfrecord:FILE[,image=KEY][,label=KEY]",
// "tfrecord:FILE,columns=COLS.json", "toy:NAME" and "codes:TRAIN.npy[,HELDOUT.npy]";
// anything else throws std::runtime_error listing these forms.
DataSpec parse_data_spec(const std::string& spec);

// The spec of `--data SPEC --columns COLS`: "tfrecord:FILE,columns=COLS". Throws
// std::runtime_error when SPEC is not a TFRecord file or already names image=, label=
// or columns= (a column file replaces them).
std::string data_spec_with_columns(const std::string& spec, const std::string& columns);

// parse_data_spec, then the matching loader.
ImageDataset load_dataset(const std::string& spec);

// The tf.Example records of a TFRecord file (plain or gzipped) through the feature
// columns of data/feature_columns.h; empty keys are chosen from the first record.
// Errors name the file and the record.
ImageDataset load_tfrecord_dataset(const std::string& path, const std::string& image_key = "",
                                   const std::string& label_key = "");

// The same through a column file (data/feature_column_dataset.h). Errors name the
// TFRecord file, and the column file, column and record where they are at fault.
ImageDataset load_tfrecord_with_columns(const std::string& path, const std::string& columns);

// kToyDatasetSize points of a toy distribution (data/toy_distributions.h) drawn
// with a fixed seed, stored as (N, dim, 1, 1) "images" so the Batcher and Session
// handle them unchanged.
constexpr int64_t kToyDatasetSize = 20000;
ImageDataset load_toy_dataset(const std::string& name);
// VQ code grids (prior49's data) from a .npy of whole numbers, int64 or float32,
// shaped (N, 7, 7), (N, 49) or (N, 1, 7, 7). They are held as whole floats
// (N, 1, 7, 7) in `images`, so batching is the same as for pictures; values must
// be in [0, 2^24) to stay exact. A bad file throws std::runtime_error naming it.
ImageDataset load_code_grids(const std::string& path);
// The held-out grids a codes spec names after its comma; an empty dataset otherwise.
ImageDataset load_heldout_codes(const std::string& spec);

}  // namespace ganvas
