// TFRecord framing with CRC-32C, and tf.Example's protobuf wire format, each against
// values worked out independently of this code (published CRC vectors, hand-encoded
// protobuf bytes).
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstring>
#include <string>

#include "data/crc32c.h"
#include "data/tf_example.h"
#include "data/tfrecord.h"
#include "support/test_files.h"

using namespace ganvas;
using ganvas::testing::expect_error;
using ganvas::testing::read_bytes;
using ganvas::testing::write_bytes;

namespace {

class TfrecordTest : public ganvas::testing::TempDirTest {};

std::string bytes(std::initializer_list<int> values) {
    std::string out;
    for (int v : values) out += static_cast<char>(v);
    return out;
}

}  // namespace

TEST(Crc32c, Rfc3720Vectors) {
    // RFC 3720 (iSCSI), Appendix B.4, and the usual "123456789" check value.
    std::string buf(32, '\0');
    EXPECT_EQ(crc32c(buf.data(), buf.size()), 0x8A9136AAu);
    buf.assign(32, '\xFF');
    EXPECT_EQ(crc32c(buf.data(), buf.size()), 0x62A8AB43u);
    for (int i = 0; i < 32; ++i) buf[i] = static_cast<char>(i);
    EXPECT_EQ(crc32c(buf.data(), buf.size()), 0x46DD794Eu);
    for (int i = 0; i < 32; ++i) buf[i] = static_cast<char>(31 - i);
    EXPECT_EQ(crc32c(buf.data(), buf.size()), 0x113FDB5Cu);
    EXPECT_EQ(crc32c("123456789", 9), 0xE3069283u);
    EXPECT_EQ(crc32c("", 0), 0u);
}

TEST(Crc32c, TfrecordMask) {
    // The masked CRC another TFRecord implementation's tests expect for this string.
    const std::string s = "1234567890asdfghjkl";
    EXPECT_EQ(mask_crc32c(crc32c(s.data(), s.size())), 4134599430u);
    EXPECT_EQ(mask_crc32c(0), 0xA282EAD8u);
}

TEST(Tfrecord, FramesARecord) {
    const std::string framed = frame_tfrecord("hi");
    ASSERT_EQ(framed.size(), 8u + 4 + 2 + 4);
    EXPECT_EQ(framed.substr(0, 8), bytes({2, 0, 0, 0, 0, 0, 0, 0}));  // little-endian length
    uint32_t length_crc, data_crc;
    std::memcpy(&length_crc, framed.data() + 8, 4);
    std::memcpy(&data_crc, framed.data() + 14, 4);
    EXPECT_EQ(length_crc, mask_crc32c(crc32c(framed.data(), 8)));
    EXPECT_EQ(framed.substr(12, 2), "hi");
    EXPECT_EQ(data_crc, mask_crc32c(crc32c("hi", 2)));
}

TEST_F(TfrecordTest, RoundTripsRecords) {
    const std::vector<std::string> records = {"first", "", std::string(70000, 'x'),
                                              bytes({0, 1, 255})};
    write_tfrecord(path("a.tfrecord"), records);
    EXPECT_EQ(read_tfrecord(path("a.tfrecord")), records);
    std::string expected;
    for (const auto& r : records) expected += frame_tfrecord(r);
    EXPECT_EQ(read_bytes(path("a.tfrecord")), expected);
}

TEST_F(TfrecordTest, ReadsGzippedFiles) {
    // TensorFlow's TFRecordOptions(compression_type="GZIP") writes the stream gzipped.
    const std::string stream = frame_tfrecord("one") + frame_tfrecord("two");
    gzFile f = gzopen(path("a.tfrecord.gz").c_str(), "wb");
    ASSERT_NE(f, nullptr);
    gzwrite(f, stream.data(), static_cast<unsigned>(stream.size()));
    ASSERT_EQ(gzclose(f), Z_OK);
    EXPECT_EQ(read_tfrecord(path("a.tfrecord.gz")), (std::vector<std::string>{"one", "two"}));
}

TEST_F(TfrecordTest, ReadsZlibCompressedFiles) {
    // TFRecordOptions(compression_type="ZLIB") writes the stream in a zlib wrapper
    // (RFC 1950), not gzip: compress2 writes exactly that.
    const std::string stream = frame_tfrecord("one") + frame_tfrecord(std::string(5000, 'z'));
    std::string packed(compressBound(stream.size()), '\0');
    uLongf size = packed.size();
    ASSERT_EQ(compress2(reinterpret_cast<Bytef*>(packed.data()), &size,
                        reinterpret_cast<const Bytef*>(stream.data()), stream.size(), 9),
              Z_OK);
    packed.resize(size);
    write_bytes(path("z.tfrecord"), packed);
    EXPECT_EQ(read_tfrecord(path("z.tfrecord")),
              (std::vector<std::string>{"one", std::string(5000, 'z')}));

    // Two streams back to back (a writer that reopened the file) read as one file.
    write_bytes(path("twice.tfrecord"), packed + packed);
    EXPECT_EQ(read_tfrecord(path("twice.tfrecord")).size(), 4u);

    // Cut inside the compressed stream: the records before the cut, then the damage.
    write_bytes(path("cut.tfrecord"), packed.substr(0, packed.size() - 6));
    const TFRecordScan scan = scan_tfrecord(path("cut.tfrecord"));
    EXPECT_NE(scan.damage.find("zlib data"), std::string::npos) << scan.damage;
    expect_error([&] { read_tfrecord(path("cut.tfrecord")); }, path("cut.tfrecord"), "zlib");
}

