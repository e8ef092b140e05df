#include "io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <streambuf>

namespace ganvas {

namespace fs = std::filesystem;

namespace {

// When this process started, as far as file times go: temporaries older than
// this cannot belong to a write in progress here.
const fs::file_time_type process_start = fs::file_time_type::clock::now();

std::runtime_error write_error(const std::string& path, const std::string& reason) {
    return std::runtime_error(path + ": cannot write: " + reason);
}

// A stream buffer over a file descriptor: std::ofstream can neither open with
// O_EXCL|O_NOFOLLOW nor fsync. The first failed write's errno is kept.
class FdBuffer : public std::streambuf {
public:
    explicit FdBuffer(int fd) : fd_(fd) { setp(buffer_.data(), buffer_.data() + buffer_.size()); }
    int error() const { return error_; }

protected:
    int_type overflow(int_type ch) override {
        if (!drain()) return traits_type::eof();
        if (!traits_type::eq_int_type(ch, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(ch);
            pbump(1);
        }
        return traits_type::not_eof(ch);
    }
    int sync() override { return drain() ? 0 : -1; }

private:
    bool drain() {
        const char* at = pbase();
        while (at < pptr()) {
            const ssize_t n = ::write(fd_, at, static_cast<size_t>(pptr() - at));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                if (!error_) error_ = n < 0 ? errno : ENOSPC;
                return false;
            }
            at += n;
        }
        setp(buffer_.data(), buffer_.data() + buffer_.size());
        return true;
    }

    int fd_;
    int error_ = 0;
    std::array<char, 1 << 16> buffer_;
};

std::string random_suffix() {
    thread_local std::mt19937_64 rng(std::random_device{}() ^ static_cast<uint64_t>(::getpid())
                                                                  << 32);
    static const char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string s(12, ' ');
    for (char& c : s) c = kChars[rng() % (sizeof kChars - 1)];
    return s;
}

// Removes temporaries for `path` that a process killed mid-write left behind.
// unlink never follows a symlink, so a planted link goes and its target stays.
void remove_stale_temporaries(const fs::path& folder, const std::string& prefix) {
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.rfind(prefix, 0) != 0) continue;
        std::error_code time_ec;
        const auto written =
            fs::symlink_status(it->path(), time_ec).type() == fs::file_type::symlink
                ? fs::file_time_type::min()
                : fs::last_write_time(it->path(), time_ec);
        if (!time_ec && written < process_start) ::unlink(it->path().c_str());
    }
}

// Creates the temporary exclusively, never through an existing name or link.
int create_temporary(const fs::path& folder, const std::string& prefix, std::string& tmp) {
    for (int attempt = 0; attempt < 100; ++attempt) {
        tmp = (folder / (prefix + random_suffix())).string();
        const int fd =
            ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST) return fd;
    }
    errno = EEXIST;
    return -1;
}

void sync_folder(const fs::path& folder) {
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);  // best effort: the rename itself is what must not fail
    ::close(fd);
}

}  // namespace

std::string atomic_temp_prefix(const std::string& path) {
    std::string prefix = ".";  // appended, not "." + string: GCC 12 warns falsely on that
    prefix += fs::path(path).filename().string();
    prefix += ".ganvas-";
    return prefix;
}

void write_file_atomic(const std::string& path, const std::function<void(std::ostream&)>& write) {
    if (path.empty() || !fs::path(path).has_filename())
        throw write_error(path, "the path names no file");
    fs::path folder = fs::path(path).parent_path();
    if (folder.empty()) folder = ".";
    const std::string prefix = atomic_temp_prefix(path);
    remove_stale_temporaries(folder, prefix);

    std::string tmp;
    const int fd = create_temporary(folder, prefix, tmp);
    if (fd < 0) throw write_error(path, std::strerror(errno));
    auto discard = [&] {
        ::close(fd);
        ::unlink(tmp.c_str());
    };

    FdBuffer buffer(fd);
    std::ostream out(&buffer);
    try {
        write(out);
    } catch (...) {
        discard();
        throw;
    }
    out.flush();
    if (!out || buffer.error()) {
        const int err = buffer.error();
        discard();
        throw write_error(path, err ? std::strerror(err) : "the write failed (disk full?)");
    }
    // Without the fsync a power cut after the rename can leave an empty file under the final name.
    if (::fsync(fd) != 0) {
        const int err = errno;
        discard();
        throw write_error(path, std::string("fsync failed: ") + std::strerror(err));
    }
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw write_error(path, std::strerror(err));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw write_error(path,
                          std::string("rename from the temporary failed: ") + std::strerror(err));
    }
    sync_folder(folder);
}

}  // namespace ganvas
