#include "io/regular_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace ganvas {
namespace {

std::string not_a_file(mode_t mode) {
    if (S_ISDIR(mode)) return "it is a folder, not a file";
    if (S_ISFIFO(mode))
        return "it is a pipe (FIFO), not a file: save what it carries to a file first";
    if (S_ISSOCK(mode)) return "it is a socket, not a file";
    if (S_ISCHR(mode) || S_ISBLK(mode)) return "it is a device, not a file";
    return "it is not a regular file";
}

// An open descriptor, or -1 with the reason in `why`.
int try_open(const std::string& path, std::string& why) {
    // O_NONBLOCK: a FIFO's open returns at once instead of waiting for a writer.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        const int error = errno;
        struct stat st {};
        // A socket cannot be opened at all (ENXIO): say what it is.
        why = ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) ? not_a_file(st.st_mode)
                                                                     : std::strerror(error);
        return -1;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        why = std::strerror(errno);
    } else if (!S_ISREG(st.st_mode)) {
        why = not_a_file(st.st_mode);
    } else {
        const int flags = ::fcntl(fd, F_GETFL);
        if (flags >= 0 && ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0) return fd;
        why = std::strerror(errno);
    }
    ::close(fd);
    return -1;
}

}  // namespace

int open_regular_file(const std::string& path) {
    std::string why;
    const int fd = try_open(path, why);
    if (fd < 0) throw std::runtime_error(path + ": cannot open: " + why);
    return fd;
}

FILE* open_regular_stream(const std::string& path) {
    const int fd = open_regular_file(path);
    errno = 0;
    FILE* file = fdopen(fd, "rb");
    if (!file) {
        const int error = errno ? errno : ENOMEM;
        ::close(fd);
        throw std::runtime_error(path + ": cannot open: " + std::strerror(error));
    }
    return file;
}

std::string why_not_readable(const std::string& path) {
    std::string why;
    const int fd = try_open(path, why);
    if (fd >= 0) ::close(fd);
    return why;
}

}  // namespace ganvas
