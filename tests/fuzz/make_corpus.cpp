// Seed corpora for the fuzz targets, written by Ganvas's own writers (save_npy,
// save_safetensors, write_tfrecord, serialize_example, encode_png, save_gif,
// write_experiment, ...), so the fuzzer starts from files the readers accept and
// mutates from there. scripts/fuzz.sh runs it into build-fuzz/corpus/<target>/.
//
//   make_corpus DIR
#include <stb_image_write.h>
#include <zlib.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "analysis/receptive_field.h"
#include "data/feature_columns.h"
#include "data/tensorboard_event.h"
#include "data/tf_example.h"
#include "data/tfrecord.h"
#include "fuzz/harness.h"
#include "io/image_gif.h"
#include "io/image_png.h"
#include "io/npy.h"
#include "io/safetensors.h"
#include "train/experiment_file.h"

namespace fs = std::filesystem;
using namespace ganvas;

namespace {

fs::path g_root;

fs::path seed_path(const std::string& target, const std::string& name) {
    fs::create_directories(g_root / target);
    return g_root / target / name;
}

void seed(const std::string& target, const std::string& name, const std::string& bytes) {
    std::ofstream(seed_path(target, name), std::ios::binary) << bytes;
}

Tensor ramp(const Shape& shape) {  // values spread over [-1, 1]
    Tensor t = Tensor::empty(shape);
    float* p = t.data();
    int64_t n = t.numel();
    for (int64_t i = 0; i < n; ++i) p[i] = n > 1 ? -1.0f + 2.0f * i / (n - 1) : 0.5f;
    return t;
}

Tensor int_ramp(const Shape& shape) {
    Tensor t = Tensor::empty(shape, DType::i64);
    int64_t* p = t.data_i64();
    for (int64_t i = 0; i < t.numel(); ++i) p[i] = i * 7 - 3;
    return t;
}

std::vector<uint8_t> pixels(int w, int h, int channels) {
    std::vector<uint8_t> out(static_cast<size_t>(w * h * channels));
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(i * 37 + i / 5);
    return out;
}

void append_bytes(void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), size);
}

void npy_seeds() {
    save_npy(seed_path("npy", "f32_2x3.npy"), ramp({2, 3}));
    save_npy(seed_path("npy", "f32_scalar.npy"), Tensor::scalar(1.5f));
    save_npy(seed_path("npy", "f32_nchw.npy"), ramp({2, 1, 3, 3}));
    save_npy(seed_path("npy", "i64_5.npy"), int_ramp({5}));
    save_npy(seed_path("npy", "f32_empty.npy"), Tensor::zeros({0, 4}));
}

void safetensors_seeds() {
    save_safetensors(seed_path("safetensors", "two.safetensors"),
                     {{"conv.weight", ramp({2, 1, 3, 3})}, {"steps", int_ramp({1})}},
                     {{"model", "dcgan28"}, {"step", "120"}});
    save_safetensors(seed_path("safetensors", "scalar.safetensors"), {{"s", Tensor::scalar(2.0f)}});
    save_safetensors(seed_path("safetensors", "metadata_only.safetensors"), {}, {{"format", "pt"}});
}

// No IDX writer in Ganvas (the files come from MNIST's authors): the layout of idx.h.
std::string idx_bytes(const std::vector<uint32_t>& dims) {
    std::string out = {0, 0, 0x08, static_cast<char>(dims.size())};
    size_t n = 1;
    for (uint32_t d : dims) {
        for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>(d >> shift);
        n *= d;
    }
    for (size_t i = 0; i < n; ++i) out += static_cast<char>(i * 13);
    return out;
}

void idx_seeds() {
    seed("idx", "labels.idx1", idx_bytes({6}));
    seed("idx", "images.idx3", idx_bytes({2, 4, 4}));
    std::string plain = idx_bytes({1, 2, 3, 2});
    seed("idx", "rank4.idx", plain);
    fs::path gz = seed_path("idx", "images.idx3.gz");
    gzFile f = gzopen(gz.c_str(), "wb");
    gzwrite(f, plain.data(), static_cast<unsigned>(plain.size()));
    gzclose(f);
}

