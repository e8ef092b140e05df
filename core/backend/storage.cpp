#include "backend/storage.h"

#include "backend/host_memory.h"

#include <stdexcept>
#include <string>

namespace ganvas {
namespace {
thread_local const char* g_current_op = "";
}  // namespace

const char* current_op() {
    return g_current_op;
}
void set_current_op(const char* op) {
    g_current_op = op ? op : "";
}

Storage::Storage(size_t bytes) : data_(acquire_host_memory(bytes)), bytes_(bytes) {}

Storage::Storage(Device device, size_t bytes) : Storage(bytes) {
    device_ = device;
}

Storage::Storage(Device device, size_t bytes, uint64_t handle, Release release)
    : device_(device), bytes_(bytes), handle_(handle), release_(std::move(release)) {}

Storage::~Storage() {
    if (data_) release_host_memory(data_, bytes_);
    if (release_) release_(handle_, bytes_);
}

void* Storage::data() {
    if (device_ != Device::cpu) {
        std::string op = current_op();
        throw std::logic_error((op.empty() ? std::string("a tensor") : op + ": a tensor") +
                               " lives on the " + device_name(device_) +
                               "; its memory cannot be read on the host (copy it with "
                               "to(Device::cpu) first)");
    }
    return data_;
}

const void* Storage::data() const {
    return const_cast<Storage*>(this)->data();
}

void* Storage::kernel_data() {
    if (!data_)
        throw std::logic_error(std::string(current_op()) + ": a CPU kernel was given " +
                               device_name(device_) + " memory");
    return data_;
}

const void* Storage::kernel_data() const {
    return const_cast<Storage*>(this)->kernel_data();
}

}  // namespace ganvas
