#include "data/tfrecord.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <stdexcept>

#include "data/crc32c.h"
#include "io/atomic_file.h"
#include "io/gz_reader.h"
#include "io/zlib_reader.h"
#include "tensor/limits.h"

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

// The file's bytes whatever TensorFlow compression wrote it: GZIP and none through
// gzread, ZLIB through inflate. A plain file whose first record happens to start like a
// zlib header (a length of 120 + 256k) is told apart by its header's checksum.
class RecordStream {
public:
    explicit RecordStream(const std::string& path) {
        uint8_t head[kLengthBytes + kCrcBytes] = {};
        size_t got = 0;
        {
            GzReader probe(path);  // reads through gzip: a gzipped file is never zlib here
            try {
                got = probe.read(head, sizeof head);
            } catch (const std::runtime_error&) {
                got = 0;  // bad gzip data: reading it again reports the damage
            }
        }
        const bool framed = got == sizeof head && mask_crc32c(crc32c(head, kLengthBytes)) ==
                                                      read_le(head + kLengthBytes, 4);
        if (got >= 2 && !framed && looks_like_zlib(head))
            zlib_ = std::make_unique<ZlibReader>(path);
        else
            gz_ = std::make_unique<GzReader>(path);
    }
    size_t read(uint8_t* dst, size_t n) { return zlib_ ? zlib_->read(dst, n) : gz_->read(dst, n); }

private:
    std::unique_ptr<GzReader> gz_;
    std::unique_ptr<ZlibReader> zlib_;
};

// Up to `n` bytes appended to `out` in steps, so what is allocated follows the bytes
// that are really there, not a length the file declares. Returns how many were read.
size_t append_from(RecordStream& file, std::string& out, uint64_t n) {
    constexpr uint64_t kStep = uint64_t(1) << 20;
    uint64_t done = 0;
    while (done < n) {
        const size_t want = static_cast<size_t>(std::min(n - done, kStep));
        const size_t held = out.size();
        out.resize(held + want);
        const size_t got = file.read(reinterpret_cast<uint8_t*>(out.data() + held), want);
        out.resize(held + got);
        done += got;
        if (got < want) break;
    }
    return static_cast<size_t>(done);
}

}  // namespace

TFRecordScan scan_tfrecord(const std::string& path) {
    // Records are read one at a time from the (possibly compressed) stream: nothing is
    // decompressed ahead, and a record's length is checked against the limit on bytes
    // read from one file before it sizes anything.
    RecordStream file(path);
    const uint64_t limit = static_cast<uint64_t>(max_file_bytes());
    TFRecordScan scan;
    std::vector<std::string>& records = scan.records;
    uint64_t at = 0;
    for (;;) {
        const std::string where = path + ": record " + std::to_string(records.size()) +
                                  " (at byte " + std::to_string(at) + ")";
        auto damaged = [&](const std::string& why) {
            scan.damage = where + why;
            scan.damage_at = at;
            return scan;
        };
        try {
            uint8_t header[kLengthBytes + kCrcBytes];
            const size_t got = file.read(header, sizeof header);
            if (got == 0) break;
            if (got < sizeof header)
                return damaged(" is cut off: the file ends " + std::to_string(got) +
                               " bytes into its 12-byte header (an incomplete copy?)");
            if (mask_crc32c(crc32c(header, kLengthBytes)) != read_le(header + kLengthBytes, 4))
                return damaged(
                    ": the length's checksum does not match; the file is corrupt or is not a "
                    "TFRecord file");
            const uint64_t length = read_le(header, 8);
            const uint64_t room = limit - std::min(limit, at + sizeof header + kCrcBytes);
            if (length > room)
                return damaged(" declares " + std::to_string(length) +
                               " bytes of data, past the limit of " + std::to_string(limit) +
                               " bytes read from one file (GANVAS_MAX_FILE_BYTES raises it)");
            std::string data;
            const size_t body = append_from(file, data, length);
            uint8_t crc[kCrcBytes];
            const size_t crc_got = body == length ? file.read(crc, kCrcBytes) : 0;
            if (crc_got < kCrcBytes)
                return damaged(" declares " + std::to_string(length) +
                               " bytes of data and a 4-byte checksum, but only " +
                               std::to_string(body + crc_got) +
                               " bytes follow its header (an incomplete copy?)");
            if (mask_crc32c(crc32c(data.data(), length)) != read_le(crc, 4))
                return damaged(": the data's checksum does not match; the file is corrupt");
            records.push_back(std::move(data));
            at += sizeof header + length + kCrcBytes;
        } catch (const std::runtime_error& e) {
            // Compressed data that stops decoding: what came before it stands.
            return damaged(std::string(": ") + e.what());
        }
    }
    return scan;
}

std::vector<std::string> read_tfrecord(const std::string& path) {
    TFRecordScan scan = scan_tfrecord(path);
    if (!scan.damage.empty()) throw std::runtime_error(scan.damage);
    return std::move(scan.records);
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
