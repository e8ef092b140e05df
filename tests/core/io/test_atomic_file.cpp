// write_file_atomic: the temporary is created exclusively beside the target,
// never through a planted name or symlink, and never outlives the write.
#include "io/atomic_file.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>

#include "support/test_files.h"

namespace ganvas {
namespace {

namespace fs = std::filesystem;
using testing::read_bytes;
using testing::write_bytes;

class AtomicFileTest : public testing::TempDirTest {
protected:
    // Every name in the folder, so a leftover temporary of any name shows up.
    std::vector<std::string> names() const {
        std::vector<std::string> out;
        for (auto& entry : fs::directory_iterator(dir_)) out.push_back(entry.path().filename());
        std::sort(out.begin(), out.end());
        return out;
    }
    void write_text(const std::string& name, const std::string& text) {
        write_file_atomic(path(name), [&](std::ostream& out) { out << text; });
    }
};

TEST_F(AtomicFileTest, WritesTheBytesAndLeavesNoTemporary) {
    write_text("a.csv", "old");
    write_text("a.csv", "new contents");
    EXPECT_EQ(read_bytes(path("a.csv")), "new contents");
    EXPECT_EQ(names(), std::vector<std::string>{"a.csv"});
}

TEST_F(AtomicFileTest, DoesNotFollowASymlinkAtTheOldTemporaryName) {
    write_bytes(path("victim"), "precious");
    fs::create_symlink(path("victim"), path("metrics.csv.tmp"));
    write_text("metrics.csv", "step,loss\n");
    EXPECT_EQ(read_bytes(path("victim")), "precious");
    EXPECT_EQ(read_bytes(path("metrics.csv")), "step,loss\n");
}

TEST_F(AtomicFileTest, DoesNotFollowSymlinksAtOurTemporaryPrefix) {
    write_bytes(path("victim"), "precious");
    const std::string prefix = atomic_temp_prefix(path("ck.safetensors"));
    EXPECT_EQ(prefix, ".ck.safetensors.ganvas-");
    for (const char* guess : {"", "XXXXXX", "000000000000", "aaaaaaaaaaaa", "tmp"})
        fs::create_symlink(path("victim"), path(prefix + guess));
    write_text("ck.safetensors", "weights");
    EXPECT_EQ(read_bytes(path("victim")), "precious");
    EXPECT_EQ(read_bytes(path("ck.safetensors")), "weights");
}

TEST_F(AtomicFileTest, RemovesStaleTemporariesOfTheSameFileOnly) {
    const std::string prefix = atomic_temp_prefix(path("run.json"));
    write_bytes(path(prefix + "stale1"), "left by a killed run");
    fs::last_write_time(path(prefix + "stale1"),
                        fs::file_time_type::clock::now() - std::chrono::hours(1));
    // Newer than this process: maybe another process's write in progress.
    write_bytes(path(prefix + "busy"), "partial");
    fs::last_write_time(path(prefix + "busy"),
                        fs::file_time_type::clock::now() + std::chrono::hours(1));
    write_bytes(path(".other.json.ganvas-stale"), "someone else's");
    fs::last_write_time(path(".other.json.ganvas-stale"),
                        fs::file_time_type::clock::now() - std::chrono::hours(1));

    write_text("run.json", "{}");
    EXPECT_EQ(names(),
              (std::vector<std::string>{".other.json.ganvas-stale", prefix + "busy", "run.json"}));
}

TEST_F(AtomicFileTest, AThrowingWriterLeavesTheOldFileAndNoTemporary) {
    write_text("a.bin", "old");
    EXPECT_THROW(write_file_atomic(path("a.bin"),
                                   [](std::ostream& out) {
                                       out << "half";
                                       throw std::logic_error("stop");
                                   }),
                 std::logic_error);
    EXPECT_EQ(read_bytes(path("a.bin")), "old");
    EXPECT_EQ(names(), std::vector<std::string>{"a.bin"});
}

TEST_F(AtomicFileTest, AFailedRenameLeavesTheTargetAndNoTemporary) {
    fs::create_directory(path("taken"));
    write_bytes(path("taken/inside"), "kept");
    testing::expect_error([&] { write_text("taken", "x"); }, path("taken"), "cannot write");
    EXPECT_EQ(read_bytes(path("taken/inside")), "kept");
    EXPECT_EQ(names(), std::vector<std::string>{"taken"});
}

TEST_F(AtomicFileTest, AMissingFolderIsAClearError) {
    testing::expect_error([&] { write_text("no/such/file", "x"); }, path("no/such/file"),
                          "No such file or directory");
}

TEST_F(AtomicFileTest, LargeWritesGoThroughTheBuffer) {
    const std::string big(300000, 'z');
    write_text("big", big);
    EXPECT_EQ(read_bytes(path("big")), big);
}

}  // namespace
}  // namespace ganvas
