// Shapes read from .npy and safetensors headers are checked against the tensor limit
// before anything is allocated: a shape with an empty axis and two of 2^63-1 holds no
// values, but every copy over it would loop or overflow.
#include <gtest/gtest.h>

#include <string>

#include "io/npy.h"
#include "io/safetensors.h"
#include "ops/shape_ops.h"
#include "support/test_files.h"

using namespace ganvas;
using ganvas::testing::expect_error;
using ganvas::testing::raw;
using ganvas::testing::write_bytes;

namespace {

class ShapeBoundsTest : public ganvas::testing::TempDirTest {};

// A version 1.0 .npy file from a header dict, padded as the format asks.
std::string npy_bytes(const std::string& dict, const std::string& data) {
    std::string header = dict;
    header.append(64 - (10 + header.size() + 1) % 64, ' ');
    header += '\n';
    std::string out = "\x93NUMPY\x01";
    out += '\0';
    out += char(header.size() & 0xFF);
    out += char(header.size() >> 8);
    return out + header + data;
}

std::string safetensors_bytes(std::string header_json, const std::string& data) {
    header_json.append((8 - header_json.size() % 8) % 8, ' ');
    std::string length(8, '\0');
    for (int i = 0; i < 8; ++i) length[i] = char((header_json.size() >> (8 * i)) & 0xFF);
    return length + header_json + data;
}

}  // namespace

TEST_F(ShapeBoundsTest, NpyWithAnEmptyAxisAndHugeOthersIsRefused) {
    write_bytes(path("x.npy"), npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (0, "
                                         "9223372036854775807, 9223372036854775807), }",
                                         ""));
    expect_error([&] { load_npy(path("x.npy")); }, path("x.npy"),
                 "shape (0, 9223372036854775807, 9223372036854775807) has no values but spans "
                 "more than 2^63, more than the limit of 268435456 values a tensor");
}

TEST_F(ShapeBoundsTest, NpyPastTheTensorLimitIsRefusedBeforeReading) {
    // 2^30 float32 values declared, none held: the limit speaks before "truncated".
    write_bytes(path("big.npy"),
                npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (32768, 32768), }",
                          raw<float>({1, 2})));
    expect_error([&] { load_npy(path("big.npy")); }, path("big.npy"),
                 "shape (32768, 32768) has 1073741824 values, more than the limit of 268435456 "
                 "values a tensor (GANVAS_MAX_TENSOR_VALUES raises it)");
    // Within the limit the shape loads, and narrow over it stays in range.
    write_bytes(path("ok.npy"),
                npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3, 4), }", ""));
    Tensor t = load_npy(path("ok.npy"));
    EXPECT_EQ(narrow(t, 0, 0, 0).shape(), (Shape{0, 3, 4}));
}

TEST_F(ShapeBoundsTest, SafetensorsShapePastTheLimitIsRefused) {
    write_bytes(path("x.safetensors"),
                safetensors_bytes(R"({"w":{"dtype":"F32","shape":[0,1073741824,2],)"
                                  R"("data_offsets":[0,0]}})",
                                  ""));
    expect_error([&] { load_safetensors(path("x.safetensors")); }, path("x.safetensors"),
                 "tensor 'w': shape (0, 1073741824, 2) has no values but spans 2147483648, "
                 "more than the limit");
}
