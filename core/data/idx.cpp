#include "data/idx.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <stdexcept>

namespace ganvas {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
    throw std::runtime_error(path + ": " + problem);
}

struct GzCloser {
    void operator()(gzFile_s* f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<gzFile_s, GzCloser>;

// Reads up to n bytes; stops short only at the end of the data. Decompression errors
// (bad deflate data, CRC mismatch, a gzip stream cut short) become exceptions.
size_t read_some(gzFile_s* file, uint8_t* dst, size_t n, const std::string& path) {
    size_t done = 0;
    while (done < n) {
        const unsigned chunk = static_cast<unsigned>(std::min<size_t>(n - done, 1 << 24));
        const int got = gzread(file, dst + done, chunk);
        int code = Z_OK;
        std::string message = gzerror(file, &code);
        if (got < 0 || (code != Z_OK && code != Z_STREAM_END)) {
            // zlib prefixes its message with the path; we name the path once already.
            if (message.rfind(path + ": ", 0) == 0) message.erase(0, path.size() + 2);
            if (code == Z_ERRNO) fail(path, "cannot read: " + message);
            fail(path, "corrupt or cut-short gzip data (" + message + ")");
        }
        if (got == 0) break;
        done += static_cast<size_t>(got);
    }
    return done;
}

const char* type_name(int code) {
    switch (code) {
        case 0x09: return "signed byte";
        case 0x0B: return "int16";
        case 0x0C: return "int32";
        case 0x0D: return "float32";
        case 0x0E: return "float64";
        default: return "unknown";
    }
}

}  // namespace

IdxArray read_idx(const std::string& path) {
    errno = 0;
    GzFile file(gzopen(path.c_str(), "rb"));
    if (!file) fail(path, std::string("cannot open: ") + std::strerror(errno ? errno : ENOMEM));
    gzbuffer(file.get(), 1 << 17);

    uint8_t magic[4];
    if (read_some(file.get(), magic, 4, path) < 4) fail(path, "too short to be an IDX file");
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
    if (read_some(file.get(), dims, 4 * rank, path) < static_cast<size_t>(4 * rank))
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

    // Grow the buffer while reading rather than trusting the header with one huge
    // allocation: a corrupt header must give a "truncated" error, not bad_alloc.
    size_t held = 0;
    while (held < count) {
        const size_t want = std::min<uint64_t>(count - held, size_t(1) << 26);
        out.bytes.resize(held + want);
        const size_t got = read_some(file.get(), out.bytes.data() + held, want, path);
        held += got;
        if (got < want) break;
    }
    if (held < count)
        fail(path, "truncated: header declares " + std::to_string(count) + " bytes " +
                       shape_str(out.shape) + " but the file holds " + std::to_string(held));

    // Reading past the end also makes zlib verify the gzip CRC and length trailer.
    uint8_t extra[4096];
    size_t trailing = 0;
    for (size_t got; (got = read_some(file.get(), extra, sizeof extra, path)) > 0;) trailing += got;
    if (trailing > 0)
        fail(path, std::to_string(trailing) + " unexpected bytes after the " +
                       std::to_string(count) + " the header declares");
    return out;
}

}  // namespace ganvas
