// Host memory for tensors: freed blocks come back for the same size, the
// cache keeps to its cap, and what it hands out is aligned and writable.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

#include "backend/host_memory.h"
#include "backend/storage.h"

namespace ganvas {
namespace {

#if defined(__SANITIZE_ADDRESS__)
#define GANVAS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GANVAS_ASAN 1
#endif
#endif

class HostMemoryTest : public ::testing::Test {
protected:
    void SetUp() override {
#ifdef GANVAS_ASAN
        GTEST_SKIP() << "the cache is off under AddressSanitizer, so use-after-free is caught";
#endif
        old_cap_ = set_host_memory_cache_limit(size_t{64} << 20);
        trim_host_memory();
    }
    void TearDown() override {
        set_host_memory_cache_limit(old_cap_);
    }
    size_t old_cap_ = 0;
};

TEST_F(HostMemoryTest, AFreedBlockComesBackForTheSameRoundedSize) {
    void* a = acquire_host_memory(1000);
    ASSERT_EQ(reinterpret_cast<uintptr_t>(a) % 64, 0u);
    std::memset(a, 1, 1000);
    release_host_memory(a, 1000);
    EXPECT_EQ(host_memory_stats().cached_bytes, 1024u);
    const size_t hits = host_memory_stats().hits;
    void* b = acquire_host_memory(1020);  // rounds to the same 1024 bytes
    EXPECT_EQ(b, a);
    EXPECT_EQ(host_memory_stats().hits, hits + 1);
    EXPECT_EQ(host_memory_stats().cached_bytes, 0u);
    release_host_memory(b, 1020);
}

TEST_F(HostMemoryTest, AnotherSizeIsNotServedFromTheCache) {
    void* a = acquire_host_memory(4096);
    release_host_memory(a, 4096);
    const size_t misses = host_memory_stats().misses;
    void* b = acquire_host_memory(8192);
    EXPECT_EQ(host_memory_stats().misses, misses + 1);
    std::memset(b, 0, 8192);
    release_host_memory(b, 8192);
    EXPECT_EQ(host_memory_stats().cached_bytes, 4096u + 8192u);
}

TEST_F(HostMemoryTest, TheCacheKeepsToItsCap) {
    set_host_memory_cache_limit(10000);
    void* a = acquire_host_memory(8192);
    void* b = acquire_host_memory(8192);
    release_host_memory(a, 8192);
    release_host_memory(b, 8192);  // over the cap: freed, not kept
    EXPECT_EQ(host_memory_stats().cached_bytes, 8192u);
    set_host_memory_cache_limit(0);  // lowering the cap frees what is above it
    EXPECT_EQ(host_memory_stats().cached_bytes, 0u);
    void* c = acquire_host_memory(64);
    release_host_memory(c, 64);
    EXPECT_EQ(host_memory_stats().cached_bytes, 0u);
}

TEST_F(HostMemoryTest, AWarmTensorLoopAsksTheSystemForNothing) {
    for (int warm = 0; warm < 2; ++warm) {
        Storage a(3 * 1000 * 4), b(77);
        static_cast<float*>(a.data())[2999] = 1.0f;
    }
    const size_t misses = host_memory_stats().misses;
    for (int step = 0; step < 10; ++step) {
        Storage a(3 * 1000 * 4), b(77);
        static_cast<float*>(a.data())[2999] = 1.0f;
    }
    EXPECT_EQ(host_memory_stats().misses, misses);
}

TEST_F(HostMemoryTest, ZeroBytesIsStillAUsableDistinctBlock) {
    void* a = acquire_host_memory(0);
    void* b = acquire_host_memory(0);
    EXPECT_NE(a, nullptr);
    EXPECT_NE(a, b);
    release_host_memory(a, 0);
    release_host_memory(b, 0);
}

}  // namespace
}  // namespace ganvas
