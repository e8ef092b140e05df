// .npy round trips, the exact bytes numpy writes, and every way a file can be bad.
#include <gtest/gtest.h>

#include <stdlib.h>
#include "support/test_files.h"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include "io/atomic_file.h"
#include "io/npy.h"

using namespace ganvas;
using ganvas::testing::expect_error;
using ganvas::testing::raw;
using ganvas::testing::read_bytes;
using ganvas::testing::write_bytes;
namespace fs = std::filesystem;

namespace {

class NpyTest : public ganvas::testing::TempDirTest {};

// A .npy file from a header dict, padded the way the spec asks (to 64 bytes, '\n' last).
std::string npy_bytes(const std::string& dict, const std::string& data, int major = 1) {
    const size_t len_bytes = major == 1 ? 2 : 4;
    std::string header = dict;
    header.append(64 - (8 + len_bytes + header.size() + 1) % 64, ' ');
    header += '\n';
    std::string out = std::string("\x93NUMPY", 6) + char(major) + char(0);
    for (size_t i = 0; i < len_bytes; ++i) out += char((header.size() >> (8 * i)) & 0xFF);
    return out + header + data;
}

}  // namespace

TEST_F(NpyTest, RoundTripFloat32) {
    for (const Shape& shape : {Shape{}, Shape{0}, Shape{5}, Shape{2, 3}, Shape{2, 1, 3, 4}}) {
        Tensor t = Tensor::empty(shape);
        for (int64_t i = 0; i < t.numel(); ++i) t.data()[i] = 0.25f * i - 1.0f;
        save_npy(path("x.npy"), t);
        Tensor back = load_npy(path("x.npy"));
        EXPECT_EQ(back.shape(), shape);
        EXPECT_EQ(back.dtype(), DType::f32);
        EXPECT_EQ(back.to_vector(), t.to_vector());
    }
}

TEST_F(NpyTest, RoundTripInt64) {
    Tensor t = Tensor::from_vector_i64({3, 2}, {0, -1, INT64_MAX, INT64_MIN, 42, 7});
    save_npy(path("i.npy"), t);
    Tensor back = load_npy(path("i.npy"));
    ASSERT_EQ(back.dtype(), DType::i64);
    EXPECT_EQ(back.shape(), (Shape{3, 2}));
    EXPECT_EQ(std::memcmp(back.data_i64(), t.data_i64(), 6 * sizeof(int64_t)), 0);
}

// The bytes np.save(f, np.arange(6, dtype=np.float32).reshape(2, 3)) writes with numpy 1.24:
// 10-byte preamble, header length 118 (0x76), the dict, 21 - len("2") growth spaces,
// padding to 128 bytes in total, '\n', then six little-endian floats.
TEST_F(NpyTest, ExactBytesMatchNumpy) {
    const std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    std::string expected = std::string("\x93NUMPY\x01\x00\x76\x00", 10) + dict;
    expected.append(128 - 1 - expected.size(), ' ');
    expected += '\n';
    expected += raw<float>({0, 1, 2, 3, 4, 5});
    ASSERT_EQ(expected.size(), 152u);

    save_npy(path("a.npy"), Tensor::from_vector({2, 3}, {0, 1, 2, 3, 4, 5}));
    EXPECT_EQ(read_bytes(path("a.npy")), expected);
}

TEST_F(NpyTest, ExactBytesOfScalar) {
    // np.save(f, np.float32(1.5)): no growth padding for shape ().
    const std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (), }";
    std::string expected = std::string("\x93NUMPY\x01\x00\x76\x00", 10) + dict;
    expected.append(127 - expected.size(), ' ');
    expected += '\n';
    expected += raw<float>({1.5f});

    save_npy(path("s.npy"), Tensor::scalar(1.5f));
    EXPECT_EQ(read_bytes(path("s.npy")), expected);
    EXPECT_EQ(load_npy(path("s.npy")).item(), 1.5f);
}

TEST_F(NpyTest, LoadsFloat64AsFloat32) {
    write_bytes(path("d.npy"),
                npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }",
                          raw<double>({0.5, -2.0, 1e-3})));
    Tensor t = load_npy(path("d.npy"));
    EXPECT_EQ(t.dtype(), DType::f32);
    EXPECT_EQ(t.to_vector(), (std::vector<float>{0.5f, -2.0f, 1e-3f}));
}

TEST_F(NpyTest, LoadsVersion2And3Headers) {
    for (int major : {2, 3}) {
        write_bytes(path("v.npy"),
                    npy_bytes("{\"descr\":\"<i8\",\"fortran_order\":False,\"shape\":(2,)}",
                              raw<int64_t>({9, -9}), major));
        Tensor t = load_npy(path("v.npy"));
        ASSERT_EQ(t.dtype(), DType::i64);
        EXPECT_EQ(t.data_i64()[0], 9);
        EXPECT_EQ(t.data_i64()[1], -9);
    }
}

