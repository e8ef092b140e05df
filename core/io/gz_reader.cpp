#include "io/gz_reader.h"

#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "io/regular_file.h"
#include "tensor/limits.h"

namespace ganvas {

void GzReader::Closer::operator()(gzFile_s* f) const {
    gzclose(f);
}

GzReader::GzReader(const std::string& path) : path_(path) {
    const int fd = open_regular_file(path);
    errno = 0;
    file_.reset(gzdopen(fd, "rb"));
    if (!file_) {
        const int error = errno ? errno : ENOMEM;
        ::close(fd);
        throw std::runtime_error(path + ": cannot open: " + std::strerror(error));
    }
    gzbuffer(file_.get(), 1 << 17);
}

size_t GzReader::read(uint8_t* dst, size_t n) {
    size_t done = 0;
    while (done < n) {
        const unsigned chunk = static_cast<unsigned>(std::min<size_t>(n - done, 1 << 24));
        const int got = gzread(file_.get(), dst + done, chunk);
        int code = Z_OK;
        std::string message = gzerror(file_.get(), &code);
        if (got < 0 || (code != Z_OK && code != Z_STREAM_END)) {
            // zlib prefixes its message with the path; we name the path once already.
            if (message.rfind(path_ + ": ", 0) == 0) message.erase(0, path_.size() + 2);
            if (code == Z_ERRNO) throw std::runtime_error(path_ + ": cannot read: " + message);
            throw std::runtime_error(path_ + ": corrupt or cut-short gzip data (" + message + ")");
        }
        if (got == 0) break;
        done += static_cast<size_t>(got);
    }
    return done;
}

std::vector<uint8_t> GzReader::read_all() {
    const uint64_t limit = static_cast<uint64_t>(max_file_bytes());
    std::vector<uint8_t> out;
    uint8_t chunk[1 << 16];  // the vector grows with the data, not by a fixed 16 MB
    for (size_t got; (got = read(chunk, sizeof chunk)) > 0;) {
        if (out.size() + got > limit)
            throw std::runtime_error(path_ + ": holds more than the limit of " +
                                     std::to_string(limit) +
                                     " bytes read from one file (GANVAS_MAX_FILE_BYTES raises it)");
        out.insert(out.end(), chunk, chunk + got);
    }
    return out;
}

}  // namespace ganvas
