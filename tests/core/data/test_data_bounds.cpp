// Sizes a data file declares are bounded before they size anything: an image's height
// and width, a TFRecord's record lengths and the bytes decompressed from one file.
#include <gtest/gtest.h>
#include <zlib.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "data/crc32c.h"
#include "data/feature_columns.h"
#include "data/tfrecord.h"
#include "support/test_files.h"

using namespace ganvas;
using ganvas::testing::expect_error;
using ganvas::testing::write_bytes;

namespace {

class DataBoundsTest : public ganvas::testing::TempDirTest {};

Feature ints(std::vector<int64_t> v) {
    return Feature::of_ints(std::move(v));
}
Feature bytes(std::string b) {
    return Feature::of_bytes({std::move(b)});
}

// A TFRecord header (length, masked CRC of the length) declaring `length` bytes.
std::string record_header(uint64_t length) {
    std::string out(8, '\0');
    for (int i = 0; i < 8; ++i) out[i] = char((length >> (8 * i)) & 0xFF);
    const uint32_t crc = mask_crc32c(crc32c(out.data(), 8));
    for (int i = 0; i < 4; ++i) out += char((crc >> (8 * i)) & 0xFF);
    return out;
}

// A gzip file of `head` followed by `zeros` zero bytes: a few kilobytes on disk.
void write_gzip_with_zeros(const std::string& path, const std::string& head, size_t zeros) {
    gzFile f = gzopen(path.c_str(), "wb1");
    ASSERT_NE(f, nullptr);
    gzwrite(f, head.data(), static_cast<unsigned>(head.size()));
    const std::string block(1 << 20, '\0');
    for (size_t done = 0; done < zeros; done += block.size())
        gzwrite(f, block.data(), static_cast<unsigned>(std::min(block.size(), zeros - done)));
    ASSERT_EQ(gzclose(f), Z_OK);
}

// The largest single request to operator new, and the sum of them, while tracking is
// on: what a read takes, counted exactly (this test file replaces operator new).
std::atomic<bool> tracking{false};
std::atomic<size_t> largest_allocation{0}, allocated_bytes{0};

struct AllocationCount {
    size_t largest = 0, total = 0;
    std::string error;  // the runtime_error the read threw, if any
};

template <typename Fn>
AllocationCount count_allocations(Fn fn) {
    largest_allocation = 0;
    allocated_bytes = 0;
    AllocationCount c;
    tracking = true;
    try {
        fn();
    } catch (const std::runtime_error& e) {
        tracking = false;
        c.error = e.what();
    }
    tracking = false;
    c.largest = largest_allocation;
    c.total = allocated_bytes;
    return c;
}

constexpr size_t kMiB = size_t(1) << 20;

class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : name_(name) { setenv(name, value, 1); }
    ~ScopedEnv() { unsetenv(name_); }

private:
    const char* name_;
};

}  // namespace

TEST_F(DataBoundsTest, StatedImageSizeIsBoundedBeforeItIsMultiplied) {
    // 2^62+1 x 4 wraps to 4 in int64 and matched the 4 bytes held.
    const Example wrapped = {
        {"image", bytes("abcd")}, {"height", ints({(int64_t(1) << 62) + 1})}, {"width", ints({4})}};
    expect_error([&] { dataset_from_examples({wrapped}, resolve_columns(wrapped, {})); },
                 "record 0",
                 "record 0: says the image is 4611686018427387905x4, larger than the "
                 "limit of 8192 pixels a side");
    const Example tall = {
        {"image", bytes(std::string(8193, 'a'))}, {"height", ints({8193})}, {"width", ints({1})}};
    expect_error([&] { dataset_from_examples({tall}, resolve_columns(tall, {})); }, "record 0",
                 "8193x1, larger than the limit of 8192 pixels a side");
    const Example fine = {{"image", bytes("abcdef")}, {"height", ints({2})}, {"width", ints({3})}};
    EXPECT_EQ(dataset_from_examples({fine}, resolve_columns(fine, {})).images.shape(),
              (Shape{1, 1, 2, 3}));
}

TEST_F(DataBoundsTest, RecordsPastTheFileLimitAreRefusedByTheirDeclaredLength) {
    const std::string record = frame_tfrecord(std::string(100, 'x'));  // 116 bytes framed
    write_bytes(path("three.tfrecord"), record + record + record);
    EXPECT_EQ(read_tfrecord(path("three.tfrecord")).size(), 3u);
    ScopedEnv env("GANVAS_MAX_FILE_BYTES", "250");
    expect_error([&] { read_tfrecord(path("three.tfrecord")); }, path("three.tfrecord"),
                 "record 2 (at byte 232) declares 100 bytes of data, past the limit of 250 bytes "
                 "read from one file (GANVAS_MAX_FILE_BYTES raises it)");
}

TEST_F(DataBoundsTest, GzipTfrecordDeclaringAHugeRecordIsRefusedBeforeDecompressing) {
    // 64 MiB of zeros behind a header declaring 2 GiB: about 64 KiB of gzip. Reading the
    // whole stream first took the 64 MiB (and a 4 GiB stream took 4 GiB).
    const std::string file = path("bomb.tfrecord.gz");
    write_gzip_with_zeros(file, record_header(uint64_t(1) << 31), 64 * kMiB);
    const AllocationCount c = count_allocations([&] { read_tfrecord(file); });
    EXPECT_EQ(c.error, file +
                           ": record 0 (at byte 0) declares 2147483648 bytes of data, past the "
                           "limit of 1073741824 bytes read from one file (GANVAS_MAX_FILE_BYTES "
                           "raises it)");
    EXPECT_LT(c.total, kMiB);
}

TEST_F(DataBoundsTest, ReadingATfrecordTakesMemoryForItsDataNotMore) {
    const std::string file = path("small.tfrecord");
    write_bytes(file, frame_tfrecord("one") + frame_tfrecord("two"));
    const AllocationCount small = count_allocations([&] { read_tfrecord(file); });
    EXPECT_EQ(small.error, "");
    EXPECT_LT(small.largest, kMiB) << "each read took a 16 MB buffer";
    // A record that declares 900 MiB but holds 10 bytes: the memory follows the bytes.
    const std::string cut = path("cut.tfrecord");
    write_bytes(cut, record_header(uint64_t(900) * kMiB) + std::string(10, 'x'));
    const AllocationCount c = count_allocations([&] { read_tfrecord(cut); });
    EXPECT_NE(c.error.find("declares 943718400 bytes of data and a 4-byte checksum, but only "
                           "10 bytes follow its header"),
              std::string::npos)
        << c.error;
    EXPECT_LE(c.largest, 2 * kMiB);
}

void* operator new(size_t n) {
    if (tracking) {
        allocated_bytes += n;
        size_t seen = largest_allocation;
        while (n > seen && !largest_allocation.compare_exchange_weak(seen, n)) {
        }
    }
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
// The replaced operator new above allocates with malloc, so free is the matching
// release; GCC 12 cannot see through the replacement and warns that it mismatches.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, size_t) noexcept {
    std::free(p);
}
#pragma GCC diagnostic pop
