#include "data/tensorboard_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "data/tfrecord.h"

namespace ganvas {
namespace {

double now_seconds() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

std::string host_name() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
    return name;
}

uint32_t big_endian32(const std::string& bytes, size_t at) {
    uint32_t v = 0;
    for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(bytes[at + i]);
    return v;
}

}  // namespace

bool png_header(const std::string& png, int* width, int* height, int* channels) {
    static const char kSignature[] = "\x89PNG\r\n\x1a\n";
    if (png.size() < 26 || png.compare(0, 8, kSignature, 8) != 0 || png.compare(12, 4, "IHDR") != 0)
        return false;
    *width = static_cast<int>(big_endian32(png, 16));
    *height = static_cast<int>(big_endian32(png, 20));
    switch (static_cast<uint8_t>(png[25])) {  // the colour type
        case 0:
            *channels = 1;
            break;
        case 4:
            *channels = 2;
            break;
        case 6:
            *channels = 4;
            break;
        default:  // 2 (RGB), 3 (a palette, drawn as RGB)
            *channels = 3;
    }
    return true;
}

TensorBoardWriter::TensorBoardWriter(const std::string& dir) {
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error)
        throw std::runtime_error(dir + ": cannot create the TensorBoard log folder (" +
                                 error.message() + ")");
    const long long time = static_cast<long long>(now_seconds());
    const std::string base = (std::filesystem::path(dir) /
                              ("events.out.tfevents." + std::to_string(time) + "." + host_name()))
                                 .string();
    // O_EXCL: another writer's file (one started in the same second) is never appended to.
    for (const std::string& name : {base, base + "." + std::to_string(::getpid())}) {
        fd_ = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd_ >= 0) {
            path_ = name;
            break;
        }
        if (errno != EEXIST)
            throw std::runtime_error(name + ": cannot create: " + std::strerror(errno));
    }
    if (fd_ < 0) throw std::runtime_error(base + ": cannot create: the name is taken");
    Event version;
    version.file_version = "brain.Event:2";
    write(version);
}

TensorBoardWriter::~TensorBoardWriter() {
    ::fsync(fd_);
    ::close(fd_);
}

void TensorBoardWriter::write(Event event) {
    if (event.wall_time == 0) event.wall_time = now_seconds();
    const std::string record = frame_tfrecord(serialize_event(event));
    size_t done = 0;
    while (done < record.size()) {
        const ssize_t n = ::write(fd_, record.data() + done, record.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw std::runtime_error(path_ + ": cannot write: " + std::strerror(errno));
        done += static_cast<size_t>(n);
    }
}

void TensorBoardWriter::add_scalars(int64_t step,
                                    const std::vector<std::pair<std::string, float>>& values) {
    Event event;
    event.step = step;
    for (const auto& [tag, value] : values) event.values.push_back(scalar_summary(tag, value));
    write(std::move(event));
}

void TensorBoardWriter::add_scalar(const std::string& tag, int64_t step, float value) {
    add_scalars(step, {{tag, value}});
}

void TensorBoardWriter::add_png(const std::string& tag, int64_t step, const std::string& png) {
    EventImage image;
    if (!png_header(png, &image.width, &image.height, &image.colorspace))
        throw std::invalid_argument("TensorBoard image " + tag + ": not a PNG file's bytes");
    image.encoded = png;
    Event event;
    event.step = step;
    event.values.push_back(image_summary(tag, std::move(image)));
    write(std::move(event));
}

void TensorBoardWriter::add_text(const std::string& tag, int64_t step, const std::string& text) {
    Event event;
    event.step = step;
    event.values.push_back(text_summary(tag, text));
    write(std::move(event));
}

void TensorBoardWriter::flush() {
    if (::fsync(fd_) != 0 && errno != EINVAL)
        throw std::runtime_error(path_ + ": cannot write: " + std::strerror(errno));
}

}  // namespace ganvas
