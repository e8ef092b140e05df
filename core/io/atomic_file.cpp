#include "io/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace ganvas {

namespace {

std::runtime_error write_error(const std::string& path, const std::string& reason) {
    return std::runtime_error(path + ": cannot write: " + reason);
}

// std::ofstream cannot fsync, so reopen the finished file and sync that: without
// it a power cut after the rename can leave an empty file under the final name.
bool sync_to_disk(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

}  // namespace

void write_file_atomic(const std::string& path, const std::function<void(std::ostream&)>& write) {
    const std::string tmp = path + ".tmp";
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw write_error(path, std::strerror(errno));

    try {
        write(out);
    } catch (...) {
        out.close();
        std::remove(tmp.c_str());
        throw;
    }

    out.flush();
    const bool written = static_cast<bool>(out);
    out.close();
    if (!written || out.fail()) {
        const int err = errno;
        std::remove(tmp.c_str());
        throw write_error(path, err ? std::strerror(err) : "the write failed (disk full?)");
    }
    if (!sync_to_disk(tmp)) {
        const int err = errno;
        std::remove(tmp.c_str());
        throw write_error(path, std::string("fsync failed: ") + std::strerror(err));
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        std::remove(tmp.c_str());
        throw write_error(path, std::string("rename from .tmp failed: ") + std::strerror(err));
    }
}

}  // namespace ganvas
