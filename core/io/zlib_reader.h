// Reads a file that is one zlib stream (RFC 1950: a 2-byte header, deflate data, an
// Adler-32), or several back to back, as TensorFlow's ZLIB compression writes TFRecord
// files. zlib's gzread (io/gz_reader.h) reads gzip and plain files, not this wrapper.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

struct z_stream_s;

namespace ganvas {

class ZlibReader {
public:
    // Throws std::runtime_error "PATH: cannot open: REASON".
    explicit ZlibReader(const std::string& path);
    ~ZlibReader();
    ZlibReader(const ZlibReader&) = delete;
    ZlibReader& operator=(const ZlibReader&) = delete;

    // Reads up to n bytes; returns fewer only at the end of the data. Bad deflate data,
    // an Adler-32 mismatch or a stream cut short throw std::runtime_error naming the file.
    size_t read(uint8_t* dst, size_t n);

private:
    std::string path_;
    std::FILE* file_ = nullptr;
    std::unique_ptr<z_stream_s> stream_;
    std::vector<uint8_t> in_;
    bool in_stream_ = false;  // inside a stream: the end of the file now is a cut
};

// Whether the first two bytes of a file are a zlib header: CMF 0x78 (deflate, 32 KiB
// window) and FLG making the pair a multiple of 31 (RFC 1950).
bool looks_like_zlib(const uint8_t* two_bytes);

}  // namespace ganvas
