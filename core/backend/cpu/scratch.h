// Per-thread scratch memory that grows and stays: a model's kernels run with
// the same shapes every step, so after the first step no call allocates.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>

namespace ganvas::cpu {

// Keep one as a thread_local: get(n) returns 64-byte aligned room for n
// floats, valid until the next larger get.
class Scratch {
public:
    float* get(int64_t n) {
        if (n > capacity_) {
            const size_t bytes = (static_cast<size_t>(n) * sizeof(float) + 63) / 64 * 64;
            data_.reset(static_cast<float*>(std::aligned_alloc(64, bytes)));
            if (!data_) throw std::bad_alloc();
            capacity_ = n;
        }
        return data_.get();
    }

private:
    struct Free {
        void operator()(float* p) const { std::free(p); }
    };
    std::unique_ptr<float, Free> data_;
    int64_t capacity_ = 0;
};

}  // namespace ganvas::cpu