TEST_F(TfrecordTest, PlainFileStartingLikeZlibIsReadPlain) {
    // A first record of 376 bytes starts 0x78 0x01: a zlib header by its bytes alone.
    const std::string record(376, 'r');
    const std::string framed = frame_tfrecord(record);
    ASSERT_EQ(static_cast<uint8_t>(framed[0]), 0x78);
    ASSERT_EQ(static_cast<uint8_t>(framed[1]), 0x01);
    write_bytes(path("plain.tfrecord"), framed);
    EXPECT_EQ(read_tfrecord(path("plain.tfrecord")), std::vector<std::string>{record});
}

TEST_F(TfrecordTest, ScanKeepsTheRecordsBeforeTheDamage) {
    const std::string first = frame_tfrecord("first"), second = frame_tfrecord("second");
    write_bytes(path("cut"), first + second.substr(0, second.size() - 1));
    const TFRecordScan scan = scan_tfrecord(path("cut"));
    EXPECT_EQ(scan.records, std::vector<std::string>{"first"});
    EXPECT_EQ(scan.damage_at, first.size());
    EXPECT_NE(scan.damage.find("record 1 (at byte " + std::to_string(first.size()) + ")"),
              std::string::npos)
        << scan.damage;
    write_bytes(path("whole"), first + second);
    EXPECT_TRUE(scan_tfrecord(path("whole")).damage.empty());
}

TEST_F(TfrecordTest, EmptyFileHoldsNoRecords) {
    write_bytes(path("empty"), "");
    EXPECT_TRUE(read_tfrecord(path("empty")).empty());
}

TEST_F(TfrecordTest, DamageIsNamedWithRecordAndOffset) {
    const std::string first = frame_tfrecord("first"), second = frame_tfrecord("second");
    const std::string whole = first + second;
    const std::string at = "record 1 (at byte " + std::to_string(first.size()) + ")";

    write_bytes(path("cut"), whole.substr(0, whole.size() - 3));
    expect_error([&] { read_tfrecord(path("cut")); }, path("cut"),
                 at + " declares 6 bytes of data and a 4-byte checksum, but only 7 bytes follow");

    write_bytes(path("header"), first + second.substr(0, 5));
    expect_error([&] { read_tfrecord(path("header")); }, path("header"),
                 at + " is cut off: the file ends 5 bytes into its 12-byte header");

    std::string flipped = whole;
    flipped[first.size() + 12 + 2] ^= 0x20;  // a byte of "second"
    write_bytes(path("data"), flipped);
    expect_error([&] { read_tfrecord(path("data")); }, path("data"),
                 at + ": the data's checksum does not match");

    flipped = whole;
    flipped[first.size()] = 100;  // the length
    write_bytes(path("length"), flipped);
    expect_error([&] { read_tfrecord(path("length")); }, path("length"),
                 at + ": the length's checksum does not match");

    write_bytes(path("text.txt"), "just some text, long enough for a header\n");
    expect_error([&] { read_tfrecord(path("text.txt")); }, path("text.txt"),
                 "record 0 (at byte 0): the length's checksum does not match; the file is "
                 "corrupt or is not a TFRecord file");

    expect_error([&] { read_tfrecord(path("missing")); }, path("missing"), "cannot open");
}

// Hand-encoded from the schema in data/tf_example.h:
//   a: int64_list [1, 300], b: bytes_list ["hi"], f: float_list [1.0]
const std::string kEncoded = bytes({
    0x0A, 0x2A,                          // Example.features, 42 bytes
    0x0A, 0x0C,                          //   Features.feature entry, 12 bytes
    0x0A, 0x01, 'a',                     //     key "a"
    0x12, 0x07, 0x1A, 0x05,              //     value: Feature.int64_list, 5 bytes
    0x0A, 0x03, 0x01, 0xAC, 0x02,        //       packed varints 1, 300
    0x0A, 0x0B,                          //   entry, 11 bytes
    0x0A, 0x01, 'b',                     //     key "b"
    0x12, 0x06, 0x0A, 0x04,              //     value: Feature.bytes_list, 4 bytes
    0x0A, 0x02, 'h',  'i',               //       "hi"
    0x0A, 0x0D,                          //   entry, 13 bytes
    0x0A, 0x01, 'f',                     //     key "f"
    0x12, 0x08, 0x12, 0x06,              //     value: Feature.float_list, 6 bytes
    0x0A, 0x04, 0x00, 0x00, 0x80, 0x3F,  //       packed 1.0f
});

