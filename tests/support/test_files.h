// Helpers for tests that write files: a fresh temporary folder per test,
// raw byte I/O, and checking that an error names the file and the problem.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <stdexcept>
#include <string>

namespace ganvas::testing {

class TempDirTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = ::testing::TempDir() + "ganvas_test_XXXXXX";
        ASSERT_NE(mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::string path(const std::string& name) const {
        return (std::filesystem::path(dir_) / name).string();
    }

    std::string dir_;
};

inline void write_bytes(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

inline std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// The bytes of `values` as they lie in memory (little-endian here).
template <typename T>
std::string raw(std::initializer_list<T> values) {
    std::string out(values.size() * sizeof(T), '\0');
    std::memcpy(out.data(), std::data(values), out.size());
    return out;
}

// What `fn` throws (any std::exception), or "" when it returns.
inline std::string message_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

// `fn` must throw std::runtime_error whose message names `path` and contains `needle`.
template <typename Fn>
void expect_error(Fn fn, const std::string& path, const std::string& needle) {
    try {
        fn();
        FAIL() << "expected an error mentioning '" << needle << "'";
    } catch (const std::runtime_error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find(path), std::string::npos) << msg;
        EXPECT_NE(msg.find(needle), std::string::npos) << msg;
    }
}

}  // namespace ganvas::testing
