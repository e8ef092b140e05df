// --device gpu as a user runs it, on whatever OpenGL 4.3 the machine has (Mesa's
// llvmpipe in CI, so every step is small): train writes its run as on the CPU and
// resumes on either device; a GPU out of memory ends the run in one line with its
// last checkpoint intact; sample draws what the CPU draws; bench names the renderer.
#include <gtest/gtest.h>

#include <filesystem>

#include "backend/backend.h"
#include "io/npy.h"
#include "support/cli_runner.h"
#include "support/test_files.h"

using namespace ganvas;
using ganvas::testing::read_bytes;
using ganvas::testing::run_ganvas;
using ganvas::testing::temp_dir;
namespace fs = std::filesystem;

namespace {

class CliDevice : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        if (!backend_available(Device::gpu, &why)) GTEST_SKIP() << why;
    }
};

const char* kRun = "train --model dcgan28 --batch 4 --sample-every 1 --checkpoint-every 1 --quiet";

}  // namespace

TEST_F(CliDevice, TrainsResumesOnTheCpuAndEndsCleanlyWhenTheGpuRunsOutOfMemory) {
    const std::string out = temp_dir("cli_device_train");
    auto r = run_ganvas(std::string(kRun) + " --device gpu --steps 1 --out " + out);
    ASSERT_EQ(r.status, 0) << r.output;
    const std::string checkpoint = out + "/checkpoint.safetensors";
    ASSERT_TRUE(fs::exists(checkpoint)) << r.output;
    EXPECT_TRUE(fs::exists(out + "/samples_1.png")) << r.output;
    const std::string saved = read_bytes(checkpoint);

    // A pool capped at 1 MiB cannot hold the next step: one line, the checkpoint as it was.
    r = run_ganvas(std::string(kRun) + " --device gpu --steps 2 --resume --out " + out,
                   "GANVAS_GPU_MEMORY_CAP=1 ");
    EXPECT_NE(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("GPU out of memory"), std::string::npos) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
    EXPECT_EQ(read_bytes(checkpoint), saved);

    // The run goes on, on the CPU.
    r = run_ganvas(std::string(kRun) + " --device cpu --steps 2 --resume --out " + out);
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_TRUE(fs::exists(out + "/samples_2.png")) << r.output;
    fs::remove_all(out);
}

TEST_F(CliDevice, SampleDrawsWhatTheCpuDrawsAndBenchNamesTheRenderer) {
    const std::string out = temp_dir("cli_device_sample");
    ASSERT_EQ(run_ganvas(std::string(kRun) + " --steps 1 --out " + out).status, 0);
    const std::string checkpoint = out + "/checkpoint.safetensors";
    for (const char* device : {"cpu", "gpu"}) {
        const auto r = run_ganvas("sample --checkpoint " + checkpoint + " --n 5 --seed 3 --out " +
                                  out + "/" + device + ".npy --device " + device);
        ASSERT_EQ(r.status, 0) << r.output;
    }
    const std::vector<float> cpu = load_npy(out + "/cpu.npy").to_vector();
    const std::vector<float> gpu = load_npy(out + "/gpu.npy").to_vector();
    ASSERT_EQ(gpu.size(), cpu.size());
    for (size_t i = 0; i < cpu.size(); ++i) EXPECT_NEAR(gpu[i], cpu[i], 1e-4) << i;

    const auto r = run_ganvas("bench --model dcgan28 --steps 1 --warmup 0 --device gpu --json");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("\"device\": \"gpu\""), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("\"renderer\": \""), std::string::npos) << r.output;
    fs::remove_all(out);
}
