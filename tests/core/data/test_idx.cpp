// IDX reading: plain and gzipped files, and every way a file can be bad.
#include <gtest/gtest.h>

#include <stdlib.h>
#include <zlib.h>
#include "support/test_files.h"

#include <filesystem>
#include <fstream>
#include <string>

#include "data/idx.h"

using namespace ganvas;
using ganvas::testing::expect_error;
using ganvas::testing::read_bytes;
using ganvas::testing::write_bytes;
namespace fs = std::filesystem;

namespace {

class IdxTest : public ganvas::testing::TempDirTest {};

// An IDX file: magic (0, 0, type, rank), big-endian dimensions, then `payload`.
std::string idx_bytes(const std::vector<uint32_t>& dims, const std::string& payload,
                      uint8_t type = 0x08) {
    std::string out = {0, 0, char(type), char(dims.size())};
    for (uint32_t d : dims)
        for (int shift : {24, 16, 8, 0}) out += char((d >> shift) & 0xFF);
    return out + payload;
}

std::string counting_payload(size_t n) {
    std::string out(n, '\0');
    for (size_t i = 0; i < n; ++i) out[i] = char(i * 7 % 256);
    return out;
}

void write_plain(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

void write_gzip(const std::string& path, const std::string& bytes) {
    gzFile f = gzopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    ASSERT_EQ(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())), int(bytes.size()));
    ASSERT_EQ(gzclose(f), Z_OK);
}

}  // namespace

TEST_F(IdxTest, ReadsPlainAndGzippedFilesAlike) {
    const std::string payload = counting_payload(3 * 4 * 5);
    write_plain(path("a.idx"), idx_bytes({3, 4, 5}, payload));
    write_gzip(path("a.idx.gz"), idx_bytes({3, 4, 5}, payload));
    for (const char* name : {"a.idx", "a.idx.gz"}) {
        IdxArray a = read_idx(path(name));
        EXPECT_EQ(a.shape, (Shape{3, 4, 5})) << name;
        EXPECT_EQ(std::string(a.bytes.begin(), a.bytes.end()), payload) << name;
    }
}

TEST_F(IdxTest, RanksOneToFour) {
    write_gzip(path("labels.gz"), idx_bytes({4}, "\x01\x02\x03\x09"));
    EXPECT_EQ(read_idx(path("labels.gz")).bytes, (std::vector<uint8_t>{1, 2, 3, 9}));
    write_plain(path("r4"), idx_bytes({1, 2, 1, 2}, "abcd"));
    EXPECT_EQ(read_idx(path("r4")).shape, (Shape{1, 2, 1, 2}));
    write_plain(path("empty"), idx_bytes({0, 28, 28}, ""));
    EXPECT_TRUE(read_idx(path("empty")).bytes.empty());
}

TEST_F(IdxTest, MissingFile) {
    expect_error([&] { read_idx(path("none.gz")); }, path("none.gz"), "cannot open");
}

TEST_F(IdxTest, BadMagic) {
    write_plain(path("m"), std::string("\x1f\x08\x08\x01\x00\x00\x00\x01x", 9));
    expect_error([&] { read_idx(path("m")); }, path("m"), "bad magic");
    write_plain(path("s"), std::string("\0\0", 2));
    expect_error([&] { read_idx(path("s")); }, path("s"), "too short");
}

TEST_F(IdxTest, OtherTypeCodes) {
    write_plain(path("f"), idx_bytes({1}, "abcd", 0x0D));
    expect_error([&] { read_idx(path("f")); }, path("f"), "IDX type code 0x0D (float32)");
}

TEST_F(IdxTest, BadRank) {
    write_plain(path("r0"), idx_bytes({}, ""));
    expect_error([&] { read_idx(path("r0")); }, path("r0"), "rank 0 is not 1 to 4");
    write_plain(path("r5"), idx_bytes({1, 1, 1, 1, 1}, "a"));
    expect_error([&] { read_idx(path("r5")); }, path("r5"), "rank 5 is not 1 to 4");
}

TEST_F(IdxTest, TruncatedData) {
    write_gzip(path("t.gz"), idx_bytes({10, 28, 28}, counting_payload(100)));
    expect_error([&] { read_idx(path("t.gz")); }, path("t.gz"),
                 "truncated: header declares 7840 bytes (10, 28, 28) but the file holds 100");
    write_plain(path("d"), idx_bytes({2, 2}, "").substr(0, 9));
    expect_error([&] { read_idx(path("d")); }, path("d"), "inside the IDX dimensions");
}

TEST_F(IdxTest, HugeDeclaredSizeIsTruncatedNotBadAlloc) {
    write_plain(path("t"), idx_bytes({1 << 20, 16}, "abc"));  // 16 MiB declared, 3 bytes held
    expect_error([&] { read_idx(path("t")); }, path("t"), "truncated");
    write_plain(path("h"), idx_bytes({0xFFFFFFFF, 16}, "abc"));  // 64 GiB declared
    expect_error([&] { read_idx(path("h")); }, path("h"),
                 "the IDX header declares 68719476720 values (4294967295, 16), more than the "
                 "limit of 268435456 values a tensor (GANVAS_MAX_TENSOR_VALUES raises it)");
    write_plain(path("o"), idx_bytes({0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}, "abc"));
    expect_error([&] { read_idx(path("o")); }, path("o"), "impossibly large");
}

TEST_F(IdxTest, TrailingGarbage) {
    write_gzip(path("g.gz"), idx_bytes({2}, "ab") + "garbage");
    expect_error([&] { read_idx(path("g.gz")); }, path("g.gz"), "7 unexpected bytes after the 2");
}

TEST_F(IdxTest, TrailingGzipBombIsNotDecompressedToTheEnd) {
    // Counting stops past 1 MiB, so gigabytes of zeros behind the array cost no time.
    write_gzip(path("z.gz"), idx_bytes({2}, "ab") + std::string(size_t(4) << 20, '\0'));
    expect_error([&] { read_idx(path("z.gz")); }, path("z.gz"),
                 "more than 1048576 unexpected bytes after the 2 the header declares");
}

TEST_F(IdxTest, CorruptGzip) {
    write_gzip(path("c.gz"), idx_bytes({50, 50}, counting_payload(2500)));
    std::string bytes = read_bytes(path("c.gz"));
    for (size_t i = 12; i < bytes.size() - 8; i += 3) bytes[i] = char(bytes[i] ^ 0x5A);
    write_plain(path("c.gz"), bytes);
    expect_error([&] { read_idx(path("c.gz")); }, path("c.gz"), "gzip data");
}

TEST_F(IdxTest, GzipCutShort) {
    write_gzip(path("cut.gz"), idx_bytes({50, 50}, counting_payload(2500)));
    const std::string bytes = read_bytes(path("cut.gz"));
    write_plain(path("cut.gz"), bytes.substr(0, bytes.size() / 2));
    expect_error([&] { read_idx(path("cut.gz")); }, path("cut.gz"), "gzip data");
}

TEST_F(IdxTest, GzipWithBadChecksum) {
    // Intact deflate data but a wrong CRC in the trailer: only the check after the
    // declared data can notice.
    write_gzip(path("crc.gz"), idx_bytes({4}, "abcd"));
    std::string bytes = read_bytes(path("crc.gz"));
    bytes[bytes.size() - 8] = char(bytes[bytes.size() - 8] ^ 0xFF);
    write_plain(path("crc.gz"), bytes);
    expect_error([&] { read_idx(path("crc.gz")); }, path("crc.gz"), "gzip data");
}
