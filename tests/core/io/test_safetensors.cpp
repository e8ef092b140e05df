// safetensors round trips, the layout PyTorch's reference script writes, and bad files.
#include <gtest/gtest.h>

#include <stdlib.h>
#include "support/test_files.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "io/npy.h"
#include "io/safetensors.h"

using namespace ganvas;
using ganvas::testing::expect_error;
using ganvas::testing::raw;
using ganvas::testing::read_bytes;
using ganvas::testing::write_bytes;
namespace fs = std::filesystem;

namespace {

class SafetensorsTest : public ganvas::testing::TempDirTest {};

std::string u64_le(uint64_t v) {
    std::string out(8, '\0');
    for (int i = 0; i < 8; ++i) out[i] = char((v >> (8 * i)) & 0xFF);
    return out;
}

// A file in the layout of torch_reference.py's save_safetensors: compact JSON in the
// writer's key order, padded with spaces to 8 bytes, then the data.
std::string safetensors_bytes(std::string header_json, const std::string& data) {
    header_json.append((8 - header_json.size() % 8) % 8, ' ');
    return u64_le(header_json.size()) + header_json + data;
}

}  // namespace

TEST_F(SafetensorsTest, RoundTripKeepsOrderDtypesShapesAndMetadata) {
    // Names deliberately not in alphabetical order: the file order must survive.
    NamedTensors tensors = {
        {"G.fc.weight", Tensor::from_vector({2, 3}, {1, 2, 3, 4, 5, 6})},
        {"D.bn.num_batches_tracked", Tensor::from_vector_i64({}, {17})},
        {"D.empty", Tensor::zeros({0, 4})},
        {"A.bias", Tensor::from_vector({3}, {-1.5f, 0.0f, 1e-30f})},
    };
    const StringMap metadata = {{"step", "1200"}, {"model", "dcgan28"}};
    save_safetensors(path("ck.safetensors"), tensors, metadata);

    SafetensorsFile file = read_safetensors(path("ck.safetensors"));
    EXPECT_EQ(file.metadata, metadata);
    ASSERT_EQ(file.tensors.size(), tensors.size());
    for (size_t i = 0; i < tensors.size(); ++i) {
        const auto& [name, t] = tensors[i];
        const auto& [got_name, got] = file.tensors[i];
        EXPECT_EQ(got_name, name);
        EXPECT_EQ(got.shape(), t.shape()) << name;
        ASSERT_EQ(got.dtype(), t.dtype()) << name;
        EXPECT_EQ(std::memcmp(got.raw(), t.raw(), t.numel() * dtype_size(t.dtype())), 0) << name;
    }
    EXPECT_FALSE(fs::exists(path("ck.safetensors.tmp")));
}

TEST_F(SafetensorsTest, MapVariantAndNoMetadata) {
    save_safetensors(path("m.safetensors"), {{"w", Tensor::ones({2})}});
    auto map = load_safetensors_map(path("m.safetensors"));
    ASSERT_EQ(map.count("w"), 1u);
    EXPECT_EQ(map["w"].to_vector(), (std::vector<float>{1, 1}));
    EXPECT_TRUE(read_safetensors(path("m.safetensors")).metadata.empty());
}

TEST_F(SafetensorsTest, WritesTheStandardLayout) {
    save_safetensors(path("x.safetensors"), {{"x", Tensor::from_vector({1}, {2.0f})}});
    const std::string header = R"({"x":{"data_offsets":[0,4],"dtype":"F32","shape":[1]}})";
    EXPECT_EQ(read_bytes(path("x.safetensors")), safetensors_bytes(header, raw<float>({2.0f})));
}

