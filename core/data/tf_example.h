// tf.Example, the record TensorFlow users keep in TFRecord files: a map from feature
// names to lists of bytes, floats or int64s.
//
// The protobuf schema (tensorflow/core/example/{example,feature}.proto), decoded here
// by hand from the wire format so Ganvas needs no protobuf library:
//   Example   { Features features = 1; }
//   Features  { map<string, Feature> feature = 1; }   entries: key = 1, value = 2
//   Feature   { oneof { BytesList bytes_list = 1; FloatList float_list = 2;
//                       Int64List int64_list = 3; } }
//   BytesList { repeated bytes value = 1; }
//   FloatList { repeated float value = 1 [packed = true]; }
//   Int64List { repeated int64 value = 1 [packed = true]; }
// Packed and unpacked lists both parse; fields this schema does not know are skipped,
// as protobuf does.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ganvas {

struct Feature {
    enum class Kind { none, bytes, floats, ints };
    Kind kind = Kind::none;
    std::vector<std::string> bytes;
    std::vector<float> floats;
    std::vector<int64_t> ints;

    size_t size() const;  // values in the list that `kind` names

    // A feature holding one list, as tf.train.Feature(int64_list=...) and its kin build one.
    static Feature of_bytes(std::vector<std::string> values);
    static Feature of_floats(std::vector<float> values);
    static Feature of_ints(std::vector<int64_t> values);
};

// "bytes_list", "float_list", "int64_list" or "no list": the schema's names.
const char* feature_kind_name(Feature::Kind kind);

using Example = std::map<std::string, Feature>;

// Throws std::runtime_error saying what is malformed ("the data ends inside a varint",
// "a length runs past the end", ...) for bytes that are not a serialized tf.Example.
Example parse_example(const std::string& serialized);

// The wire bytes of `example`: features in key order, float and int64 lists packed,
// as TensorFlow writes them.
std::string serialize_example(const Example& example);

}  // namespace ganvas