TEST_F(NpyTest, MissingFile) {
    expect_error([&] { load_npy(path("nope.npy")); }, path("nope.npy"), "cannot open");
}

TEST_F(NpyTest, BadMagic) {
    write_bytes(path("bad.npy"), "PK\x03\x04 this is a zip file, not an array");
    expect_error([&] { load_npy(path("bad.npy")); }, path("bad.npy"), "bad magic");
}

TEST_F(NpyTest, TooShort) {
    write_bytes(path("short.npy"), "\x93NUM");
    expect_error([&] { load_npy(path("short.npy")); }, path("short.npy"), "too short");
}

TEST_F(NpyTest, TruncatedData) {
    std::string bytes = npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                                  raw<float>({1, 2, 3, 4}));
    write_bytes(path("t.npy"), bytes);
    expect_error([&] { load_npy(path("t.npy")); }, path("t.npy"),
                 "truncated: header says 6 values of <f4 but the file holds 4");
}

TEST_F(NpyTest, SizeMismatchesNameTheByteOffsets) {
    const std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    const std::string short_file = npy_bytes(dict, raw<float>({1, 2, 3, 4}));
    const size_t start = short_file.size() - 16;  // where the data begins
    write_bytes(path("t.npy"), short_file);
    expect_error([&] { load_npy(path("t.npy")); }, path("t.npy"),
                 "the data starts at byte " + std::to_string(start) +
                     " and needs 24 bytes; the file ends at byte " + std::to_string(start + 16));
    write_bytes(path("x.npy"), npy_bytes(dict, raw<float>({1, 2, 3, 4, 5, 6, 7})));
    expect_error([&] { load_npy(path("x.npy")); }, path("x.npy"),
                 "4 unexpected bytes from byte " + std::to_string(start + 24));
}

TEST_F(NpyTest, TextAfterTheHeaderDictIsRefused) {
    // numpy's literal_eval refuses these; only spaces and the final newline may follow '}'.
    for (const char* tail : {"x", "}", ", {}", "  # note"}) {
        const std::string dict =
            std::string("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }") + tail;
        write_bytes(path("g.npy"), npy_bytes(dict, raw<float>({1})));
        expect_error([&] { load_npy(path("g.npy")); }, path("g.npy"),
                     "unexpected text after the closing '}'");
    }
}

TEST_F(NpyTest, StructuredDtypeIsNamed) {
    const std::string dict =
        "{'descr': [('x', '<f4'), ('y', '<i8')], 'fortran_order': False, 'shape': (1,), }";
    write_bytes(path("s.npy"), npy_bytes(dict, std::string(12, '\0')));
    expect_error([&] { load_npy(path("s.npy")); }, path("s.npy"), "the dtype is structured");
}

TEST_F(NpyTest, HeaderTextIsQuotedOnOneSafeLine) {
    const std::string dict = "{'descr': '<f4\n\x1b[31m', 'fortran_order': False, 'shape': (1,), }";
    write_bytes(path("e.npy"), npy_bytes(dict, raw<float>({1})));
    try {
        load_npy(path("e.npy"));
        FAIL() << "expected an error";
    } catch (const std::runtime_error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("unsupported dtype '<f4\\n\\x1b[31m'"), std::string::npos) << msg;
        EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
        EXPECT_EQ(msg.find('\x1b'), std::string::npos) << msg;
    }
}

TEST_F(NpyTest, TruncatedHeader) {
    std::string bytes =
        npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", raw<float>({1}));
    write_bytes(path("h.npy"), bytes.substr(0, 40));
    expect_error([&] { load_npy(path("h.npy")); }, path("h.npy"), "truncated");
}

TEST_F(NpyTest, TrailingBytes) {
    const std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }";
    write_bytes(path("x.npy"), npy_bytes(dict, raw<float>({1, 2})));
    expect_error([&] { load_npy(path("x.npy")); }, path("x.npy"), "4 unexpected bytes");
}

TEST_F(NpyTest, WrongDtype) {
    for (const char* descr : {"<i4", ">f4", "|u1", "<c8"}) {
        write_bytes(path("w.npy"), npy_bytes(std::string("{'descr': '") + descr +
                                                 "', 'fortran_order': False, 'shape': (1,), }",
                                             std::string(8, '\0')));
        expect_error([&] { load_npy(path("w.npy")); }, path("w.npy"),
                     std::string("unsupported dtype '") + descr + "'");
    }
}