std::vector<Example> examples() {
    std::vector<Example> out;
    std::vector<uint8_t> gray = pixels(4, 4, 1);
    out.push_back({{"image", Feature::of_bytes({encode_png(4, 4, 1, gray.data())})},
                   {"label", Feature::of_ints({3})}});
    out.push_back({{"image_raw", Feature::of_bytes({std::string(gray.begin(), gray.end())})},
                   {"height", Feature::of_ints({4})},
                   {"width", Feature::of_ints({4})}});
    out.push_back({{"pixels", Feature::of_ints(std::vector<int64_t>(gray.begin(), gray.end()))},
                   {"class", Feature::of_ints({1})}});
    std::vector<float> x;
    for (uint8_t b : gray) x.push_back(b / 255.0f);
    out.push_back({{"x", Feature::of_floats(x)}, {"y", Feature::of_ints({0})}});
    return out;
}

void record_seeds() {
    std::vector<std::string> serialized;
    for (const Example& e : examples()) serialized.push_back(serialize_example(e));
    for (size_t i = 0; i < serialized.size(); ++i)
        seed("tf_example", "example" + std::to_string(i) + ".pb", serialized[i]);
    write_tfrecord(seed_path("tfrecord", "examples.tfrecord"), serialized);
    write_tfrecord(seed_path("tfrecord", "text.tfrecord"), {"", "a", std::string(300, 'x')});
    save_images_tfrecord(seed_path("tfrecord", "images.tfrecord"), ramp({2, 1, 4, 4}));
    // TensorFlow's ZLIB option: the same stream in a zlib wrapper.
    std::string stream;
    for (const std::string& r : serialized) stream += frame_tfrecord(r);
    std::string packed(compressBound(stream.size()), '\0');
    uLongf packed_size = packed.size();
    compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size,
              reinterpret_cast<const Bytef*>(stream.data()), stream.size(), 6);
    packed.resize(packed_size);
    seed("tfrecord", "examples.zlib.tfrecord", packed);
    // Each kind of image column on its own, and two records of one kind.
    for (size_t i = 0; i < serialized.size(); ++i)
        seed("feature_columns", "records" + std::to_string(i) + ".bin",
             fuzz::join_records({serialized[i], serialized[i]}));
}

// Events as Ganvas writes them and as TF2 does (a scalar tensor named "scalars" once).
void tensorboard_seeds() {
    Event version;
    version.file_version = "brain.Event:2";
    Event scalars;
    scalars.step = 3;
    scalars.values = {scalar_summary("loss_D", 1.5f), scalar_summary("loss_G", 0.5f)};
    Event text;
    text.values = {text_summary("settings", "| model | dcgan28 |")};
    std::vector<uint8_t> gray = pixels(4, 4, 1);
    Event image;
    image.step = 4;
    image.values = {image_summary("samples", {4, 4, 1, encode_png(4, 4, 1, gray.data())})};
    SummaryValue tensor;
    tensor.tag = "tf2";
    tensor.plugin = "scalars";
    tensor.kind = SummaryValue::Kind::tensor;
    tensor.tensor.dtype = kDtDouble;
    tensor.tensor.numbers = {2.5};
    Event tf2;
    tf2.step = 5;
    tf2.values = {tensor};
    tensor.plugin.clear();
    Event tf2_later = tf2;
    tf2_later.step = 6;
    tf2_later.values = {tensor};
    seed("tensorboard", "ganvas.bin",
         fuzz::join_records({serialize_event(version), serialize_event(text),
                             serialize_event(scalars), serialize_event(image)}));
    seed("tensorboard", "tf2.bin",
         fuzz::join_records({serialize_event(tf2), serialize_event(tf2_later)}));
}

void image_seeds() {
    for (int channels : {1, 2, 3, 4}) {
        std::vector<uint8_t> p = pixels(5, 3, channels);
        std::string name = "c" + std::to_string(channels);
        seed("image", name + ".png", encode_png(5, 3, channels, p.data()));
        std::string bmp, jpg;
        stbi_write_bmp_to_func(append_bytes, &bmp, 5, 3, channels, p.data());
        stbi_write_jpg_to_func(append_bytes, &jpg, 5, 3, channels, p.data(), 80);
        seed("image", name + ".bmp", bmp);
        seed("image", name + ".jpg", jpg);
    }
    fs::path gif = seed_path("image", "frames.gif");
    save_gif(gif.string(), {ramp({1, 4, 4}), ramp({1, 4, 4})}, 10);
}

std::string pair_json(rf::Pair p) {
    if (p[0] == p[1]) return std::to_string(p[0]);
    return "[" + std::to_string(p[0]) + ", " + std::to_string(p[1]) + "]";
}

