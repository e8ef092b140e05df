#include "data/tfrecord.h"

#include <cstdint>
#include <stdexcept>

#include "data/crc32c.h"
#include "io/atomic_file.h"
#include "io/gz_reader.h"

namespace ganvas {
namespace {

constexpr size_t kLengthBytes = 8, kCrcBytes = 4;

uint64_t read_le(const uint8_t* p, int bytes) {
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

void append_le(std::string& out, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

// RFC 1950: CMF 0x78 (deflate, 32 KiB window) and FCHECK making the pair a multiple of 31.
bool looks_like_zlib(const uint8_t* p) {
    return p[0] == 0x78 && ((p[0] << 8) | p[1]) % 31 == 0;
}

}  // namespace

std::vector<std::string> read_tfrecord(const std::string& path) {
    const std::vector<uint8_t> bytes = GzReader(path).read_all();
    std::vector<std::string> records;
    size_t at = 0;
    while (at < bytes.size()) {
        const std::string where = path + ": record " + std::to_string(records.size()) +
                                  " (at byte " + std::to_string(at) + ")";
        const size_t left = bytes.size() - at;
        if (left < kLengthBytes + kCrcBytes)
            throw std::runtime_error(where + " is cut off: the file ends " + std::to_string(left) +
                                     " bytes into its 12-byte header (an incomplete copy?)");
        const uint8_t* header = bytes.data() + at;
        if (mask_crc32c(crc32c(header, kLengthBytes)) != read_le(header + kLengthBytes, 4)) {
            if (at == 0 && looks_like_zlib(header))
                throw std::runtime_error(
                    path +
                    ": the file looks ZLIB-compressed (it starts with a zlib header, "
                    "0x78), which Ganvas does not read; write it with GZIP compression or "
                    "none (tf.io.TFRecordOptions(compression_type=\"GZIP\"))");
            throw std::runtime_error(where +
                                     ": the length's checksum does not match; the file "
                                     "is corrupt or is not a TFRecord file");
        }
        const uint64_t length = read_le(header, 8);
        const size_t body = left - kLengthBytes - kCrcBytes;
        if (body < kCrcBytes || length > body - kCrcBytes)
            throw std::runtime_error(where + " declares " + std::to_string(length) +
                                     " bytes of data and a 4-byte checksum, but only " +
                                     std::to_string(body) +
                                     " bytes follow its header (an incomplete copy?)");
        const uint8_t* data = header + kLengthBytes + kCrcBytes;
        if (mask_crc32c(crc32c(data, length)) != read_le(data + length, 4))
            throw std::runtime_error(where +
                                     ": the data's checksum does not match; the file "
                                     "is corrupt");
        records.emplace_back(reinterpret_cast<const char*>(data), length);
        at += kLengthBytes + kCrcBytes + length + kCrcBytes;
    }
    return records;
}

std::string frame_tfrecord(const std::string& data) {
    std::string out;
    append_le(out, data.size(), 8);
    append_le(out, mask_crc32c(crc32c(out.data(), kLengthBytes)), 4);
    out += data;
    append_le(out, mask_crc32c(crc32c(data.data(), data.size())), 4);
    return out;
}

void write_tfrecord(const std::string& path, const std::vector<std::string>& records) {
    write_file_atomic(path, [&](std::ostream& out) {
        for (const std::string& r : records) {
            const std::string framed = frame_tfrecord(r);
            out.write(framed.data(), static_cast<std::streamsize>(framed.size()));
        }
    });
}

}  // namespace ganvas
