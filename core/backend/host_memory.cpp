#include "backend/host_memory.h"

#include <cstdlib>
#include <mutex>
#include <new>
#include <string>
#include <unordered_map>
#include <vector>

namespace ganvas {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

size_t rounded(size_t bytes) {
    return bytes == 0 ? 64 : (bytes + 63) / 64 * 64;
}

size_t cap_from_environment() {
    if (kSanitized) return 0;
    const char* v = std::getenv("GANVAS_HOST_CACHE_MB");
    if (!v || !*v) return size_t{1024} << 20;
    char* end = nullptr;
    const unsigned long long mb = std::strtoull(v, &end, 10);
    if (*end != '\0') return size_t{1024} << 20;  // not a number: the default
    return static_cast<size_t>(mb) << 20;
}

class BlockCache {
public:
    void* acquire(size_t bytes) {
        const size_t size = rounded(bytes);
        {
            std::lock_guard<std::mutex> lock(m_);
            auto it = free_.find(size);
            if (it != free_.end() && !it->second.empty()) {
                void* p = it->second.back();
                it->second.pop_back();
                cached_ -= size;
                ++hits_;
                return p;
            }
            ++misses_;
        }
        void* p = std::aligned_alloc(64, size);
        if (!p) {
            trim();  // memory held for other sizes may be what is missing
            p = std::aligned_alloc(64, size);
            if (!p) throw std::bad_alloc();
        }
        return p;
    }

    void release(void* p, size_t bytes) {
        if (!p) return;
        const size_t size = rounded(bytes);
        {
            std::lock_guard<std::mutex> lock(m_);
            if (cached_ + size <= cap_) {
                free_[size].push_back(p);
                cached_ += size;
                return;
            }
        }
        std::free(p);
    }

    HostMemoryStats stats() {
        std::lock_guard<std::mutex> lock(m_);
        return {cached_, hits_, misses_};
    }

    size_t set_cap(size_t bytes) {
        std::vector<void*> drop;
        size_t old;
        {
            std::lock_guard<std::mutex> lock(m_);
            old = cap_;
            cap_ = kSanitized ? 0 : bytes;
            for (auto it = free_.begin(); it != free_.end() && cached_ > cap_; ++it)
                while (!it->second.empty() && cached_ > cap_) {
                    drop.push_back(it->second.back());
                    it->second.pop_back();
                    cached_ -= it->first;
                }
        }
        for (void* p : drop) std::free(p);
        return old;
    }

    void trim() {
        std::unordered_map<size_t, std::vector<void*>> blocks;
        {
            std::lock_guard<std::mutex> lock(m_);
            blocks.swap(free_);
            cached_ = 0;
        }
        for (auto& [size, list] : blocks)
            for (void* p : list) std::free(p);
    }

private:
    std::mutex m_;
    std::unordered_map<size_t, std::vector<void*>> free_;  // rounded size -> free blocks
    size_t cached_ = 0, hits_ = 0, misses_ = 0;
    size_t cap_ = cap_from_environment();
};

BlockCache& cache() {
    // Never destroyed: tensors in static objects may be freed after it would be.
    static BlockCache* c = new BlockCache;
    return *c;
}

}  // namespace

void* acquire_host_memory(size_t bytes) {
    return cache().acquire(bytes);
}

void release_host_memory(void* p, size_t bytes) {
    cache().release(p, bytes);
}

HostMemoryStats host_memory_stats() {
    return cache().stats();
}

void trim_host_memory() {
    cache().trim();
}

size_t set_host_memory_cache_limit(size_t bytes) {
    return cache().set_cap(bytes);
}

}  // namespace ganvas