TEST(TfExample, ParsesHandEncodedBytes) {
    const Example ex = parse_example(kEncoded);
    ASSERT_EQ(ex.size(), 3u);
    EXPECT_EQ(ex.at("a").kind, Feature::Kind::ints);
    EXPECT_EQ(ex.at("a").ints, (std::vector<int64_t>{1, 300}));
    EXPECT_EQ(ex.at("b").kind, Feature::Kind::bytes);
    EXPECT_EQ(ex.at("b").bytes, (std::vector<std::string>{"hi"}));
    EXPECT_EQ(ex.at("f").kind, Feature::Kind::floats);
    EXPECT_EQ(ex.at("f").floats, (std::vector<float>{1.0f}));
}

TEST(TfExample, SerializesAsTensorflowDoes) {
    Example ex;
    ex["f"].kind = Feature::Kind::floats;
    ex["f"].floats = {1.0f};
    ex["a"].kind = Feature::Kind::ints;
    ex["a"].ints = {1, 300};
    ex["b"].kind = Feature::Kind::bytes;
    ex["b"].bytes = {"hi"};
    EXPECT_EQ(serialize_example(ex), kEncoded);
}

TEST(TfExample, RoundTripsNegativeAndLargeValues) {
    Example ex;
    ex["i"].kind = Feature::Kind::ints;
    ex["i"].ints = {-1, INT64_MIN, INT64_MAX, 0};
    ex["x"].kind = Feature::Kind::floats;
    ex["x"].floats = {-0.5f, 3.25e7f};
    ex["e"].kind = Feature::Kind::bytes;  // an empty list
    ex["n"];                              // a feature with no list at all
    const Example back = parse_example(serialize_example(ex));
    EXPECT_EQ(back.at("i").ints, ex["i"].ints);
    EXPECT_EQ(back.at("x").floats, ex["x"].floats);
    EXPECT_EQ(back.at("e").kind, Feature::Kind::bytes);
    EXPECT_EQ(back.at("e").size(), 0u);
    EXPECT_EQ(back.at("n").kind, Feature::Kind::none);
}

TEST(TfExample, ReadsUnpackedListsAndSkipsUnknownFields) {
    const std::string ex = bytes({
        0x0A, 0x16,                    // features, 22 bytes
        0x0A, 0x0D,                    //   entry, 13 bytes
        0x0A, 0x01, 'k',               //     key "k"
        0x12, 0x06, 0x1A, 0x04,        //     value (6 bytes): int64_list, 4 bytes
        0x08, 0x05, 0x08, 0x07,        //       unpacked varints 5, 7
        0x20, 0x01,                    //     field 4 (not in the schema): skipped
        0x28, 0x09,                    //   field 5 of Features: skipped
        0x1D, 0x00, 0x00, 0x00, 0x00,  //   a fixed32 field 3: skipped
        0x10, 0x01,                    // field 2 of Example: skipped
    });
    const Example parsed = parse_example(ex);
    ASSERT_EQ(parsed.size(), 1u);
    EXPECT_EQ(parsed.at("k").ints, (std::vector<int64_t>{5, 7}));
}

TEST(TfExample, MalformedBytesSayWhat) {
    auto expect_malformed = [](const std::string& data, const std::string& needle) {
        try {
            parse_example(data);
            FAIL() << "expected: " << needle;
        } catch (const std::runtime_error& e) {
            EXPECT_NE(std::string(e.what()).find("not a valid tf.Example: " + needle),
                      std::string::npos)
                << e.what();
        }
    };
    expect_malformed(kEncoded.substr(0, 20), "a length runs past the end");
    expect_malformed(bytes({0x0A}), "the data ends inside a varint");
    expect_malformed(bytes({0x0B}), "wire type 3 (a group: wire types 3 and 4) is not used");
    expect_malformed(bytes({0x0C}), "wire type 4 (a group");
    expect_malformed(bytes({0x0F}), "wire type 7 is invalid (protobuf uses 0 to 5)");
    expect_malformed(bytes({0x0E}), "wire type 6 is invalid");
    expect_malformed(std::string(11, '\xFF'), "a varint longer than 10 bytes");
    // A float list whose packed bytes are not whole floats.
    expect_malformed(
        bytes({0x0A, 0x0C, 0x0A, 0x0A, 0x0A, 0x01, 'f', 0x12, 0x05, 0x12, 0x03, 0x0A, 0x01, 0x00}),
        "a packed float list of 1 bytes");
}
