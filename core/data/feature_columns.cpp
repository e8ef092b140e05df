#include "data/feature_columns.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "data/tfrecord.h"
#include "io/image_png.h"
#include "io/printable.h"
#include "ops/shape_ops.h"
#include "tensor/limits.h"
#include "tensor/tensor.h"

namespace ganvas {
namespace {

const std::vector<std::string> kImageKeys = {"image", "image/encoded", "image_raw", "pixels", "x"};
const std::vector<std::string> kLabelKeys = {"label", "image/class/label", "class", "y"};
constexpr int64_t kMaxClass = 9999;  // one name per class is kept

std::string listed_features(const Example& ex) {
    std::string out;
    for (const auto& [key, f] : ex)
        out += (out.empty() ? "" : ", ") + printable(key) + " (" + feature_kind_name(f.kind) +
               " of " + std::to_string(f.size()) + ")";
    return out.empty() ? "no features" : "features " + out;
}

[[noreturn]] void fail_record(size_t index, const std::string& problem) {
    throw std::runtime_error("record " + std::to_string(index) + ": " + problem);
}

const Feature& feature_of(const Example& ex, const std::string& key, size_t index) {
    auto it = ex.find(key);
    if (it == ex.end())
        fail_record(index, "has no feature '" + key + "' (it has " + listed_features(ex) + ")");
    return it->second;
}

// The record's own height and width, when it states them.
std::pair<int64_t, int64_t> stated_size(const Example& ex) {
    for (const auto& [h, w] : {std::pair{"height", "width"}, {"image/height", "image/width"}}) {
        auto hi = ex.find(h), wi = ex.find(w);
        if (hi != ex.end() && wi != ex.end() && hi->second.ints.size() == 1 &&
            wi->second.ints.size() == 1)
            return {hi->second.ints[0], wi->second.ints[0]};
    }
    return {0, 0};
}

// The (H, W) of `count` values: the stated size, or a square.
std::pair<int64_t, int64_t> image_size(const Example& ex, size_t count, size_t index,
                                       const std::string& key) {
    auto [h, w] = stated_size(ex);
    if (h > 0 && w > 0) {
        // Checked before multiplying: 2^62+1 x 4 would wrap to 4 and match 4 values.
        if (h > kMaxImageSide || w > kMaxImageSide)
            fail_record(index, "says the image is " + std::to_string(h) + "x" + std::to_string(w) +
                                   ", larger than the limit of " + std::to_string(kMaxImageSide) +
                                   " pixels a side");
        if (static_cast<size_t>(h * w) != count)
            fail_record(index, "'" + key + "' holds " + std::to_string(count) +
                                   " values but the record says the image is " + std::to_string(h) +
                                   "x" + std::to_string(w) + " (Ganvas's models take gray images)");
        return {h, w};
    }
    const auto side = static_cast<int64_t>(std::llround(std::sqrt(static_cast<double>(count))));
    if (side > kMaxImageSide)
        fail_record(index, "'" + key + "' holds " + std::to_string(count) +
                               " values, an image larger than the limit of " +
                               std::to_string(kMaxImageSide) + " pixels a side");
    if (side < 1 || static_cast<size_t>(side * side) != count)
        fail_record(index, "'" + key + "' holds " + std::to_string(count) +
                               " values, not a square image; give the record int64 features "
                               "'height' and 'width'");
    return {side, side};
}

// One record's image as H*W values: in [-1, 1], or raw floats for a float_list.
std::vector<float> image_values(const Example& ex, const std::string& key, size_t index, int64_t& h,
                                int64_t& w) {
    const Feature& f = feature_of(ex, key, index);
    std::vector<float> values;
    if (f.kind == Feature::Kind::bytes) {
        if (f.bytes.size() != 1)
            fail_record(index, "'" + key + "' holds " + std::to_string(f.bytes.size()) +
                                   " byte strings; an image is one");
        const std::string& bytes = f.bytes[0];
        if (looks_like_encoded_image(bytes)) {
            const Tensor img = decode_image(bytes, 1, "record " + std::to_string(index));
            h = img.size(2);
            w = img.size(3);
            return std::vector<float>(img.data(), img.data() + img.numel());
        }
        std::tie(h, w) = image_size(ex, bytes.size(), index, key);
        for (unsigned char b : bytes) values.push_back(pixel_from_byte(b));
    } else if (f.kind == Feature::Kind::ints) {
        std::tie(h, w) = image_size(ex, f.ints.size(), index, key);
        for (int64_t v : f.ints) {
            if (v < 0 || v > 255)
                fail_record(index, "'" + key + "' has pixel value " + std::to_string(v) +
                                       ", outside 0..255");
            values.push_back(pixel_from_byte(static_cast<uint8_t>(v)));
        }
    } else if (f.kind == Feature::Kind::floats) {
        std::tie(h, w) = image_size(ex, f.floats.size(), index, key);
        values = f.floats;
    } else {
        fail_record(index, "'" + key + "' holds no list");
    }
    return values;
}

// float_list pixels (N, H*W) to [-1, 1] by the range of the whole dataset (see the header).
void scale_float_pixels(float* p, int64_t n, int64_t per_image) {
    float lo = 0, hi = 0;
    for (int64_t i = 0; i < n; ++i) {
        if (!std::isfinite(p[i]))
            fail_record(static_cast<size_t>(i / per_image),
                        "image value " + std::to_string(i % per_image) + " is " + number_str(p[i]));
        lo = std::min(lo, p[i]);
        hi = std::max(hi, p[i]);
    }
    if (lo < 0) {
        if (lo < -1 || hi > 1)
            throw std::runtime_error("float pixels span [" + number_str(lo) + ", " +
                                     number_str(hi) +
                                     "]; with negative values they must lie "
                                     "in [-1, 1]");
        return;
    }
    if (hi > 255)
        throw std::runtime_error("float pixels reach " + number_str(hi) +
                                 "; expected [0, 1], [0, 255] or [-1, 1]");
    // Divide, not multiply by 1 / 127.5: whole values then match raw bytes exactly.
    const float divisor = hi > 1 ? 127.5f : 0.5f;
    for (int64_t i = 0; i < n; ++i) p[i] = p[i] / divisor - 1.0f;
}

std::string first_present(const Example& ex, const std::vector<std::string>& keys) {
    for (const std::string& k : keys)
        if (ex.count(k)) return k;
    return "";
}

}  // namespace

FeatureColumns resolve_columns(const Example& first, const FeatureColumns& wanted) {
    FeatureColumns out = wanted;
    if (out.image.empty()) {
        out.image = first_present(first, kImageKeys);
        if (out.image.empty())
            throw std::runtime_error(
                "record 0 has none of the image features Ganvas looks for "
                "(image, image/encoded, image_raw, pixels, x); it has " +
                listed_features(first) + "; name one with image=KEY");
    }
    feature_of(first, out.image, 0);
    if (out.label.empty())
        out.label = first_present(first, kLabelKeys);
    else
        feature_of(first, out.label, 0);
    return out;
}

ImageDataset dataset_from_examples(const std::vector<Example>& examples,
                                   const FeatureColumns& columns) {
    if (examples.empty()) throw std::runtime_error("holds no records");
    const auto n = static_cast<int64_t>(examples.size());
    const Feature::Kind kind = feature_of(examples[0], columns.image, 0).kind;
    ImageDataset data;
    int64_t h0 = 0, w0 = 0;
    for (int64_t i = 0; i < n; ++i) {
        const Example& ex = examples[i];
        if (feature_of(ex, columns.image, i).kind != kind)
            fail_record(i, "'" + columns.image + "' is a " +
                               feature_kind_name(ex.at(columns.image).kind) + ", record 0's a " +
                               feature_kind_name(kind));
        int64_t h = 0, w = 0;
        const std::vector<float> values = image_values(ex, columns.image, i, h, w);
        if (i == 0) {
            h0 = h;
            w0 = w;
            data.images = Tensor::empty({n, 1, h, w});  // (N, 1, H, W)
        } else if (h != h0 || w != w0) {
            fail_record(i, "its image is " + std::to_string(h) + "x" + std::to_string(w) +
                               ", record 0's " + std::to_string(h0) + "x" + std::to_string(w0));
        }
        std::copy(values.begin(), values.end(), data.images.data() + i * h0 * w0);
    }
    if (kind == Feature::Kind::floats)
        scale_float_pixels(data.images.data(), data.images.numel(), h0 * w0);
    if (columns.label.empty()) return data;

    data.labels = Tensor::empty({n}, DType::i64);  // (N,)
    int64_t largest = 0;
    for (int64_t i = 0; i < n; ++i) {
        const Feature& f = feature_of(examples[i], columns.label, i);
        if (f.kind != Feature::Kind::ints || f.ints.size() != 1 || f.ints[0] < 0)
            fail_record(i, "label '" + columns.label + "' must be one int64 >= 0, it is a " +
                               feature_kind_name(f.kind) + " of " + std::to_string(f.size()));
        data.labels.data_i64()[i] = f.ints[0];
        largest = std::max(largest, f.ints[0]);
    }
    if (largest > kMaxClass)
        throw std::runtime_error("label " + std::to_string(largest) +
                                 " is too large for a class "
                                 "index (at most " +
                                 std::to_string(kMaxClass) + ")");
    data.class_names = numbered_classes(data.labels);
    return data;
}

void save_images_tfrecord(const std::string& path, const Tensor& images) {
    if (images.dim() != 4 || images.size(1) != 1)
        throw std::runtime_error(path + ": TFRecord images must be gray (N, 1, H, W), got " +
                                 shape_str(images.shape()));
    const int64_t h = images.size(2), w = images.size(3);
    std::vector<std::string> records;
    for (int64_t i = 0; i < images.size(0); ++i) {
        const Tensor image = squeeze(narrow(images, 0, i, 1), 0);  // (1, H, W)
        const std::vector<uint8_t> pixels = to_interleaved_bytes(image);
        Example ex;
        ex["image"] = Feature::of_bytes(
            {encode_png(static_cast<int>(w), static_cast<int>(h), 1, pixels.data())});
        ex["height"] = Feature::of_ints({h});
        ex["width"] = Feature::of_ints({w});
        records.push_back(serialize_example(ex));
    }
    write_tfrecord(path, records);
}

}  // namespace ganvas
