#include "data/dataset.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <stdexcept>

#include "data/feature_column_dataset.h"
#include "data/feature_columns.h"
#include "data/idx.h"
#include "data/image_folder.h"
#include "data/tfrecord.h"
#include "data/toy_distributions.h"
#include "io/npy.h"
#include "io/printable.h"
#include "ops/shape_ops.h"

namespace ganvas {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
    throw std::runtime_error(path + ": " + problem);
}

// The byte -> [-1, 1] map as a table: one lookup per pixel, and exactly the values
// the reference's float32 `x / 127.5 - 1.0` gives (0 -> -1, 255 -> 1).
const std::array<float, 256>& pixel_table() {
    static const std::array<float, 256> table = [] {
        std::array<float, 256> t{};
        for (int b = 0; b < 256; ++b) t[b] = static_cast<float>(b) / 127.5f - 1.0f;
        return t;
    }();
    return table;
}

Tensor images_from_idx(const IdxArray& idx, const std::string& path) {
    if (idx.shape.size() != 3)
        fail(path, "expected IDX images of rank 3 (N, H, W), got " + shape_str(idx.shape));
    Tensor images = Tensor::empty({idx.shape[0], 1, idx.shape[1], idx.shape[2]});  // (N,1,H,W)
    const auto& table = pixel_table();
    float* dst = images.data();
    for (size_t i = 0; i < idx.bytes.size(); ++i) dst[i] = table[idx.bytes[i]];
    return images;
}

// IDX is the MNIST family's format, whose label files hold the digits 0..9 and declare
// no class count. A larger byte is refused here, at load, naming where it sits: a model
// that reads labels would otherwise fail at the first batch that happens to hold it.
constexpr int kIdxClasses = 10;

Tensor labels_from_idx(const IdxArray& idx, const std::string& path) {
    if (idx.shape.size() != 1)
        fail(path, "expected IDX labels of rank 1 (N,), got " + shape_str(idx.shape));
    const auto bad = std::find_if(idx.bytes.begin(), idx.bytes.end(),
                                  [](uint8_t label) { return label >= kIdxClasses; });
    if (bad != idx.bytes.end())
        fail(path, "label " + std::to_string(*bad) + " at index " +
                       std::to_string(bad - idx.bytes.begin()) + " is outside 0.." +
                       std::to_string(kIdxClasses - 1) +
                       ", the classes of IDX label files; for images alone give idx:IMAGES "
                       "without the labels");
    Tensor labels = Tensor::empty({idx.shape[0]}, DType::i64);  // (N,)
    std::copy(idx.bytes.begin(), idx.bytes.end(), labels.data_i64());
    return labels;
}

[[noreturn]] void bad_spec(const std::string& spec, const std::string& problem) {
    throw std::runtime_error("data spec '" + spec + "': " + problem +
                             "; use fashion-mnist[:train|:test], idx:IMAGES[,LABELS], folder:DIR, "
                             "tfrecord:FILE[,image=KEY][,label=KEY], "
                             "tfrecord:FILE,columns=COLS.json, toy:NAME or "
                             "codes:TRAIN.npy[,HELDOUT.npy]");
}

// FILE[,image=KEY][,label=KEY] or FILE,columns=COLS.json
void parse_tfrecord_spec(const std::string& spec, const std::string& rest, DataSpec& out) {
    size_t comma = rest.find(',');
    out.path = rest.substr(0, comma);
    if (out.path.empty()) bad_spec(spec, "no TFRecord file given");
    while (comma != std::string::npos) {
        const size_t next = rest.find(',', comma + 1);
        const std::string option = rest.substr(comma + 1, next - comma - 1);
        const size_t eq = option.find('=');
        const std::string name = option.substr(0, eq);
        const std::string value = eq == std::string::npos ? "" : option.substr(eq + 1);
        if ((name != "image" && name != "label" && name != "columns") || value.empty())
            bad_spec(spec, "'" + option + "' is not image=KEY, label=KEY or columns=FILE");
        (name == "image" ? out.image_key : name == "label" ? out.label_key : out.columns) = value;
        comma = next;
    }
    if (!out.columns.empty() && (!out.image_key.empty() || !out.label_key.empty()))
        bad_spec(spec, "a column file replaces image= and label=; give one or the other");
}

}  // namespace

float pixel_from_byte(uint8_t b) {
    return pixel_table()[b];
}

std::vector<std::string> numbered_classes(const Tensor& labels) {
    const int64_t* p = labels.data_i64();
    const int64_t largest = labels.numel() ? *std::max_element(p, p + labels.numel()) : -1;
    std::vector<std::string> names;
    for (int64_t c = 0; c <= largest; ++c) names.push_back(std::to_string(c));
    return names;
}

