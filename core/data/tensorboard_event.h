// TensorBoard's event records: the protobuf `Event` messages a TFRecord-framed event
// file (events.out.tfevents.TIME.HOST) holds, encoded and decoded by hand from the
// published schema (tensorflow/core/util/event.proto, framework/summary.proto,
// framework/tensor.proto, tensor_shape.proto), fields this code does not use skipped:
//
//   Event          { double wall_time = 1; int64 step = 2;
//                    oneof { string file_version = 3; Summary summary = 5; ... } }
//   Summary        { repeated Value value = 1; }
//   Summary.Value  { string tag = 1; SummaryMetadata metadata = 9;
//                    oneof { float simple_value = 2; Image image = 4; TensorProto tensor = 8;
//                            ... } }
//   Summary.Image  { int32 height = 1; int32 width = 2; int32 colorspace = 3;
//                    bytes encoded_image_string = 4; }
//   SummaryMetadata{ PluginData plugin_data = 1 { string plugin_name = 1; bytes content = 2; } }
//   TensorProto    { DataType dtype = 1; TensorShapeProto tensor_shape = 2;
//                    bytes tensor_content = 4; repeated float float_val = 5;
//                    repeated double double_val = 6; repeated int32 int_val = 7;
//                    repeated bytes string_val = 8; repeated int64 int64_val = 10;
//                    repeated int32 half_val = 13; ... }
//   TensorShapeProto { repeated Dim dim = 2 { int64 size = 1; string name = 2; } }
//
// Writers put a scalar either in simple_value (PyTorch's SummaryWriter, tensorboardX)
// or, as TensorFlow 2 does, in a scalar tensor with the plugin "scalars"; text is a
// DT_STRING tensor with the plugin "text".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ganvas {

// TensorFlow's DataType numbers, the ones read here.
enum TensorDType {
    kDtFloat = 1,
    kDtDouble = 2,
    kDtInt32 = 3,
    kDtUint8 = 4,
    kDtInt16 = 5,
    kDtInt8 = 6,
    kDtString = 7,
    kDtInt64 = 9,
    kDtBool = 10,
    kDtBfloat16 = 14,
    kDtHalf = 19,
};

struct EventTensor {
    int dtype = 0;
    std::vector<int64_t> shape;  // empty: a scalar
    // The values, as numbers (numeric dtypes, from tensor_content or the *_val lists) or
    // byte strings (DT_STRING). Only the first kMaxValues are kept: a scalar needs one.
    std::vector<double> numbers;
    std::vector<std::string> strings;
    static constexpr size_t kMaxValues = 1 << 16;
};

struct EventImage {
    int height = 0, width = 0;
    int colorspace = 0;   // channels: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA
    std::string encoded;  // a PNG (or JPEG, GIF) file's bytes
};

struct SummaryValue {
    std::string tag;
    std::string plugin;  // metadata's plugin_name; "" when the value carries none
    enum class Kind { none, simple_value, image, tensor } kind = Kind::none;
    float simple_value = 0;
    EventImage image;
    EventTensor tensor;
};

struct Event {
    double wall_time = 0;  // seconds since 1970
    int64_t step = 0;
    std::string file_version;  // "brain.Event:2" in a file's first event
    std::vector<SummaryValue> values;
};

// Throws std::runtime_error "not a valid TensorBoard Event: PROBLEM".
Event parse_event(std::string_view bytes);
std::string serialize_event(const Event& event);

// Values as the writers here make them.
SummaryValue scalar_summary(const std::string& tag, float value);  // simple_value
SummaryValue image_summary(const std::string& tag, EventImage image);
SummaryValue text_summary(const std::string& tag, const std::string& text);  // the text plugin

}  // namespace ganvas
