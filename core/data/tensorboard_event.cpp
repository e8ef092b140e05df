#include "data/tensorboard_event.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "data/protobuf_wire.h"

namespace ganvas {
namespace {

using wire::kFixed32;
using wire::kFixed64;
using wire::kLength;
using wire::kVarint;

constexpr const char* kWhat = "TensorBoard Event";

wire::Reader reader_of(std::string_view bytes) {
    return wire::Reader{bytes, kWhat};
}

// IEEE 754 half precision (DT_HALF's bits) as a float.
float half_to_float(uint16_t h) {
    const int sign = h >> 15, exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF;
    float v;
    if (exponent == 0)
        v = std::ldexp(static_cast<float>(mantissa), -24);
    else if (exponent == 31)
        v = mantissa ? NAN : INFINITY;
    else
        v = std::ldexp(static_cast<float>(mantissa | 0x400), exponent - 25);
    return sign ? -v : v;
}

float bfloat16_to_float(uint16_t b) {
    const uint32_t bits = uint32_t(b) << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

uint64_t le_bits(std::string_view bytes) {
    uint64_t v = 0;
    for (size_t i = bytes.size(); i-- > 0;) v = (v << 8) | static_cast<uint8_t>(bytes[i]);
    return v;
}

// tensor_content: the values packed little-endian in the dtype's own width.
void decode_content(std::string_view content, EventTensor& t) {
    size_t width = 0;
    switch (t.dtype) {
        case kDtFloat:
        case kDtInt32:
            width = 4;
            break;
        case kDtDouble:
        case kDtInt64:
            width = 8;
            break;
        case kDtHalf:
        case kDtBfloat16:
        case kDtInt16:
            width = 2;
            break;
        case kDtUint8:
        case kDtInt8:
        case kDtBool:
            width = 1;
            break;
        default:
            return;  // a type without numbers to show
    }
    for (size_t at = 0; at + width <= content.size() && t.numbers.size() < EventTensor::kMaxValues;
         at += width) {
        const std::string_view one = content.substr(at, width);
        const uint64_t bits = le_bits(one);
        double v = 0;
        switch (t.dtype) {
            case kDtFloat:
                v = wire::Reader::float_of(one);
                break;
            case kDtDouble:
                v = wire::Reader::double_of(one);
                break;
            case kDtInt32:
                v = static_cast<int32_t>(bits);
                break;
            case kDtInt64:
                v = static_cast<double>(static_cast<int64_t>(bits));
                break;
            case kDtHalf:
                v = half_to_float(static_cast<uint16_t>(bits));
                break;
            case kDtBfloat16:
                v = bfloat16_to_float(static_cast<uint16_t>(bits));
                break;
            case kDtInt16:
                v = static_cast<int16_t>(bits);
                break;
            case kDtInt8:
                v = static_cast<int8_t>(bits);
                break;
            default:  // uint8, bool
                v = static_cast<double>(bits);
        }
        t.numbers.push_back(v);
    }
}

// A repeated number field, packed (one length-delimited run) or one value per field.
template <typename ReadOne>
void read_repeated(wire::Reader& r, int wire_type, int one_wire, EventTensor& t, ReadOne one) {
    if (wire_type == kLength && one_wire != kLength) {
        wire::Reader packed = r.sub();
        while (!packed.done())
            if (t.numbers.size() < EventTensor::kMaxValues)
                t.numbers.push_back(one(packed));
            else
                packed.skip(one_wire);
    } else if (wire_type == one_wire) {
        const double v = one(r);
        if (t.numbers.size() < EventTensor::kMaxValues) t.numbers.push_back(v);
    } else {
        r.malformed("a tensor's number list with wire type " + std::to_string(wire_type));
    }
}

std::vector<int64_t> parse_shape(wire::Reader r) {
    std::vector<int64_t> shape;
    while (!r.done()) {
        const auto [field, wire_type] = r.tag();
        if (field != 2 || wire_type != kLength) {
            r.skip(wire_type);
            continue;
        }
        wire::Reader dim = r.sub();
        int64_t size = 0;
        while (!dim.done()) {
            const auto [f, w] = dim.tag();
            if (f == 1 && w == kVarint)
                size = static_cast<int64_t>(dim.varint());
            else
                dim.skip(w);
        }
        shape.push_back(size);
    }
    return shape;
}

EventTensor parse_tensor(wire::Reader r) {
    EventTensor t;
    std::string_view content;
    bool has_content = false;
    while (!r.done()) {
        const auto [field, wire_type] = r.tag();
        auto varint_value = [](wire::Reader& x) { return static_cast<double>(x.varint()); };
        auto int32_value = [](wire::Reader& x) {
            return static_cast<double>(static_cast<int32_t>(x.varint()));
        };
        auto int64_value = [](wire::Reader& x) {
            return static_cast<double>(static_cast<int64_t>(x.varint()));
        };
        if (field == 1 && wire_type == kVarint) {
            t.dtype = static_cast<int>(r.varint());
        } else if (field == 2 && wire_type == kLength) {
            t.shape = parse_shape(r.sub());
        } else if (field == 4 && wire_type == kLength) {
            content = r.length_delimited();
            has_content = true;
        } else if (field == 5) {
            read_repeated(r, wire_type, kFixed32, t,
                          [](wire::Reader& x) { return double(x.fixed32_float()); });
        } else if (field == 6) {
            read_repeated(r, wire_type, kFixed64, t,
                          [](wire::Reader& x) { return x.fixed64_double(); });
        } else if (field == 7 || field == 11) {  // int_val (also int8/16, uint8), bool_val
            read_repeated(r, wire_type, kVarint, t, int32_value);
        } else if (field == 10) {
            read_repeated(r, wire_type, kVarint, t, int64_value);
        } else if (field == 13) {  // half_val: DT_HALF and DT_BFLOAT16 bits in int32s
            read_repeated(r, wire_type, kVarint, t, varint_value);
        } else if (field == 8 && wire_type == kLength) {
            const std::string_view s = r.length_delimited();
            if (t.strings.size() < EventTensor::kMaxValues) t.strings.emplace_back(s);
        } else {
            r.skip(wire_type);
        }
    }
    // half_val holds bit patterns (in the low 16 bits of each varint): read them as
    // the dtype says. Any other number under a half dtype (a float_val, say) is no
    // bit pattern, and a double outside uint64_t's range must not be converted to one:
    // it reads as NaN.
    if ((t.dtype == kDtHalf || t.dtype == kDtBfloat16) && !has_content)
        for (double& v : t.numbers) {
            if (!(v >= 0.0 && v < 18446744073709551616.0 && v == std::floor(v))) {
                v = std::numeric_limits<double>::quiet_NaN();
                continue;
            }
            const auto bits = static_cast<uint16_t>(static_cast<uint64_t>(v));
            v = t.dtype == kDtHalf ? half_to_float(bits) : bfloat16_to_float(bits);
        }
    if (has_content && t.dtype != kDtString) {
        t.numbers.clear();  // tensor_content holds the values when it is given
        decode_content(content, t);
    }
    return t;
}

EventImage parse_image(wire::Reader r) {
    EventImage image;
    while (!r.done()) {
        const auto [field, wire_type] = r.tag();
        if (field >= 1 && field <= 3 && wire_type == kVarint) {
            const int v = static_cast<int>(static_cast<int32_t>(r.varint()));
            (field == 1 ? image.height : field == 2 ? image.width : image.colorspace) = v;
        } else if (field == 4 && wire_type == kLength) {
            image.encoded = std::string(r.length_delimited());
        } else {
            r.skip(wire_type);
        }
    }
    return image;
}

std::string parse_plugin_name(wire::Reader metadata) {
    std::string name;
    while (!metadata.done()) {
        const auto [field, wire_type] = metadata.tag();
        if (field != 1 || wire_type != kLength) {
            metadata.skip(wire_type);
            continue;
        }
        wire::Reader plugin = metadata.sub();
        while (!plugin.done()) {
            const auto [f, w] = plugin.tag();
            if (f == 1 && w == kLength)
                name = std::string(plugin.length_delimited());
            else
                plugin.skip(w);
        }
    }
    return name;
}

SummaryValue parse_value(wire::Reader r) {
    SummaryValue v;
    while (!r.done()) {
        const auto [field, wire_type] = r.tag();
        if (field == 1 && wire_type == kLength) {
            v.tag = std::string(r.length_delimited());
        } else if (field == 9 && wire_type == kLength) {
            v.plugin = parse_plugin_name(r.sub());
        } else if (field == 2 && wire_type == kFixed32) {
            v.kind = SummaryValue::Kind::simple_value;
            v.simple_value = r.fixed32_float();
        } else if (field == 4 && wire_type == kLength) {
            v.kind = SummaryValue::Kind::image;
            v.image = parse_image(r.sub());
        } else if (field == 8 && wire_type == kLength) {
            v.kind = SummaryValue::Kind::tensor;
            v.tensor = parse_tensor(r.sub());
        } else {
            r.skip(wire_type);
        }
    }
    return v;
}

std::string serialize_tensor(const EventTensor& t) {
    std::string out;
    wire::put_varint_field(out, 1, static_cast<uint64_t>(t.dtype));
    std::string shape;
    for (int64_t size : t.shape) {
        std::string dim;
        wire::put_varint_field(dim, 1, static_cast<uint64_t>(size));
        wire::put_length_field(shape, 2, dim);
    }
    wire::put_length_field(out, 2, shape);
    for (const std::string& s : t.strings) wire::put_length_field(out, 8, s);
    if (!t.numbers.empty()) {
        std::string packed;
        for (double v : t.numbers) {
            uint64_t bits;
            std::memcpy(&bits, &v, 8);
            wire::put_fixed64(packed, bits);
        }
        wire::put_length_field(out, 6, packed);  // double_val
    }
    return out;
}

std::string serialize_value(const SummaryValue& v) {
    std::string out;
    wire::put_length_field(out, 1, v.tag);
    if (!v.plugin.empty()) {
        std::string plugin, metadata;
        wire::put_length_field(plugin, 1, v.plugin);
        wire::put_length_field(metadata, 1, plugin);
        wire::put_length_field(out, 9, metadata);
    }
    switch (v.kind) {
        case SummaryValue::Kind::simple_value:
            wire::put_float_field(out, 2, v.simple_value);
            break;
        case SummaryValue::Kind::image: {
            std::string image;
            wire::put_varint_field(image, 1, static_cast<uint64_t>(v.image.height));
            wire::put_varint_field(image, 2, static_cast<uint64_t>(v.image.width));
            wire::put_varint_field(image, 3, static_cast<uint64_t>(v.image.colorspace));
            wire::put_length_field(image, 4, v.image.encoded);
            wire::put_length_field(out, 4, image);
            break;
        }
        case SummaryValue::Kind::tensor:
            wire::put_length_field(out, 8, serialize_tensor(v.tensor));
            break;
        case SummaryValue::Kind::none:
            break;
    }
    return out;
}

}  // namespace

Event parse_event(std::string_view bytes) {
    Event event;
    wire::Reader r = reader_of(bytes);
    while (!r.done()) {
        const auto [field, wire_type] = r.tag();
        if (field == 1 && wire_type == kFixed64) {
            event.wall_time = r.fixed64_double();
        } else if (field == 2 && wire_type == kVarint) {
            event.step = static_cast<int64_t>(r.varint());
        } else if (field == 3 && wire_type == kLength) {
            event.file_version = std::string(r.length_delimited());
        } else if (field == 5 && wire_type == kLength) {
            wire::Reader summary = r.sub();
            while (!summary.done()) {
                const auto [f, w] = summary.tag();
                if (f == 1 && w == kLength)
                    event.values.push_back(parse_value(summary.sub()));
                else
                    summary.skip(w);
            }
        } else {
            r.skip(wire_type);
        }
    }
    return event;
}

std::string serialize_event(const Event& event) {
    std::string out;
    wire::put_double_field(out, 1, event.wall_time);
    if (event.step != 0) wire::put_varint_field(out, 2, static_cast<uint64_t>(event.step));
    if (!event.file_version.empty()) wire::put_length_field(out, 3, event.file_version);
    if (!event.values.empty()) {
        std::string summary;
        for (const SummaryValue& v : event.values)
            wire::put_length_field(summary, 1, serialize_value(v));
        wire::put_length_field(out, 5, summary);
    }
    return out;
}

SummaryValue scalar_summary(const std::string& tag, float value) {
    SummaryValue v;
    v.tag = tag;
    v.kind = SummaryValue::Kind::simple_value;
    v.simple_value = value;
    return v;
}

SummaryValue image_summary(const std::string& tag, EventImage image) {
    SummaryValue v;
    v.tag = tag;
    v.kind = SummaryValue::Kind::image;
    v.image = std::move(image);
    return v;
}

SummaryValue text_summary(const std::string& tag, const std::string& text) {
    SummaryValue v;
    v.tag = tag;
    v.plugin = "text";
    v.kind = SummaryValue::Kind::tensor;
    v.tensor.dtype = kDtString;
    v.tensor.shape = {1};
    v.tensor.strings = {text};
    return v;
}

}  // namespace ganvas
