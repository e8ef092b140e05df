#include "io/npy.h"

#include <bit>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <vector>

#include "io/atomic_file.h"
#include "io/printable.h"
#include "io/regular_file.h"
#include "tensor/limits.h"

// The format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
//   "\x93NUMPY" major minor | header length (u16 LE in v1, u32 LE in v2/v3) |
//   header: a Python dict literal, space padded, ending in '\n' | raw data.
// Raw tensor bytes are copied straight to and from disk, which needs a
// little-endian host (the '<' in every dtype we handle).
static_assert(std::endian::native == std::endian::little, "npy I/O assumes a little-endian host");

namespace ganvas {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicLen = 6;
constexpr size_t kAlign = 64;  // numpy pads magic + length + header to 64 bytes

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
    throw std::runtime_error(path + ": " + problem);
}

// -- header writing -----------------------------------------------------------

std::string shape_tuple(const Shape& shape) {
    std::string s = "(";
    for (size_t i = 0; i < shape.size(); ++i) {
        if (i) s += ", ";
        s += std::to_string(shape[i]);
    }
    if (shape.size() == 1) s += ",";
    return s + ")";
}

// The dict exactly as numpy 1.24 formats it, including the spaces it reserves so
// that the first dimension can later grow in place (GROWTH_AXIS_MAX_DIGITS = 21).
std::string header_dict(const char* descr, const Shape& shape) {
    std::string dict = std::string("{'descr': '") + descr +
                       "', 'fortran_order': False, 'shape': " + shape_tuple(shape) + ", }";
    if (!shape.empty()) dict.append(21 - std::to_string(shape[0]).size(), ' ');
    return dict;
}

// -- header parsing -------------------------------------------------------------

struct NpyHeader {
    std::string descr;
    bool fortran_order = false;
    Shape shape;
};

// A recursive-descent reader for the one dict shape numpy writes:
// {'descr': STR, 'fortran_order': BOOL, 'shape': (INT, ...), }. Strict enough to
// catch garbage, lenient about spacing, quotes and Python 2's "3L" integers.
class HeaderParser {
public:
    HeaderParser(const std::string& text, const std::string& path) : s_(text), path_(path) {}

    NpyHeader parse() {
        NpyHeader h;
        bool have_descr = false, have_order = false, have_shape = false;
        expect('{');
        while (!peek('}')) {
            std::string key = parse_string();
            expect(':');
            if (key == "descr") {
                if (peek('['))
                    fail(path_,
                         "the dtype is structured (a list of named fields), which is not "
                         "supported; save a plain array of float32, float64 or int64");
                h.descr = parse_string();
                have_descr = true;
            } else if (key == "fortran_order") {
                h.fortran_order = parse_bool();
                have_order = true;
            } else if (key == "shape") {
                h.shape = parse_tuple();
                have_shape = true;
            } else {
                error("unexpected key '" + printable(key) + "'");
            }
            if (!peek('}')) expect(',');
        }
        expect('}');
        // numpy pads with spaces and ends with '\n'; anything else is not its header.
        skip_space();
        if (i_ < s_.size())
            error("unexpected text after the closing '}': " + printable(s_.substr(i_)));
        if (!have_descr || !have_order || !have_shape)
            error("it lacks one of 'descr', 'fortran_order' and 'shape'");
        return h;
    }

private:
    void skip_space() {
        while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
    }
    bool peek(char c) {
        skip_space();
        return i_ < s_.size() && s_[i_] == c;
    }
    void expect(char c) {
        if (!peek(c)) error(std::string("expected '") + c + "'");
        ++i_;
    }
    [[noreturn]] void error(const std::string& what) {
        fail(path_, "malformed .npy header at character " + std::to_string(i_) + ": " + what);
    }

    std::string parse_string() {
        skip_space();
        if (i_ >= s_.size() || (s_[i_] != '\'' && s_[i_] != '"')) error("expected a quoted string");
        const char quote = s_[i_++];
        size_t end = s_.find(quote, i_);
        if (end == std::string::npos) error("unterminated string");
        std::string out = s_.substr(i_, end - i_);
        i_ = end + 1;
        return out;
    }

    bool parse_bool() {
        skip_space();
        for (bool value : {true, false}) {
            const std::string word = value ? "True" : "False";
            if (s_.compare(i_, word.size(), word) == 0) {
                i_ += word.size();
                return value;
            }
        }
        error("expected True or False");
    }

    Shape parse_tuple() {
        Shape shape;
        expect('(');
        while (!peek(')')) {
            shape.push_back(parse_dimension());
            if (!peek(')')) expect(',');
        }
        expect(')');
        return shape;
    }

    int64_t parse_dimension() {
        skip_space();
        if (i_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[i_])))
            error("expected a non-negative integer dimension");
        int64_t value = 0;
        while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) {
            const int digit = s_[i_++] - '0';
            if (value > (std::numeric_limits<int64_t>::max() - digit) / 10)
                error("dimension too large");
            value = value * 10 + digit;
        }
        if (i_ < s_.size() && s_[i_] == 'L') ++i_;  // Python 2 long
        return value;
    }

    const std::string& s_;
    const std::string& path_;
    size_t i_ = 0;
};

uint32_t read_le(const unsigned char* p, int bytes) {
    uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

// Element count times item size, or -1 if it overflows (a hostile or corrupt shape).
int64_t checked_bytes(const Shape& shape, int64_t item_size) {
    int64_t n = item_size;
    for (int64_t d : shape) {
        if (d != 0 && n > std::numeric_limits<int64_t>::max() / d) return -1;
        n *= d;
    }
    return n;
}

}  // namespace

