#include "fuzz/harness.h"

#include <sys/mman.h>
#include <unistd.h>

#include <exception>
#include <stdexcept>

namespace ganvas::fuzz {

const std::vector<Harness>& harnesses() {
    static const std::vector<Harness> all = {
        {"npy", fuzz_npy},
        {"safetensors", fuzz_safetensors},
        {"idx", fuzz_idx},
        {"tfrecord", fuzz_tfrecord},
        {"tf_example", fuzz_tf_example},
        {"feature_columns", fuzz_feature_columns},
        {"image", fuzz_image},
        {"rf_json", fuzz_rf_json},
        {"experiment", fuzz_experiment},
        {"column_file", fuzz_column_file},
        {"tensorboard", fuzz_tensorboard},
    };
    return all;
}

const Harness* find_harness(std::string_view name) {
    for (const Harness& h : harnesses())
        if (name == h.name) return &h;
    return nullptr;
}

bool run_harness(const Harness& h, std::string_view bytes) {
    try {
        h.run(bytes);
        return true;
    } catch (const std::exception&) {
        return false;  // a clear error for bad bytes: what a reader should do
    }
}

std::string as_file(std::string_view bytes) {
    static const int fd = memfd_create("ganvas-fuzz", 0);
    if (fd < 0)
        throw std::logic_error("memfd_create failed");  // not a std::runtime_error: a finding
    if (ftruncate(fd, 0) != 0) throw std::logic_error("ftruncate failed");
    size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = pwrite(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
        if (n <= 0) throw std::logic_error("pwrite failed");
        done += static_cast<size_t>(n);
    }
    return "/proc/self/fd/" + std::to_string(fd);
}

std::vector<std::string> split_records(std::string_view bytes) {
    std::vector<std::string> records;
    while (bytes.size() >= 2) {
        size_t length = static_cast<unsigned char>(bytes[0]) |
                        static_cast<size_t>(static_cast<unsigned char>(bytes[1])) << 8;
        bytes.remove_prefix(2);
        length = std::min(length, bytes.size());
        records.emplace_back(bytes.substr(0, length));
        bytes.remove_prefix(length);
    }
    return records;
}

std::string join_records(const std::vector<std::string>& records) {
    std::string out;
    for (const std::string& r : records) {
        if (r.size() > 0xffff) throw std::invalid_argument("join_records: a record over 64 KiB");
        out += static_cast<char>(r.size() & 0xff);
        out += static_cast<char>(r.size() >> 8);
        out += r;
    }
    return out;
}

}  // namespace ganvas::fuzz
