// Event files built by hand from TensorBoard's published schema (the field numbers in
// data/tensorboard_event.h), byte by byte and without Ganvas's encoder, as PyTorch's
// SummaryWriter and TensorFlow 2 write them: what the reader must read when neither
// TensorBoard nor TensorFlow is installed to write real ones.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "data/tfrecord.h"

namespace ganvas::testing::tb {

inline std::string varint(uint64_t v) {
    std::string out;
    for (; v >= 0x80; v >>= 7) out += static_cast<char>((v & 0x7F) | 0x80);
    return out + static_cast<char>(v);
}
inline std::string key(int field, int wire) {
    return varint((uint64_t(field) << 3) | uint64_t(wire));
}
inline std::string bytes_field(int field, const std::string& payload) {
    return key(field, 2) + varint(payload.size()) + payload;
}
inline std::string varint_field(int field, uint64_t v) {
    return key(field, 0) + varint(v);
}
template <typename T>
std::string le(T v) {
    std::string out(sizeof v, '\0');
    std::memcpy(out.data(), &v, sizeof v);  // little-endian on the machines this runs on
    return out;
}
inline std::string float_field(int field, float v) {
    return key(field, 5) + le(v);
}
inline std::string double_field(int field, double v) {
    return key(field, 1) + le(v);
}

// Event{wall_time, step, summary{value...}}
inline std::string event(double wall_time, int64_t step, const std::vector<std::string>& values) {
    std::string summary;
    for (const std::string& v : values) summary += bytes_field(1, v);
    return double_field(1, wall_time) + varint_field(2, static_cast<uint64_t>(step)) +
           bytes_field(5, summary);
}
inline std::string version_event(double wall_time) {
    return double_field(1, wall_time) + bytes_field(3, "brain.Event:2");
}
inline std::string plugin_metadata(const std::string& plugin) {
    return bytes_field(9, bytes_field(1, bytes_field(1, plugin)));
}

// PyTorch's SummaryWriter.add_scalar: Value{tag, simple_value}.
inline std::string simple_value(const std::string& tag, float v) {
    return bytes_field(1, tag) + float_field(2, v);
}
// TensorFlow 2's tf.summary.scalar: a DT_FLOAT tensor of shape [] in tensor_content,
// the plugin named only when `first` (TF2 names it in a tag's first event only).
inline std::string tf2_scalar(const std::string& tag, float v, bool first) {
    const std::string tensor = varint_field(1, 1) + bytes_field(2, "") + bytes_field(4, le(v));
    return bytes_field(1, tag) + (first ? plugin_metadata("scalars") : "") + bytes_field(8, tensor);
}
// The same in float_val (packed) or double_val, as make_tensor_proto writes them.
inline std::string float_val_scalar(const std::string& tag, float v) {
    const std::string tensor = varint_field(1, 1) + bytes_field(2, "") + bytes_field(5, le(v));
    return bytes_field(1, tag) + plugin_metadata("scalars") + bytes_field(8, tensor);
}
inline std::string double_val_scalar(const std::string& tag, double v) {
    const std::string tensor = varint_field(1, 2) + bytes_field(2, "") + double_field(6, v);
    return bytes_field(1, tag) + plugin_metadata("scalars") + bytes_field(8, tensor);
}
// SummaryWriter.add_image: Value{tag, image{height, width, colorspace, png}}.
inline std::string image(const std::string& tag, int h, int w, int c, const std::string& png) {
    const std::string img = varint_field(1, static_cast<uint64_t>(h)) +
                            varint_field(2, static_cast<uint64_t>(w)) +
                            varint_field(3, static_cast<uint64_t>(c)) + bytes_field(4, png);
    return bytes_field(1, tag) + bytes_field(4, img);
}
// SummaryWriter.add_text: the text plugin, a DT_STRING tensor of shape [1].
inline std::string text(const std::string& tag, const std::string& s) {
    const std::string shape = bytes_field(2, varint_field(1, 1));
    const std::string tensor = varint_field(1, 7) + bytes_field(2, shape) + bytes_field(8, s);
    return bytes_field(1, tag) + plugin_metadata("text") + bytes_field(8, tensor);
}

// The records framed as a TFRecord file's bytes.
inline std::string file_bytes(const std::vector<std::string>& records) {
    std::string out;
    for (const std::string& r : records) out += frame_tfrecord(r);
    return out;
}

}  // namespace ganvas::testing::tb
