// Reads a file that may or may not be gzipped, through zlib's gzread (which passes
// plain files through unchanged), with zlib's errors turned into exceptions that name
// the file once. IDX files and TFRecord files (TensorFlow's GZIP option) both come
// either way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct gzFile_s;

namespace ganvas {

class GzReader {
public:
    // Throws std::runtime_error "PATH: cannot open: REASON".
    explicit GzReader(const std::string& path);

    // Reads up to n bytes; returns fewer only at the end of the data. Bad deflate data,
    // a gzip CRC mismatch or a stream cut short throw std::runtime_error naming the file.
    size_t read(uint8_t* dst, size_t n);

    // Everything left, grown chunk by chunk (never one allocation sized by a header);
    // throws naming the file past max_file_bytes() (tensor/limits.h).
    std::vector<uint8_t> read_all();

    const std::string& path() const { return path_; }

private:
    struct Closer {
        void operator()(gzFile_s* f) const;
    };
    std::string path_;
    std::unique_ptr<gzFile_s, Closer> file_;
};

}  // namespace ganvas
