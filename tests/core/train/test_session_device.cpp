// A session trains on a device as on the CPU, and a run moves between them:
// on the emulated GPU (the CPU's kernels on memory the host may not read) every
// step, sample grid and checkpoint must equal the CPU's bit for bit, which also
// proves that batches, noise and the sample grid reach the device and come back.
#include <gtest/gtest.h>

#include "backend/emulated_gpu.h"
#include "support/test_files.h"
#include "train/session.h"

using namespace ganvas;

namespace {

class SessionDevice : public ganvas::testing::TempDirTest {};

SessionConfig config(const std::string& model, Device device) {
    SessionConfig c;
    c.model = model;
    c.data = "fashion-mnist";
    c.batch = 8;
    c.seed = 11;
    c.device = device;
    return c;
}

}  // namespace

TEST_F(SessionDevice, TheSameSeedTrainsTheSameRunOnEitherDevice) {
    for (const char* model : {"dcgan28", "vqgan28"}) {
        Session cpu(config(model, Device::cpu));
        EmulatedGpuScope gpu_scope;
        Session gpu(config(model, Device::gpu));
        for (int i = 0; i < 3; ++i) EXPECT_EQ(gpu.step(), cpu.step()) << model << " step " << i;
        if (cpu.gan()) {
            EXPECT_EQ(gpu.fixed_samples().to_vector(), cpu.fixed_samples().to_vector()) << model;
        }
    }
}

TEST_F(SessionDevice, ARunTrainedOnOneDeviceResumesOnTheOther) {
    Session straight(config("dcgan28", Device::cpu));
    for (int i = 0; i < 3; ++i) straight.step();
    const StepStats fourth = straight.step();

    EmulatedGpuScope gpu_scope;
    Session gpu(config("dcgan28", Device::gpu));
    for (int i = 0; i < 3; ++i) gpu.step();
    gpu.save_checkpoint(path("gpu.safetensors"));

    Session cpu(config("dcgan28", Device::cpu));
    cpu.load_checkpoint(path("gpu.safetensors"));
    EXPECT_EQ(cpu.steps_done(), 3);
    EXPECT_EQ(cpu.step(), fourth);

    Session back(config("dcgan28", Device::gpu));  // and back onto the device
    back.load_checkpoint(path("gpu.safetensors"));
    EXPECT_EQ(back.step(), fourth);
}