TEST_F(NpyTest, FortranOrder) {
    const std::string dict = "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }";
    write_bytes(path("f.npy"), npy_bytes(dict, raw<float>({1, 2, 3, 4})));
    expect_error([&] { load_npy(path("f.npy")); }, path("f.npy"), "Fortran-order");
}

TEST_F(NpyTest, MalformedHeaders) {
    for (const char* dict :
         {"{'descr': '<f4', 'shape': (2,), }",  // no fortran_order
          "{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,), }",
          "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }",
          "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", "not a dict at all"}) {
        write_bytes(path("m.npy"), npy_bytes(dict, raw<float>({1, 2})));
        expect_error([&] { load_npy(path("m.npy")); }, path("m.npy"), "malformed .npy header");
    }
}

TEST_F(NpyTest, UnsupportedVersion) {
    std::string bytes =
        npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", raw<float>({1}));
    bytes[6] = 4;
    write_bytes(path("v4.npy"), bytes);
    expect_error([&] { load_npy(path("v4.npy")); }, path("v4.npy"), "unsupported .npy version 4.0");
}

TEST_F(NpyTest, FailedWriteLeavesNothingBehind) {
    const std::string target = path("missing_dir/x.npy");
    expect_error([&] { save_npy(target, Tensor::ones({2})); }, target, "cannot write");
    EXPECT_FALSE(fs::exists(target));
    EXPECT_FALSE(fs::exists(target + ".tmp"));
}

TEST_F(NpyTest, OverwriteReplacesWholeFileAndLeavesNoTmp) {
    save_npy(path("o.npy"), Tensor::ones({1000}));
    save_npy(path("o.npy"), Tensor::scalar(2.0f));
    EXPECT_EQ(load_npy(path("o.npy")).item(), 2.0f);
    EXPECT_FALSE(fs::exists(path("o.npy.tmp")));
}

TEST_F(NpyTest, UndefinedTensorIsRejectedWithoutWriting) {
    expect_error([&] { save_npy(path("u.npy"), Tensor()); }, path("u.npy"), "undefined tensor");
    EXPECT_FALSE(fs::exists(path("u.npy")));
}

// write_file_atomic is shared by every writer; npy was its first user, so it is tested here.
TEST_F(NpyTest, WriterThatThrowsMidwayKeepsTheOldFile) {
    save_npy(path("keep.npy"), Tensor::scalar(7.0f));
    EXPECT_THROW(write_file_atomic(path("keep.npy"),
                                   [](std::ostream& out) {
                                       out << "half a file";
                                       throw std::runtime_error("encoder failed");
                                   }),
                 std::runtime_error);
    EXPECT_EQ(load_npy(path("keep.npy")).item(), 7.0f);
    EXPECT_FALSE(fs::exists(path("keep.npy.tmp")));
}

// What the commands say about a loaded array holding NaN or inf, and about ranges.
TEST(LoadedValues, FirstNonFiniteNamesItsIndex) {
    Tensor t = Tensor::zeros({2, 1, 3, 4});
    EXPECT_EQ(first_non_finite(t), "");
    t.data()[1 * 12 + 2 * 4 + 3] = -std::numeric_limits<float>::infinity();
    EXPECT_EQ(first_non_finite(t), "-inf at index (1, 0, 2, 3)");
    t.data()[5] = std::nanf("");
    EXPECT_EQ(first_non_finite(t), "NaN at index (0, 0, 1, 1)");  // the first one, in C order
    Tensor v = Tensor::zeros({3});
    v.data()[2] = std::numeric_limits<float>::infinity();
    EXPECT_EQ(first_non_finite(v), "inf at index (2,)");
    EXPECT_EQ(first_non_finite(Tensor()), "");
}

TEST(LoadedValues, NumbersReadAsWritten) {
    EXPECT_EQ(number_str(1e-6), "1e-06");
    EXPECT_EQ(number_str(0.1), "0.1");
    EXPECT_EQ(number_str(3), "3");
    EXPECT_EQ(number_str(1e6), "1000000");  // whole numbers in full
    EXPECT_EQ(number_str(-2147483648.0), "-2147483648");
    EXPECT_EQ(number_str(0.0), "0");
    EXPECT_EQ(number_str(-0.0), "-0");
    EXPECT_EQ(number_str(1e20), "1e+20");  // past exact integers: %g
    EXPECT_EQ(number_str(2.5e6 + 0.5), "2.5e+06");
    EXPECT_EQ(number_str(std::numeric_limits<double>::infinity()), "inf");
    EXPECT_EQ(number_str(std::nan("")), "nan");
}
