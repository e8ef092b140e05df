#include "data/tf_example.h"

#include <cstring>
#include <stdexcept>
#include <string_view>

namespace ganvas {
namespace {

enum WireType { kVarint = 0, kFixed64 = 1, kLength = 2, kFixed32 = 5 };

[[noreturn]] void malformed(const std::string& problem) {
    throw std::runtime_error("not a valid tf.Example: " + problem);
}

// A cursor over protobuf wire bytes.
struct WireReader {
    std::string_view data;

    bool done() const { return data.empty(); }

    uint64_t varint() {
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

    std::string_view take(uint64_t n) {
        if (n > data.size()) malformed("a length runs past the end of its message");
        std::string_view out = data.substr(0, n);
        data.remove_prefix(n);
        return out;
    }

    // Field number and wire type of the next field.
    std::pair<uint64_t, int> tag() {
        const uint64_t t = varint();
        return {t >> 3, static_cast<int>(t & 7)};
    }

    void skip(int wire) {
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
};

float float_at(std::string_view four) {
    uint32_t bits = 0;
    for (int i = 3; i >= 0; --i) bits = (bits << 8) | static_cast<uint8_t>(four[i]);
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

void parse_list(std::string_view bytes, Feature& feature) {
    WireReader r{bytes};
    while (!r.done()) {
        const auto [field, wire] = r.tag();
        if (field != 1) {
            r.skip(wire);
            continue;
        }
        if (feature.kind == Feature::Kind::bytes && wire == kLength) {
            feature.bytes.emplace_back(r.take(r.varint()));
        } else if (feature.kind == Feature::Kind::floats && wire == kFixed32) {
            feature.floats.push_back(float_at(r.take(4)));
        } else if (feature.kind == Feature::Kind::floats && wire == kLength) {
            std::string_view packed = r.take(r.varint());
            if (packed.size() % 4)
                malformed("a packed float list of " + std::to_string(packed.size()) + " bytes");
            for (size_t i = 0; i < packed.size(); i += 4)
                feature.floats.push_back(float_at(packed.substr(i, 4)));
        } else if (feature.kind == Feature::Kind::ints && wire == kVarint) {
            feature.ints.push_back(static_cast<int64_t>(r.varint()));
        } else if (feature.kind == Feature::Kind::ints && wire == kLength) {
            WireReader packed{r.take(r.varint())};
            while (!packed.done()) feature.ints.push_back(static_cast<int64_t>(packed.varint()));
        } else {
            malformed(std::string("a ") + feature_kind_name(feature.kind) +
                      " value with wire type " + std::to_string(wire));
        }
    }
}

Feature parse_feature(std::string_view bytes) {
    Feature feature;
    WireReader r{bytes};
    while (!r.done()) {
        const auto [field, wire] = r.tag();
        if (field < 1 || field > 3 || wire != kLength) {
            r.skip(wire);
            continue;
        }
        // A oneof: the last list given wins, as in protobuf.
        feature = Feature{};
        feature.kind = field == 1   ? Feature::Kind::bytes
                       : field == 2 ? Feature::Kind::floats
                                    : Feature::Kind::ints;
        parse_list(r.take(r.varint()), feature);
    }
    return feature;
}

void parse_map_entry(std::string_view bytes, Example& example) {
    std::string key;
    Feature value;
    WireReader r{bytes};
    while (!r.done()) {
        const auto [field, wire] = r.tag();
        if (field == 1 && wire == kLength)
            key = std::string(r.take(r.varint()));
        else if (field == 2 && wire == kLength)
            value = parse_feature(r.take(r.varint()));
        else
            r.skip(wire);
    }
    example[key] = std::move(value);  // a repeated key: the last one wins, as in protobuf
}

void put_varint(std::string& out, uint64_t v) {
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7F) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
}

void put_length_field(std::string& out, int field, const std::string& payload) {
    put_varint(out, (uint64_t(field) << 3) | kLength);
    put_varint(out, payload.size());
    out += payload;
}

std::string serialize_feature(const Feature& f) {
    std::string list;
    switch (f.kind) {
        case Feature::Kind::none:
            return "";
        case Feature::Kind::bytes:
            for (const std::string& b : f.bytes) put_length_field(list, 1, b);
            break;
        case Feature::Kind::floats: {
            std::string packed;
            for (float v : f.floats) {
                uint32_t bits;
                std::memcpy(&bits, &v, 4);
                for (int i = 0; i < 4; ++i) packed += static_cast<char>((bits >> (8 * i)) & 0xFF);
            }
            if (!packed.empty()) put_length_field(list, 1, packed);
            break;
        }
        case Feature::Kind::ints: {
            std::string packed;
            for (int64_t v : f.ints) put_varint(packed, static_cast<uint64_t>(v));
            if (!packed.empty()) put_length_field(list, 1, packed);
            break;
        }
    }
    std::string out;
    put_length_field(out, static_cast<int>(f.kind), list);  // Kind's order is the field number
    return out;
}

}  // namespace

size_t Feature::size() const {
    switch (kind) {
        case Kind::bytes:
            return bytes.size();
        case Kind::floats:
            return floats.size();
        case Kind::ints:
            return ints.size();
        case Kind::none:
            break;
    }
    return 0;
}

Feature Feature::of_bytes(std::vector<std::string> values) {
    Feature f;
    f.kind = Kind::bytes;
    f.bytes = std::move(values);
    return f;
}

Feature Feature::of_floats(std::vector<float> values) {
    Feature f;
    f.kind = Kind::floats;
    f.floats = std::move(values);
    return f;
}

Feature Feature::of_ints(std::vector<int64_t> values) {
    Feature f;
    f.kind = Kind::ints;
    f.ints = std::move(values);
    return f;
}

const char* feature_kind_name(Feature::Kind kind) {
    switch (kind) {
        case Feature::Kind::bytes:
            return "bytes_list";
        case Feature::Kind::floats:
            return "float_list";
        case Feature::Kind::ints:
            return "int64_list";
        case Feature::Kind::none:
            break;
    }
    return "no list";
}

Example parse_example(const std::string& serialized) {
    Example example;
    WireReader r{serialized};
    while (!r.done()) {
        const auto [field, wire] = r.tag();
        if (field != 1 || wire != kLength) {
            r.skip(wire);
            continue;
        }
        WireReader features{r.take(r.varint())};
        while (!features.done()) {
            const auto [f, w] = features.tag();
            if (f == 1 && w == kLength)
                parse_map_entry(features.take(features.varint()), example);
            else
                features.skip(w);
        }
    }
    return example;
}

std::string serialize_example(const Example& example) {
    std::string features;
    for (const auto& [key, feature] : example) {
        std::string entry;
        put_length_field(entry, 1, key);
        put_length_field(entry, 2, serialize_feature(feature));
        put_length_field(features, 1, entry);
    }
    std::string out;
    put_length_field(out, 1, features);
    return out;
}

}  // namespace ganvas
