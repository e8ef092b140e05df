// Runs the ganvas executable from tests and captures its exit status and stderr.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/test_files.h"

namespace ganvas::testing {

struct CliResult {
    int status = -1;     // exit code
    std::string output;  // stdout and stderr together
};

// Runs a shell command line; stdout and stderr together.
inline CliResult run_command(const std::string& command) {
    const std::string cmd = command + " 2>&1";
    CliResult r;
    FILE* pipe = popen(cmd.c_str(), "r");
    if (!pipe) return r;
    std::array<char, 4096> buf;
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.output.append(buf.data(), n);
    int st = pclose(pipe);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

// `env` is a prefix of VAR=value assignments for the shell ("DISPLAY=:5 ").
inline CliResult run_ganvas(const std::string& args, const std::string& env = "") {
    return run_command(env + std::string(GANVAS_BINARY) + " " + args);
}

// A failed command that says what went wrong in one line naming `what`.
inline void expect_clear_error(const CliResult& r, const std::string& what) {
    EXPECT_NE(r.status, 0) << r.output;
    EXPECT_NE(r.output.find(what), std::string::npos)
        << "output does not name '" << what << "': " << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
}

// A fresh folder for one test; the process id keeps two suites running at once
// (two checkouts, or CI beside a developer) out of each other's files.
inline std::string temp_dir(const std::string& name) {
    auto dir = std::filesystem::path(::testing::TempDir()) /
               ("ganvas_" + name + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

}  // namespace ganvas::testing
