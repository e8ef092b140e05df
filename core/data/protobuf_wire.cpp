#include "data/protobuf_wire.h"

#include <cstring>
#include <stdexcept>

namespace ganvas::wire {

void Reader::malformed(const std::string& problem) const {
    throw std::runtime_error(std::string("not a valid ") + what + ": " + problem);
}

uint64_t Reader::varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        if (data.empty()) malformed("the data ends inside a varint");
        const auto byte = static_cast<uint8_t>(data.front());
        data.remove_prefix(1);
        v |= uint64_t(byte & 0x7F) << shift;
        if (!(byte & 0x80)) return v;
    }
    malformed("a varint longer than 10 bytes");
}

std::string_view Reader::take(uint64_t n) {
    if (n > data.size()) malformed("a length runs past the end of its message");
    std::string_view out = data.substr(0, n);
    data.remove_prefix(n);
    return out;
}

std::pair<uint64_t, int> Reader::tag() {
    const uint64_t t = varint();
    return {t >> 3, static_cast<int>(t & 7)};
}

void Reader::skip(int wire) {
    switch (wire) {
        case kVarint:
            varint();
            return;
        case kFixed64:
            take(8);
            return;
        case kLength:
            take(varint());
            return;
        case kFixed32:
            take(4);
            return;
        default:
            malformed("wire type " + std::to_string(wire) +
                      (wire == 3 || wire == 4 ? " (a group: wire types 3 and 4) is not used"
                                              : " is invalid (protobuf uses 0 to 5)"));
    }
}

float Reader::float_of(std::string_view four) {
    uint32_t bits = 0;
    for (int i = 3; i >= 0; --i) bits = (bits << 8) | static_cast<uint8_t>(four[i]);
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

double Reader::double_of(std::string_view eight) {
    uint64_t bits = 0;
    for (int i = 7; i >= 0; --i) bits = (bits << 8) | static_cast<uint8_t>(eight[i]);
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
}

void put_varint(std::string& out, uint64_t v) {
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7F) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
}

void put_key(std::string& out, int field, WireType wire) {
    put_varint(out, (uint64_t(field) << 3) | wire);
}

void put_length_field(std::string& out, int field, std::string_view payload) {
    put_key(out, field, kLength);
    put_varint(out, payload.size());
    out += payload;
}

void put_varint_field(std::string& out, int field, uint64_t v) {
    put_key(out, field, kVarint);
    put_varint(out, v);
}

void put_fixed32(std::string& out, uint32_t bits) {
    for (int i = 0; i < 4; ++i) out += static_cast<char>((bits >> (8 * i)) & 0xFF);
}

void put_fixed64(std::string& out, uint64_t bits) {
    for (int i = 0; i < 8; ++i) out += static_cast<char>((bits >> (8 * i)) & 0xFF);
}

void put_float_field(std::string& out, int field, float v) {
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    put_key(out, field, kFixed32);
    put_fixed32(out, bits);
}

void put_double_field(std::string& out, int field, double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, 8);
    put_key(out, field, kFixed64);
    put_fixed64(out, bits);
}

}  // namespace ganvas::wire
