// The device seam: storage knows its device, host reads of device memory are
// refused with the op's name, ops refuse tensors on two devices, and copies
// between devices go through the backends.
#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>
#include <string>

#include "backend/backend.h"
#include "backend/emulated_gpu.h"
#include "ops/dispatch.h"
#include "ops/ops.h"
#include "support/test_files.h"

namespace ganvas {
namespace {

using ganvas::testing::message_of;

TEST(DeviceSeam, ParsesDeviceNames) {
    EXPECT_EQ(parse_device("cpu"), Device::cpu);
    EXPECT_EQ(parse_device("GPU"), Device::gpu);
    EXPECT_FALSE(parse_device("cuda").has_value());
    EXPECT_STREQ(device_name(Device::gpu), "gpu");
}

TEST(DeviceSeam, HostStorageIsAlignedAndOnTheCpu) {
    Tensor t = Tensor::zeros({3, 5});
    EXPECT_EQ(t.storage().device(), Device::cpu);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(t.data()) % 64, 0u);
}

TEST(DeviceSeam, DeviceStorageRefusesHostReadsNamingTheOp) {
    bool released = false;
    {
        Storage s(Device::gpu, 64, 7,
                  [&](uint64_t handle, size_t bytes) { released = handle == 7 && bytes == 64; });
        EXPECT_EQ(s.handle(), 7u);
        set_current_op("batch_norm");
        const std::string msg = message_of([&] { s.data(); });
        EXPECT_NE(msg.find("batch_norm"), std::string::npos) << msg;
        EXPECT_NE(msg.find("gpu"), std::string::npos) << msg;
    }
    EXPECT_TRUE(released) << "device storage goes back to its backend";
}

TEST(DeviceSeam, DispatchNamesTheOpOfItsKernels) {
    Tensor a = Tensor::ones({2, 2}), b = Tensor::ones({2, 2});
    EXPECT_EQ(&dispatch("matmul", {a, b, Tensor()}), &backend_for(Device::cpu));
    EXPECT_STREQ(current_op(), "matmul");
}

TEST(DeviceSeam, CopiesAndMovesKeepValuesAndIdentity) {
    Tensor a = Tensor::from_vector({2, 3}, {1, 2, 3, 4, 5, 6});
    EXPECT_TRUE(a.to(Device::cpu).same(a)) << "to() the same device shares";
    Tensor c = a.clone();
    c.fill_(2.0f);
    EXPECT_EQ(a.to_vector()[0], 1.0f);
    a.copy_(c);
    EXPECT_EQ(a.to_vector(), std::vector<float>(6, 2.0f));
    Tensor h = Tensor::from_vector_i64({2}, {5, -9});
    EXPECT_EQ(h.to_vector_i64(), (std::vector<int64_t>{5, -9}));
    EXPECT_THROW(h.item(), std::logic_error) << "two elements";
}

TEST(DeviceSeam, TheGpuBackendSaysWhyWhenItCannotOpen) {
    std::string why;
    if (backend_available(Device::gpu, &why)) GTEST_SKIP() << "a GPU backend opened";
    EXPECT_FALSE(why.empty());
    const std::string msg = message_of([] { Tensor::zeros({4}, DType::f32, Device::gpu); });
    EXPECT_FALSE(msg.empty());
    EXPECT_EQ(msg.find('\n'), std::string::npos) << "one line: " << msg;
}

}  // namespace
}  // namespace ganvas

namespace ganvas {
namespace {

TEST(EmulatedGpu, ConvolutionMatchesTheCpuAndKeepsItsMemoryOffTheHost) {
    EmulatedGpuScope gpu;
    Tensor x = Tensor::from_vector({1, 2, 3, 3},
                                   {1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -2, -3, -4, -5, -6, -7, -8, -9});
    Tensor w = Tensor::from_vector({1, 2, 2, 2}, {1, 0, 0, 1, 0.5f, 0.5f, 0.5f, 0.5f});
    Tensor expected = conv2d(x, w, Tensor(), {});
    Tensor xg = x.to(Device::gpu), wg = w.to(Device::gpu);
    Tensor y = conv2d(xg, wg, Tensor(), {});
    EXPECT_EQ(y.device(), Device::gpu);
    EXPECT_EQ(y.to_vector(), expected.to_vector());
    const std::string msg = message_of([&] { y.data(); });
    EXPECT_NE(msg.find("conv2d"), std::string::npos) << msg;
    EXPECT_THROW(conv2d(x, wg, Tensor(), {}), std::invalid_argument) << "two devices";
}

TEST(EmulatedGpu, MovingALeafInPlaceKeepsEveryHandle) {
    EmulatedGpuScope gpu;
    Tensor w = Tensor::from_vector({2}, {3, 4});
    w.requires_grad_();
    Tensor same = w;
    w.to_(Device::gpu);
    EXPECT_EQ(same.device(), Device::gpu);
    EXPECT_EQ(same.to_vector(), (std::vector<float>{3, 4}));
    same.to_(Device::cpu);
    EXPECT_EQ(w.data()[1], 4.0f);
}

}  // namespace
}  // namespace ganvas