// The file format of receptive_field_file.h, for a network Ganvas knows.
std::string network_json(const rf::Network& net) {
    std::string out = "{";
    if (net.input_size) out += "\"input_size\": " + pair_json(*net.input_size) + ",\n ";
    out += "\"layers\": [";
    for (size_t i = 0; i < net.layers.size(); ++i) {
        const rf::Layer& l = net.layers[i];
        out += std::string(i ? ",\n  " : "") + "{\"name\": \"" + l.name + "\", \"type\": \"" +
               rf::kind_name(l.kind) + "\", \"kernel\": " + pair_json(l.kernel) +
               ", \"stride\": " + pair_json(l.stride) + ", \"padding\": " + pair_json(l.padding) +
               ", \"dilation\": " + pair_json(l.dilation);
        if (rf::is_upsampling(l.kind)) out += ", \"scale\": " + pair_json(l.scale);
        if (!l.inputs.empty()) {
            out += ", \"inputs\": [";
            for (size_t k = 0; k < l.inputs.size(); ++k)
                out += std::string(k ? ", " : "") + "\"" + l.inputs[k] + "\"";
            out += "]";
        }
        out += "}";
    }
    return out + "]}\n";
}

void rf_seeds() {
    for (const std::string& name : rf::builtin_architecture_names())
        seed("rf_json", name + ".json", network_json(*rf::builtin_architecture(name)));
    // The README's example: every kind of layer, branches included.
    seed("rf_json", "readme.json", R"({"input_size": 224,
 "layers": [{"name": "conv1", "type": "conv", "kernel": 3, "stride": 1, "padding": 1, "dilation": 1},
            {"name": "pool1", "type": "maxpool", "kernel": 2, "stride": 2, "padding": 0},
            {"name": "up", "type": "deconv", "kernel": 4, "stride": 2, "padding": 1, "output_padding": 0},
            {"name": "near", "type": "upsample", "scale": 2},
            {"name": "bi", "type": "bilinear", "scale": [3, 2]},
            {"name": "cub", "type": "bicubic", "scale": 2},
            {"name": "skip", "type": "conv", "kernel": 1, "inputs": ["cub"]},
            {"name": "sum", "type": "add", "inputs": ["cub", "skip"]},
            {"name": "cat", "type": "concat", "inputs": ["sum", "skip"]},
            {"name": "act", "type": "elementwise"},
            {"name": "avg", "type": "avgpool", "kernel": [2, 3]},
            {"name": "fc", "type": "dense"}]})");
}

void experiment_seeds() {
    Experiment e;
    e.config.model = "dcgan28";
    e.budget = 500;
    e.hyper = {{"lr", 2e-4}, {"beta1", 0.5}};
    e.checkpoint = "run.safetensors";
    e.history = "run.history";
    write_experiment(seed_path("experiment", "run.json").string(), e);
    Experiment old;  // a file from before histories
    old.config.model = "gan_lab";
    old.config.data = "ring";
    write_experiment(seed_path("experiment", "old.json").string(), old);
}

// Every kind of feature column, on the features fuzz_column_file's records hold.
void column_file_seeds() {
    seed("column_file", "all_kinds.json", R"({"columns": [
 {"kind": "numeric_column", "key": "x", "shape": [2, 2], "normalizer": "z_score",
  "default_value": 0},
 {"kind": "bucketized_column", "boundaries": [0, 1, 5],
  "source_column": {"kind": "numeric_column", "key": "x", "shape": 4, "default_value": 0}},
 {"kind": "indicator_column", "categorical_column": {"kind": "weighted_categorical_column",
  "weight_feature_key": "w", "categorical_column": {"kind":
  "categorical_column_with_vocabulary_list", "key": "a", "vocabulary_list": ["p", "r"],
  "num_oov_buckets": 2}}},
 {"kind": "embedding_column", "dimension": 3, "combiner": "sqrtn", "categorical_column":
  {"kind": "categorical_column_with_hash_bucket", "key": "a", "hash_bucket_size": 7}},
 {"kind": "categorical_column_with_identity", "key": "n", "num_buckets": 8, "default_value": 0},
 {"kind": "indicator_column", "categorical_column": {"kind": "crossed_column",
  "hash_bucket_size": 11, "keys": ["a", {"kind": "categorical_column_with_identity",
  "key": "n", "num_buckets": 8, "default_value": 0}]}}]})");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: make_corpus DIR\n";
        return 2;
    }
    g_root = argv[1];
    try {
        npy_seeds();
        safetensors_seeds();
        idx_seeds();
        record_seeds();
        image_seeds();
        tensorboard_seeds();
        rf_seeds();
        experiment_seeds();
        column_file_seeds();
    } catch (const std::exception& e) {
        std::cerr << "make_corpus: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
