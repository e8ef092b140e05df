#include "io/zlib_reader.h"

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "io/regular_file.h"

namespace ganvas {

bool looks_like_zlib(const uint8_t* p) {
    return p[0] == 0x78 && ((p[0] << 8) | p[1]) % 31 == 0;
}

ZlibReader::ZlibReader(const std::string& path)
    : path_(path), stream_(std::make_unique<z_stream_s>()), in_(1 << 16) {
    file_ = open_regular_stream(path);
    std::memset(stream_.get(), 0, sizeof(z_stream_s));
    if (inflateInit(stream_.get()) != Z_OK) {
        std::fclose(file_);
        throw std::runtime_error(path + ": cannot start zlib");
    }
}

ZlibReader::~ZlibReader() {
    inflateEnd(stream_.get());
    std::fclose(file_);
}

size_t ZlibReader::read(uint8_t* dst, size_t n) {
    z_stream_s& z = *stream_;
    size_t done = 0;
    while (done < n) {
        if (z.avail_in == 0) {
            const size_t got = std::fread(in_.data(), 1, in_.size(), file_);
            if (got == 0) {
                if (std::ferror(file_))
                    throw std::runtime_error(path_ + ": cannot read: " + std::strerror(errno));
                if (in_stream_)
                    throw std::runtime_error(path_ +
                                             ": corrupt or cut-short zlib data (the file ends "
                                             "inside its compressed stream)");
                break;
            }
            z.next_in = in_.data();
            z.avail_in = static_cast<uInt>(got);
        }
        const size_t want = std::min<size_t>(n - done, 1 << 24);
        z.next_out = dst + done;
        z.avail_out = static_cast<uInt>(want);
        in_stream_ = true;
        const int code = inflate(&z, Z_NO_FLUSH);
        done += want - z.avail_out;
        if (code == Z_STREAM_END) {
            // Another stream may follow (a writer that restarted); read it the same way.
            inflateReset(&z);
            in_stream_ = false;
        } else if (code != Z_OK && code != Z_BUF_ERROR) {
            throw std::runtime_error(path_ + ": corrupt or cut-short zlib data (" +
                                     (z.msg ? z.msg : "inflate error " + std::to_string(code)) +
                                     ")");
        }
    }
    return done;
}

}  // namespace ganvas
