// Every input saved under tests/fuzz/regressions/<harness>/ (a fuzzer's finding, or an
// edge case worth keeping) goes through its reader in the normal build: a clear
// std::exception or success, never a crash, a sanitizer report or another exception.
// regressions/pending/<harness>/ holds findings whose fix is still to come (README,
// "Fuzzing"): kept with the fuzzer's input, not replayed until the fix moves them up.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "fuzz/harness.h"

namespace fs = std::filesystem;
using namespace ganvas::fuzz;

namespace {

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

TEST(FuzzRegressions, EveryFolderNamesAHarness) {
    for (const auto& entry : fs::directory_iterator(GANVAS_FUZZ_REGRESSIONS_DIR)) {
        if (!entry.is_directory() || entry.path().filename() == "pending") continue;
        EXPECT_NE(find_harness(entry.path().filename().string()), nullptr)
            << entry.path() << " is not the name of a harness in tests/fuzz/harness.cpp";
    }
}

TEST(FuzzRegressions, EverySavedInputIsRejectedOrReadWithoutCrashing) {
    int replayed = 0;
    for (const Harness& h : harnesses()) {
        fs::path dir = fs::path(GANVAS_FUZZ_REGRESSIONS_DIR) / h.name;
        if (!fs::is_directory(dir)) continue;
        std::set<fs::path> inputs;  // sorted, so a failure names the same file every run
        for (const auto& entry : fs::directory_iterator(dir))
            if (entry.is_regular_file()) inputs.insert(entry.path());
        for (const fs::path& input : inputs) {
            SCOPED_TRACE(input.string());
            EXPECT_NO_THROW(run_harness(h, slurp(input)));  // std::exception is caught inside
            ++replayed;
        }
    }
    EXPECT_GT(replayed, 0) << "no inputs under " << GANVAS_FUZZ_REGRESSIONS_DIR;
}

TEST(FuzzRegressions, RecordFramingRoundTrips) {
    std::vector<std::string> records = {"", "a", std::string(300, 'x')};
    EXPECT_EQ(split_records(join_records(records)), records);
    // A length that runs past the end keeps what is there, as the fuzzer's inputs may.
    EXPECT_EQ(split_records(std::string("\x05\x00"
                                        "ab",
                                        4)),
              std::vector<std::string>{"ab"});
}

TEST(FuzzRegressions, AsFileHoldsExactlyTheBytesOfTheLastCall) {
    as_file(std::string(100, 'x'));
    std::string bytes("short\0bytes", 11);
    EXPECT_EQ(slurp(as_file(bytes)), bytes);
}

}  // namespace
