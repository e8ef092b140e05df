#include "data/tf_example.h"

#include <cstring>
#include <stdexcept>
#include <string_view>

#include "data/protobuf_wire.h"

namespace ganvas {
namespace {

using wire::kFixed32;
using wire::kLength;
using wire::kVarint;
using wire::put_length_field;
using wire::put_varint;

[[noreturn]] void malformed(const std::string& problem) {
    throw std::runtime_error("not a valid tf.Example: " + problem);
}

// A cursor whose errors name tf.Example.
struct WireReader : wire::Reader {
    explicit WireReader(std::string_view bytes) : wire::Reader{bytes, "tf.Example"} {}
};

float float_at(std::string_view four) {
    return wire::Reader::float_of(four);
}

void parse_list(std::string_view bytes, Feature& feature) {
    WireReader r(bytes);
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
            WireReader packed(r.take(r.varint()));
            while (!packed.done()) feature.ints.push_back(static_cast<int64_t>(packed.varint()));
        } else {
            malformed(std::string("a ") + feature_kind_name(feature.kind) +
                      " value with wire type " + std::to_string(wire));
        }
    }
}

Feature parse_feature(std::string_view bytes) {
    Feature feature;
    WireReader r(bytes);
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
    WireReader r(bytes);
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
    WireReader r(serialized);
    while (!r.done()) {
        const auto [field, wire] = r.tag();
        if (field != 1 || wire != kLength) {
            r.skip(wire);
            continue;
        }
        WireReader features(r.take(r.varint()));
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