TEST_F(SafetensorsTest, LoadsThePythonReferenceLayout) {
    // What torch_reference.save_safetensors({"b": f32[2], "a": i64[]}) writes.
    const std::string header = R"({"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                               R"("a":{"dtype":"I64","shape":[],"data_offsets":[8,16]}})";
    write_bytes(path("py.safetensors"),
                safetensors_bytes(header, raw<float>({0.5f, -0.5f}) + raw<int64_t>({1000})));
    NamedTensors tensors = load_safetensors(path("py.safetensors"));
    ASSERT_EQ(tensors.size(), 2u);
    EXPECT_EQ(tensors[0].first, "b");  // data order, not JSON key order
    EXPECT_EQ(tensors[0].second.to_vector(), (std::vector<float>{0.5f, -0.5f}));
    EXPECT_EQ(tensors[1].first, "a");
    EXPECT_EQ(tensors[1].second.shape(), Shape{});
    EXPECT_EQ(tensors[1].second.data_i64()[0], 1000);
}

TEST_F(SafetensorsTest, MissingFile) {
    expect_error([&] { load_safetensors(path("none.safetensors")); }, path("none.safetensors"),
                 "cannot open");
}

TEST_F(SafetensorsTest, TooShort) {
    write_bytes(path("s.safetensors"), "abc");
    expect_error([&] { load_safetensors(path("s.safetensors")); }, path("s.safetensors"),
                 "too short");
}

TEST_F(SafetensorsTest, HeaderLengthPastEndOfFile) {
    write_bytes(path("h.safetensors"), u64_le(1000) + "{}");
    expect_error([&] { load_safetensors(path("h.safetensors")); }, path("h.safetensors"),
                 "header length 1000 runs past the end of the file (10 bytes)");
}

TEST_F(SafetensorsTest, HeaderLengthOverLimit) {
    write_bytes(path("big.safetensors"), u64_le(uint64_t(1) << 40) + "{}");
    expect_error([&] { load_safetensors(path("big.safetensors")); }, path("big.safetensors"),
                 "over the 100 MB limit");
}

TEST_F(SafetensorsTest, NumpyFileIsNamedAsOne) {
    save_npy(path("x.npy"), Tensor::zeros({2, 3}));
    expect_error([&] { load_safetensors(path("x.npy")); }, path("x.npy"),
                 "this is a NumPy .npy file, not a safetensors checkpoint");
}

TEST_F(SafetensorsTest, InvalidJson) {
    write_bytes(path("j.safetensors"), safetensors_bytes(R"({"x": {"dtype": )", ""));
    expect_error([&] { load_safetensors(path("j.safetensors")); }, path("j.safetensors"),
                 "invalid JSON header");
    write_bytes(path("a.safetensors"), safetensors_bytes("[1, 2]", ""));
    expect_error([&] { load_safetensors(path("a.safetensors")); }, path("a.safetensors"),
                 "not an object");
}

TEST_F(SafetensorsTest, UnknownDtype) {
    write_bytes(path("d.safetensors"),
                safetensors_bytes(R"({"x":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}})",
                                  std::string(4, '\0')));
    expect_error([&] { load_safetensors(path("d.safetensors")); }, path("d.safetensors"),
                 "tensor 'x' has dtype \"BF16\"");
}

TEST_F(SafetensorsTest, OffsetsMismatchingShape) {
    write_bytes(path("o.safetensors"),
                safetensors_bytes(R"({"x":{"dtype":"F32","shape":[2,3],"data_offsets":[0,8]}})",
                                  std::string(8, '\0')));
    expect_error([&] { load_safetensors(path("o.safetensors")); }, path("o.safetensors"),
                 "tensor 'x' has data_offsets [0, 8] but shape (2, 3) of F32 needs 24 bytes");
}

TEST_F(SafetensorsTest, OffsetsPastDataSection) {
    write_bytes(path("p.safetensors"),
                safetensors_bytes(R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
                                  std::string(4, '\0')));
    expect_error([&] { load_safetensors(path("p.safetensors")); }, path("p.safetensors"),
                 "past the data section of 4 bytes");
}

