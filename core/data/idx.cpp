#include "data/idx.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "io/gz_reader.h"
#include "tensor/limits.h"

namespace ganvas {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
    throw std::runtime_error(path + ": " + problem);
}

const char* type_name(int code) {
    switch (code) {
        case 0x09:
            return "signed byte";
        case 0x0B:
            return "int16";
        case 0x0C:
            return "int32";
        case 0x0D:
            return "float32";
        case 0x0E:
            return "float64";
        default:
            return "unknown";
    }
}

}  // namespace

IdxArray read_idx(const std::string& path) {
    GzReader file(path);

    uint8_t magic[4];
    if (file.read(magic, 4) < 4) fail(path, "too short to be an IDX file");
    if (magic[0] != 0 || magic[1] != 0)
        fail(path, "not an IDX file: bad magic (the first two bytes must be zero)");
    if (magic[2] != 0x08) {
        char code[8];
        std::snprintf(code, sizeof code, "0x%02X", magic[2]);
        fail(path, std::string("IDX type code ") + code + " (" + type_name(magic[2]) +
                       ") is not supported; Ganvas reads unsigned bytes (0x08)");
    }
    const int rank = magic[3];
    if (rank < 1 || rank > 4) fail(path, "IDX rank " + std::to_string(rank) + " is not 1 to 4");

    IdxArray out;
    uint8_t dims[16];
    if (file.read(dims, 4 * rank) < static_cast<size_t>(4 * rank))
        fail(path, "truncated: the file ends inside the IDX dimensions");
    uint64_t count = 1;  // at most (2^32)^4 would overflow, so check as we go
    for (int d = 0; d < rank; ++d) {
        const uint64_t dim = (uint64_t(dims[4 * d]) << 24) | (uint64_t(dims[4 * d + 1]) << 16) |
                             (uint64_t(dims[4 * d + 2]) << 8) | uint64_t(dims[4 * d + 3]);
        if (dim != 0 && count > std::numeric_limits<int64_t>::max() / dim)
            fail(path, "the IDX dimensions are impossibly large");
        count *= dim;
        out.shape.push_back(static_cast<int64_t>(dim));
    }

    // The images become one tensor, so the tensor limit applies before any byte is read
    // (a few megabytes of gzip can declare and hold gigabytes).
    if (count > static_cast<uint64_t>(max_tensor_values()))
        fail(path, "the IDX header declares " + std::to_string(count) + " values " +
                       shape_str(out.shape) + ", more than the limit of " +
                       std::to_string(max_tensor_values()) +
                       " values a tensor (GANVAS_MAX_TENSOR_VALUES raises it)");

    // Grow the buffer while reading rather than trusting the header with one huge
    // allocation: a corrupt header must give a "truncated" error, not bad_alloc. The
    // chunks start small and double, so a short file claiming a big array costs what
    // the file holds, not 64 MB of zeros (which held the fuzzer to 11 inputs a second).
    size_t held = 0;
    for (size_t chunk = size_t(1) << 16; held < count;
         chunk = std::min(2 * chunk, size_t(1) << 26)) {
        const size_t want = std::min<uint64_t>(count - held, chunk);
        out.bytes.resize(held + want);
        const size_t got = file.read(out.bytes.data() + held, want);
        held += got;
        if (got < want) break;
    }
    if (held < count)
        fail(path, "truncated: header declares " + std::to_string(count) + " bytes " +
                       shape_str(out.shape) + " but the file holds " + std::to_string(held));

    // Reading past the end also makes zlib verify the gzip CRC and length trailer.
    // Trailing bytes are counted for the message only up to a point: gigabytes of
    // gzipped zeros behind a small array must not take seconds to decompress.
    constexpr size_t kCountedTrailing = size_t(1) << 20;
    uint8_t extra[4096];
    size_t trailing = 0;
    for (size_t got; trailing <= kCountedTrailing && (got = file.read(extra, sizeof extra)) > 0;)
        trailing += got;
    if (trailing > kCountedTrailing)
        fail(path, "more than " + std::to_string(kCountedTrailing) +
                       " unexpected bytes after the " + std::to_string(count) +
                       " the header declares");
    if (trailing > 0)
        fail(path, std::to_string(trailing) + " unexpected bytes after the " +
                       std::to_string(count) + " the header declares");
    return out;
}

}  // namespace ganvas