void save_npy(const std::string& path, const Tensor& t) {
    if (!t.defined()) fail(path, "cannot save an undefined tensor");
    if (t.device() != Device::cpu) fail(path, "cannot save a GPU tensor; copy it to the CPU first");
    const char* descr = t.dtype() == DType::f32 ? "<f4" : "<i8";

    std::string header = header_dict(descr, t.shape());
    const size_t prefix = kMagicLen + 2 + 2;             // magic, version, u16 length
    const size_t unpadded = prefix + header.size() + 1;  // + '\n'
    header.append(kAlign - unpadded % kAlign, ' ');
    header += '\n';
    if (header.size() > 0xFFFF)
        fail(path, "shape " + shape_str(t.shape()) + " is too long for a .npy 1.0 header");

    const unsigned char preamble[10] = {0x93,
                                        'N',
                                        'U',
                                        'M',
                                        'P',
                                        'Y',
                                        1,
                                        0,
                                        static_cast<unsigned char>(header.size() & 0xFF),
                                        static_cast<unsigned char>(header.size() >> 8)};
    const size_t data_bytes = static_cast<size_t>(t.numel()) * dtype_size(t.dtype());
    write_file_atomic(path, [&](std::ostream& out) {
        out.write(reinterpret_cast<const char*>(preamble), sizeof preamble);
        out.write(header.data(), static_cast<std::streamsize>(header.size()));
        out.write(static_cast<const char*>(t.raw()), static_cast<std::streamsize>(data_bytes));
    });
}

Tensor load_npy(const std::string& path) {
    if (const std::string why = why_not_readable(path); !why.empty())
        fail(path, "cannot open: " + why);
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) fail(path, std::string("cannot open: ") + std::strerror(errno));
    const int64_t file_size = in.tellg();
    in.seekg(0);

    unsigned char preamble[12] = {};
    if (file_size < 10 || !in.read(reinterpret_cast<char*>(preamble), 8))
        fail(path, "too short to be a .npy file (" + std::to_string(file_size) + " bytes)");
    if (std::memcmp(preamble, kMagic, kMagicLen) != 0)
        fail(path, "not a .npy file: bad magic (expected \\x93NUMPY)");
    const int major = preamble[6], minor = preamble[7];
    if (major < 1 || major > 3 || minor != 0)
        fail(path, "unsupported .npy version " + std::to_string(major) + "." +
                       std::to_string(minor) + " (reads 1.0, 2.0 and 3.0)");
    const int length_bytes = major == 1 ? 2 : 4;
    if (!in.read(reinterpret_cast<char*>(preamble + 8), length_bytes))
        fail(path, "truncated: the file ends inside the .npy preamble");
    const int64_t header_len = read_le(preamble + 8, length_bytes);
    const int64_t data_offset = 8 + length_bytes + header_len;
    if (data_offset > file_size)
        fail(path, "truncated: the header says it is " + std::to_string(header_len) +
                       " bytes but the file ends first");

    std::string text(static_cast<size_t>(header_len), '\0');
    in.read(text.data(), header_len);
    const NpyHeader header = HeaderParser(text, path).parse();

    if (header.fortran_order)
        fail(path, "Fortran-order arrays are not supported; save with np.ascontiguousarray");
    const bool is_f64 = header.descr == "<f8";  // numpy's default float, narrowed below
    if (header.descr != "<f4" && header.descr != "<i8" && !is_f64)
        fail(path, "unsupported dtype '" + printable(header.descr) + "' (reads <f4, <i8 and <f8)");
    const DType dtype = header.descr == "<i8" ? DType::i64 : DType::f32;
    const int64_t item_size = is_f64 ? 8 : static_cast<int64_t>(dtype_size(dtype));

    // Before anything is sized by the header: a shape within the tensor limit also
    // keeps every offset computed over it within int64.
    try {
        check_tensor_shape(header.shape);
    } catch (const std::invalid_argument& e) {
        fail(path, e.what());
    }
    const int64_t data_bytes = checked_bytes(header.shape, item_size);
    if (data_bytes < 0) fail(path, "shape " + shape_str(header.shape) + " is impossibly large");
    const int64_t held = file_size - data_offset;
    const int64_t count = data_bytes / item_size;
    if (held < data_bytes)
        fail(path, "truncated: header says " + std::to_string(count) + " values of " +
                       header.descr + " but the file holds " + std::to_string(held / item_size) +
                       " (the data starts at byte " + std::to_string(data_offset) + " and needs " +
                       std::to_string(data_bytes) + " bytes; the file ends at byte " +
                       std::to_string(file_size) + ")");
    if (held > data_bytes)
        fail(path, std::to_string(held - data_bytes) + " unexpected bytes from byte " +
                       std::to_string(data_offset + data_bytes) + ", after the " +
                       std::to_string(count) + " values the header declares");

    Tensor t = Tensor::empty(header.shape, dtype);
    if (is_f64) {
        std::vector<double> wide(static_cast<size_t>(count));
        in.read(reinterpret_cast<char*>(wide.data()), data_bytes);
        float* dst = t.data();
        for (int64_t i = 0; i < count; ++i) dst[i] = static_cast<float>(wide[i]);
    } else {
        in.read(static_cast<char*>(t.raw()), data_bytes);
    }
    if (!in) fail(path, "read error while loading the data");
    return t;
}

}  // namespace ganvas
