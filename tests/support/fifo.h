// FIFOs (named pipes) for tests of readers that must refuse one at once.
//
// Opening a FIFO to read blocks until some process opens it to write, so a
// reader that forgot to check would hang its test. finishes_on_fifo() runs
// the read on another thread; if it has not come back within a while, it
// opens the FIFO's writing end itself, which sets the read free, and fails.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <future>
#include <string>
#include <thread>

namespace ganvas::testing {

inline void make_fifo(const std::string& path) {
    ASSERT_EQ(mkfifo(path.c_str(), 0600), 0) << path;
}

// What read() threw ("" where it returned), once it has come back; a failure
// where it had to be set free.
inline std::string finishes_on_fifo(const std::string& fifo, const std::function<void()>& read) {
    auto result = std::async(std::launch::async, [&]() -> std::string {
        try {
            read();
        } catch (const std::exception& e) {
            return e.what();
        }
        return "";
    });
    if (result.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
        ADD_FAILURE() << "reading " << fifo << " blocked until a writer came";
        while (result.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
            const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);  // fails until a reader
            if (fd >= 0) ::close(fd);  // waits; then the reader reads an empty file
        }
    }
    return result.get();
}

}  // namespace ganvas::testing
