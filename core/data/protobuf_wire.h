// The protobuf wire format, by hand: a cursor that reads fields and the few writers the
// serializers here need (tf.Example, TensorBoard's Event). Ganvas reads only small,
// fixed schemas, so it carries these forty lines instead of a protobuf library and
// generated code; see README "TensorBoard" for the reasoning.
//
// A message is a run of fields, each a varint key (field number << 3 | wire type)
// followed by its value: a varint, 8 or 4 little-endian bytes, or a varint length and
// that many bytes (strings, bytes, nested messages, packed repeated numbers).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace ganvas::wire {

enum WireType { kVarint = 0, kFixed64 = 1, kLength = 2, kFixed32 = 5 };

// A cursor over one message's bytes. Malformed bytes throw std::runtime_error
// "not a valid WHAT: PROBLEM", WHAT being the message kind the caller names.
struct Reader {
    std::string_view data;
    const char* what = "protobuf message";

    bool done() const { return data.empty(); }
    uint64_t varint();
    std::string_view take(uint64_t n);
    std::string_view length_delimited() { return take(varint()); }
    // Field number and wire type of the next field.
    std::pair<uint64_t, int> tag();
    void skip(int wire);
    // A sub-message's reader, naming the same kind in its errors.
    Reader sub() { return Reader{length_delimited(), what}; }
    float fixed32_float() { return float_of(take(4)); }
    double fixed64_double() { return double_of(take(8)); }

    [[noreturn]] void malformed(const std::string& problem) const;

    static float float_of(std::string_view four);  // little-endian IEEE 754
    static double double_of(std::string_view eight);
};

void put_varint(std::string& out, uint64_t v);
void put_key(std::string& out, int field, WireType wire);
void put_length_field(std::string& out, int field, std::string_view payload);
void put_varint_field(std::string& out, int field, uint64_t v);
void put_float_field(std::string& out, int field, float v);
void put_double_field(std::string& out, int field, double v);
void put_fixed32(std::string& out, uint32_t bits);
void put_fixed64(std::string& out, uint64_t bits);

}  // namespace ganvas::wire
