// Opening the OpenGL backend where it cannot open: each case runs the backend
// in a child process (this test binary again) with an environment that breaks
// it, and expects one line that says what was found. The CPU path is untouched.
#include <gtest/gtest.h>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "backend/gl/gl_backend.h"
#include "ops/matmul.h"

extern char** environ;

namespace ganvas {
namespace {

// The child's side: what opening the backend gave, written where the parent said.
TEST(GlBackendChild, ReportsHowOpeningWent) {
    const char* out = std::getenv("GANVAS_GL_CHILD_OUT");
    if (!out) GTEST_SKIP() << "runs only as the child of the GlBackendOpen tests";
    std::string why;
    const bool opened = backend_available(Device::gpu, &why);
    // The CPU works whatever happened to the GPU.
    const float cpu = matmul(Tensor::full({1, 2}, 2.0f), Tensor::full({2, 1}, 3.0f)).item();
    std::ofstream(out) << (opened ? "opened cap " + std::to_string(gl::gpu_pool_stats().cap_bytes)
                                  : why)
                       << "|cpu " << cpu;
}

// Runs the child test with `extra` added to the environment; its report.
std::string open_in_child(std::vector<std::string> extra) {
    const std::string out = (std::filesystem::temp_directory_path() /
                             ("ganvas_gl_child_" + std::to_string(getpid()) + ".txt"))
                                .string();
    std::filesystem::remove(out);
    extra.push_back("GANVAS_GL_CHILD_OUT=" + out);
    std::vector<char*> env;
    for (char** e = environ; *e; ++e) env.push_back(*e);
    for (std::string& e : extra) env.push_back(e.data());
    env.push_back(nullptr);
    std::string exe = std::filesystem::read_symlink("/proc/self/exe").string();
    std::string filter = "--gtest_filter=GlBackendChild.*";
    char* argv[] = {exe.data(), filter.data(), nullptr};
    pid_t pid = 0;
    if (posix_spawn(&pid, exe.c_str(), nullptr, nullptr, argv, env.data()) != 0)
        return "spawn failed";
    int status = 0;
    waitpid(pid, &status, 0);
    std::stringstream text;
    text << std::ifstream(out).rdbuf();
    std::filesystem::remove(out);
    return text.str();
}

TEST(GlBackendOpen, NoEglDriverGivesOneLineAndTheCpuStillWorks) {
    // glvnd with no vendor library: EGL finds no display.
    const std::string report = open_in_child({"__EGL_VENDOR_LIBRARY_FILENAMES=/nonexistent.json"});
    EXPECT_NE(report.find("EGL"), std::string::npos) << report;
    EXPECT_EQ(report.find("opened"), std::string::npos) << report;
    EXPECT_EQ(report.find('\n'), std::string::npos) << report;
    EXPECT_NE(report.find("|cpu 12"), std::string::npos) << report;
}

TEST(GlBackendOpen, AnOpenGlOlderThan43IsNamed) {
    std::string why;
    if (!backend_available(Device::gpu, &why)) GTEST_SKIP() << "no OpenGL backend: " << why;
    // Mesa's drivers can be told to offer less than they have.
    const std::string report = open_in_child({"MESA_GL_VERSION_OVERRIDE=3.3"});
    if (report.rfind("opened", 0) == 0) GTEST_SKIP() << "this driver ignores the override";
    EXPECT_NE(report.find("4.3"), std::string::npos) << report;
    EXPECT_NE(report.find("found"), std::string::npos) << report;
    EXPECT_EQ(report.find('\n'), std::string::npos) << report;
    EXPECT_NE(report.find("|cpu 12"), std::string::npos) << report;
}

TEST(GlBackendOpen, TheMemoryCapComesFromTheEnvironment) {
    std::string why;
    if (!backend_available(Device::gpu, &why)) GTEST_SKIP() << "no OpenGL backend: " << why;
    EXPECT_EQ(open_in_child({"GANVAS_GPU_MEMORY_CAP=3"}), "opened cap 3145728|cpu 12");
    const std::string bad = open_in_child({"GANVAS_GPU_MEMORY_CAP=lots"});
    EXPECT_NE(bad.find("GANVAS_GPU_MEMORY_CAP must be a whole number of MiB"), std::string::npos)
        << bad;
}

}  // namespace
}  // namespace ganvas