ImageDataset load_idx_dataset(const std::string& images_path, const std::string& labels_path) {
    ImageDataset data;
    data.images = images_from_idx(read_idx(images_path), images_path);
    data.name = "idx:" + std::filesystem::path(images_path).filename().string();
    if (labels_path.empty()) return data;

    data.labels = labels_from_idx(read_idx(labels_path), labels_path);
    if (data.labels.numel() != data.size())
        fail(labels_path, "holds " + std::to_string(data.labels.numel()) + " labels but " +
                              images_path + " holds " + std::to_string(data.size()) + " images");
    data.class_names = numbered_classes(data.labels);
    return data;
}

const std::vector<std::string>& fashion_mnist_class_names() {
    static const std::vector<std::string> names = {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    return names;
}

ImageDataset load_fashion_mnist(const std::string& split, const std::string& dir) {
    if (split != "train" && split != "test")
        throw std::runtime_error("Fashion-MNIST has no split '" + split + "' (use train or test)");
    const std::string prefix = split == "train" ? "train" : "t10k";  // the files' own naming
    const std::filesystem::path folder(dir);
    const std::string images = (folder / (prefix + "-images-idx3-ubyte.gz")).string();
    const std::string labels = (folder / (prefix + "-labels-idx1-ubyte.gz")).string();

    // Name the folder when it is missing altogether, the file when only that is.
    const std::string missing = !std::filesystem::is_directory(folder) ? dir
                                : !std::filesystem::exists(images)     ? images
                                : !std::filesystem::exists(labels)     ? labels
                                                                       : "";
    if (!missing.empty())
        fail(missing,
             "Fashion-MNIST not found; install Debian's dataset-fashion-mnist "
             "(scripts/setup.sh does)");

    ImageDataset data = load_idx_dataset(images, labels);  // labels checked to be 0..9
    data.class_names = fashion_mnist_class_names();
    data.name = "fashion-mnist:" + split;
    return data;
}

DataSpec parse_data_spec(const std::string& spec) {
    DataSpec out;
    const size_t colon = spec.find(':');
    const std::string kind = spec.substr(0, colon);
    const std::string rest = colon == std::string::npos ? "" : spec.substr(colon + 1);

    if (kind == "fashion-mnist") {
        out.kind = DataSpec::Kind::fashion_mnist;
        out.split = colon == std::string::npos ? "train" : rest;
        if (out.split != "train" && out.split != "test") bad_spec(spec, "unknown split");
    } else if (kind == "idx") {
        out.kind = DataSpec::Kind::idx;
        const size_t comma = rest.find(',');
        out.images = rest.substr(0, comma);
        if (comma != std::string::npos) out.labels = rest.substr(comma + 1);
        if (out.images.empty()) bad_spec(spec, "no images file given");
        if (comma != std::string::npos && out.labels.empty()) bad_spec(spec, "empty labels file");
    } else if (kind == "toy") {
        out.kind = DataSpec::Kind::toy;
        out.toy = rest;
        const auto names = toy_distribution_names();
        if (std::find(names.begin(), names.end(), rest) == names.end()) {
            std::string known;
            for (auto& n : names) known += (known.empty() ? "" : ", ") + n;
            bad_spec(spec, "unknown toy distribution (known: " + known + ")");
        }
    } else if (kind == "codes") {
        out.kind = DataSpec::Kind::codes;
        const size_t comma = rest.find(',');
        out.codes = rest.substr(0, comma);
        if (comma != std::string::npos) out.heldout = rest.substr(comma + 1);
        if (out.codes.empty()) bad_spec(spec, "no codes file given");
        if (comma != std::string::npos && out.heldout.empty())
            bad_spec(spec, "empty held-out codes file");
    } else if (kind == "folder") {
        out.kind = DataSpec::Kind::folder;
        out.path = rest;
        if (out.path.empty()) bad_spec(spec, "no folder given");
    } else if (kind == "tfrecord") {
        out.kind = DataSpec::Kind::tfrecord;
        parse_tfrecord_spec(spec, rest, out);
    } else {
        bad_spec(spec, "unknown kind of data");
    }
    return out;
}

ImageDataset load_dataset(const std::string& spec) {
    const DataSpec parsed = parse_data_spec(spec);
    if (parsed.kind == DataSpec::Kind::idx) return load_idx_dataset(parsed.images, parsed.labels);
    if (parsed.kind == DataSpec::Kind::toy) return load_toy_dataset(parsed.toy);
    if (parsed.kind == DataSpec::Kind::codes) return load_code_grids(parsed.codes);
    if (parsed.kind == DataSpec::Kind::folder) return load_image_folder(parsed.path);
    if (parsed.kind == DataSpec::Kind::tfrecord && !parsed.columns.empty())
        return load_tfrecord_with_columns(parsed.path, parsed.columns);
    if (parsed.kind == DataSpec::Kind::tfrecord)
        return load_tfrecord_dataset(parsed.path, parsed.image_key, parsed.label_key);
    return load_fashion_mnist(parsed.split);
}

std::string data_spec_with_columns(const std::string& spec, const std::string& columns) {
    const DataSpec parsed = parse_data_spec(spec);
    if (parsed.kind != DataSpec::Kind::tfrecord)
        throw std::runtime_error(
            "--columns reads tf.Example records: give --data tfrecord:FILE, "
            "not '" +
            spec + "'");
    if (!parsed.image_key.empty() || !parsed.label_key.empty() || !parsed.columns.empty())
        throw std::runtime_error("--columns " + columns +
                                 " replaces the image=, label= and "
                                 "columns= of --data " +
                                 spec + "; give one or the other");
    if (columns.empty() || columns.find(',') != std::string::npos)
        throw std::runtime_error("--columns '" + columns + "': give a file name without commas");
    return spec + ",columns=" + columns;
}

ImageDataset load_tfrecord_with_columns(const std::string& path, const std::string& columns) {
    const ColumnFile file = load_column_file(columns);
    ImageDataset data;
    try {
        data = dataset_from_column_file(file, read_tfrecord_examples(path));
    } catch (const std::exception& e) {
        const std::string what = one_line(e.what());
        fail(path, what.rfind(path, 0) == 0 ? what.substr(path.size() + 2) : what);
    }
    data.name = "tfrecord:" + std::filesystem::path(path).filename().string();
    return data;
}

ImageDataset load_tfrecord_dataset(const std::string& path, const std::string& image_key,
                                   const std::string& label_key) {
    std::vector<Example> examples;
    for (const std::string& record : read_tfrecord(path)) {
        try {
            examples.push_back(parse_example(record));
        } catch (const std::exception& e) {
            fail(path, "record " + std::to_string(examples.size()) + ": " + one_line(e.what()));
        }
    }
    if (examples.empty()) fail(path, "holds no records");
    ImageDataset data;
    try {
        const FeatureColumns columns = resolve_columns(examples[0], {image_key, label_key});
        data = dataset_from_examples(examples, columns);
    } catch (const std::exception& e) {
        fail(path, one_line(e.what()));  // the message may quote keys from the file
    }
    data.name = "tfrecord:" + std::filesystem::path(path).filename().string();
    return data;
}

ImageDataset load_toy_dataset(const std::string& name) {
    const ToyDistribution dist = make_toy_distribution(name);
    Rng rng(0x70A);  // fixed: "toy:ring8" names one data set, whatever the session's seed
    Tensor points = dist.sample(kToyDatasetSize, rng);  // (N, dim)
    ImageDataset data;
    data.images = reshape(points, {kToyDatasetSize, dist.dim, 1, 1});
    data.name = "toy:" + name;
    return data;
}

ImageDataset load_code_grids(const std::string& path) {
    Tensor raw;
    try {
        raw = load_npy(path);
    } catch (const std::exception& e) {
        const std::string what = e.what();
        throw std::runtime_error(what.find(path) == std::string::npos ? path + ": " + what : what);
    }
    constexpr int64_t kGridCells = 49;
    if (raw.dim() < 2 || raw.size(0) < 1 || raw.numel() != raw.size(0) * kGridCells)
        fail(path, "code grids must be (N, 7, 7) or (N, 49), got " + shape_str(raw.shape()));
    ImageDataset data;
    data.images = Tensor::empty({raw.size(0), 1, 7, 7});  // (N, 1, 7, 7) whole floats
    float* dst = data.images.data();
    for (int64_t i = 0; i < raw.numel(); ++i) {
        const double v = raw.dtype() == DType::i64 ? static_cast<double>(raw.data_i64()[i])
                                                   : static_cast<double>(raw.data()[i]);
        if (!(v >= 0 && v < 16777216.0 && v == static_cast<double>(static_cast<int64_t>(v))))
            fail(path, "code " + std::to_string(v) + " at index " + std::to_string(i) +
                           " is not a whole number in [0, 2^24)");
        dst[i] = static_cast<float>(v);
    }
    data.name = "codes:" + path;
    return data;
}

ImageDataset load_heldout_codes(const std::string& spec) {
    const DataSpec parsed = parse_data_spec(spec);
    if (parsed.kind != DataSpec::Kind::codes || parsed.heldout.empty()) return {};
    return load_code_grids(parsed.heldout);
}

}  // namespace ganvas