TEST_F(SafetensorsTest, OverlapsHolesAndTrailingBytes) {
    const std::string x = R"("x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})";
    const std::string y_overlapping = R"("y":{"dtype":"F32","shape":[1],"data_offsets":[4,8]})";
    const std::string y_after_hole = R"("y":{"dtype":"F32","shape":[1],"data_offsets":[12,16]})";
    write_bytes(path("ov.safetensors"),
                safetensors_bytes("{" + x + "," + y_overlapping + "}", std::string(8, '\0')));
    expect_error([&] { load_safetensors(path("ov.safetensors")); }, path("ov.safetensors"),
                 "overlaps");

    write_bytes(path("hole.safetensors"),
                safetensors_bytes("{" + x + "," + y_after_hole + "}", std::string(16, '\0')));
    expect_error([&] { load_safetensors(path("hole.safetensors")); }, path("hole.safetensors"),
                 "hole of 4 bytes before tensor 'y'");

    write_bytes(path("tail.safetensors"), safetensors_bytes("{" + x + "}", std::string(12, '\0')));
    expect_error([&] { load_safetensors(path("tail.safetensors")); }, path("tail.safetensors"),
                 "4 bytes after the last tensor");
}

TEST_F(SafetensorsTest, MalformedEntriesAndMetadata) {
    const std::pair<const char*, const char*> cases[] = {
        {R"({"x":{"dtype":"F32","shape":[1]}})", "lacks one of"},
        {R"({"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}})",
         "not a non-negative integer"},
        {R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[0]}})", "needs data_offsets"},
        {R"({"__metadata__":{"step":12}})", "__metadata__ entry 'step' is not a string"},
    };
    for (const auto& [header, needle] : cases) {
        write_bytes(path("e.safetensors"), safetensors_bytes(header, std::string(4, '\0')));
        expect_error([&] { load_safetensors(path("e.safetensors")); }, path("e.safetensors"),
                     needle);
    }
}

TEST_F(SafetensorsTest, FailedWritesLeaveNothingBehind) {
    const std::string missing = path("no_such_dir/ck.safetensors");
    expect_error(
        [&] {
            save_safetensors(missing, {{"w", Tensor::ones({2})}});
        },
        missing, "cannot write");
    EXPECT_FALSE(fs::exists(missing));
    EXPECT_FALSE(fs::exists(missing + ".tmp"));

    const std::string dup = path("dup.safetensors");
    const NamedTensors twice = {{"w", Tensor::ones({1})}, {"w", Tensor::ones({1})}};
    expect_error([&] { save_safetensors(dup, twice); }, dup, "appears twice");
    expect_error(
        [&] {
            save_safetensors(dup, {{"__metadata__", Tensor::ones({1})}});
        },
        dup, "reserved");
    EXPECT_FALSE(fs::exists(dup));
    EXPECT_FALSE(fs::exists(dup + ".tmp"));
}

TEST_F(SafetensorsTest, LayoutErrorsNameTheFileByte) {
    const std::string x = R"("x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})";
    const std::string header = "{" + x + "}";  // padded to 56 bytes: the data starts at byte 64
    write_bytes(path("tail.safetensors"), safetensors_bytes(header, std::string(12, '\0')));
    expect_error([&] { load_safetensors(path("tail.safetensors")); }, path("tail.safetensors"),
                 "4 bytes after the last tensor (from file byte 72)");
    write_bytes(path("short.safetensors"), safetensors_bytes(header, std::string(4, '\0')));
    expect_error([&] { load_safetensors(path("short.safetensors")); }, path("short.safetensors"),
                 "ends at data byte 8 (file byte 72), past the data section of 4 bytes that ends "
                 "at file byte 68");
}

TEST_F(SafetensorsTest, NamesFromTheFileAreQuotedOnOneSafeLine) {
    const std::string header =
        R"({"a\n\u001b[31m":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}})";
    write_bytes(path("e.safetensors"), safetensors_bytes(header, std::string(2, '\0')));
    try {
        load_safetensors(path("e.safetensors"));
        FAIL() << "expected an error";
    } catch (const std::runtime_error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("tensor 'a\\n\\x1b[31m' has dtype \"F16\""), std::string::npos) << msg;
        EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
        EXPECT_EQ(msg.find('\x1b'), std::string::npos) << msg;
    }
}
