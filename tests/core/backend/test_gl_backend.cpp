// The OpenGL backend itself: what it reports, its buffer pool (reuse once
// warm, a cap that fails with one line and frees nothing) and its context per
// thread. Runs on Mesa's llvmpipe where
// there is no GPU; skipped, with the reason, only where no GL 4.3 opens.
#include <gtest/gtest.h>

#include <epoxy/gl.h>

#include <cmath>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>

#include "autograd/autograd.h"
#include "backend/backend.h"
#include "backend/gl/gl_backend.h"
#include "backend/gl/gl_device.h"
#include "ops/conv.h"
#include "ops/matmul.h"
#include "support/test_files.h"
#include "tensor/rng.h"

namespace ganvas {
namespace {

using ganvas::testing::message_of;

class GlBackendTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        if (!backend_available(Device::gpu, &why)) GTEST_SKIP() << "no OpenGL backend: " << why;
    }
    void TearDown() override {
        if (backend_available(Device::gpu)) gl::set_gpu_memory_cap(0);
    }
};

TEST_F(GlBackendTest, DescribeNamesTheRendererAndVersion) {
    Backend& be = backend_for(Device::gpu);
    EXPECT_EQ(be.device(), Device::gpu);
    const char* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
    ASSERT_NE(renderer, nullptr) << "the backend's context is current on this thread";
    const std::string text = be.describe();
    EXPECT_NE(text.find(renderer), std::string::npos) << text;
    EXPECT_NE(text.find("OpenGL 4."), std::string::npos) << text;
    EXPECT_GE(epoxy_gl_version(), 43);
}

TEST_F(GlBackendTest, AShaderTheDriverRefusesIsNamedInOneLine) {
    auto& be = static_cast<gl::GlBackend&>(backend_for(Device::gpu));
    const char* bad =
        "#version 430\nlayout(local_size_x = 1) in;\nvoid main() { undefined_name; }\n";
    const std::string msg = message_of([&] { be.compile("broken", bad); });
    EXPECT_NE(msg.find("shaders/broken.comp"), std::string::npos) << msg;
    EXPECT_NE(msg.find("does not compile"), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    const std::string missing = message_of([&] { be.program("no_such_shader"); });
    EXPECT_NE(missing.find("shaders/no_such_shader.comp"), std::string::npos) << missing;
    // Every shader that is built in compiles on this driver.
    for (const char* name : {"gemm", "im2col", "col2im", "sum_channels"})
        EXPECT_EQ(message_of([&] { be.program(name); }), "") << name;
}

TEST_F(GlBackendTest, MemoryFunctionsRoundTrip) {
    Tensor t = Tensor::from_vector({5}, {1, 2, 3, 4, 5}).to(Device::gpu);
    EXPECT_EQ(t.to_vector(), (std::vector<float>{1, 2, 3, 4, 5}));
    Tensor c = t.clone();  // copy
    t.fill_(2.5f);
    EXPECT_EQ(t.to_vector(), std::vector<float>(5, 2.5f));
    EXPECT_EQ(c.to_vector(), (std::vector<float>{1, 2, 3, 4, 5}));
    EXPECT_EQ(Tensor::zeros({3}, DType::f32, Device::gpu).to_vector(), std::vector<float>(3, 0.0f));
    Tensor i = Tensor::from_vector_i64({2}, {-7, 1LL << 40}).to(Device::gpu);
    EXPECT_EQ(i.to_vector_i64(), (std::vector<int64_t>{-7, 1LL << 40}));
}

TEST_F(GlBackendTest, BuffersAreReusedOnceWarm) {
    Rng rng(3);
    Tensor x = rng.randn({2, 3, 9, 9}).to(Device::gpu), w = rng.randn({4, 3, 3, 3}).to(Device::gpu);
    auto step = [&] { return conv2d(x, w, Tensor(), {}).to_vector(); };
    const std::vector<float> first = step();  // warms the pool: output and im2col scratch
    const gl::GpuPoolStats warm = gl::gpu_pool_stats();
    for (int i = 0; i < 3; ++i) EXPECT_EQ(step(), first);
    const gl::GpuPoolStats after = gl::gpu_pool_stats();
    EXPECT_EQ(after.buffers_created, warm.buffers_created) << "no buffer created once warm";
    EXPECT_GE(after.buffers_reused, warm.buffers_reused + 6) << "output and scratch, 3 steps";
    EXPECT_EQ(after.bytes_in_use, warm.bytes_in_use);
}

TEST_F(GlBackendTest, ConvolutionsSplitIntoChunksOfImagesMatchTheCpu) {
    // Two images' im2col worth of scratch: a batch of 5 runs in chunks 2, 2, 1.
    const Shape xs{5, 3, 6, 7}, ws{4, 3, 3, 2};
    gl::set_gpu_conv_scratch_floats(2 * (3 * 3 * 2) * (3 * 4));
    Conv2dParams p;
    p.stride = {2, 2}, p.padding = {1, 1};
    auto run = [&](Device d) {
        Rng rng(9);
        Tensor x = rng.randn(xs).to(d), w = rng.randn(ws).to(d), b = rng.randn({4}).to(d);
        for (Tensor* t : {&x, &w, &b}) t->requires_grad_();
        Tensor y = conv2d(x, w, b, p);
        auto grads = grad({y}, {x, w, b}, {rng.randn(y.shape()).to(d)});
        std::vector<std::vector<float>> out{y.to_vector()};
        for (const Tensor& g : grads) out.push_back(g.to_vector());
        return out;
    };
    const auto cpu = run(Device::cpu), gpu = run(Device::gpu);
    gl::set_gpu_conv_scratch_floats(int64_t{1} << 24);
    ASSERT_EQ(gpu.size(), cpu.size());
    for (size_t i = 0; i < cpu.size(); ++i) {
        ASSERT_EQ(gpu[i].size(), cpu[i].size());
        for (size_t j = 0; j < cpu[i].size(); ++j)
            ASSERT_NEAR(gpu[i][j], cpu[i][j], 1e-4f * (1.0f + std::abs(cpu[i][j])))
                << i << " " << j;
    }
}

TEST_F(GlBackendTest, PoolCapGivesOneLineOutOfMemoryAndFreesNothing) {
    Tensor kept = Tensor::full({1000}, 4.0f, Device::gpu);
    const gl::GpuPoolStats before = gl::gpu_pool_stats();
    gl::set_gpu_memory_cap(before.bytes_in_use + (1 << 20));
    std::string msg;
    try {
        Tensor::empty({1 << 20}, DType::f32, Device::gpu);  // 4 MiB past a 1 MiB margin
    } catch (const std::runtime_error& e) {
        msg = e.what();
    }
    EXPECT_NE(msg.find("GPU out of memory"), std::string::npos) << msg;
    EXPECT_NE(msg.find("(cap "), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << "one line: " << msg;
    EXPECT_EQ(gl::gpu_pool_stats().bytes_in_use, before.bytes_in_use);
    EXPECT_EQ(kept.to_vector(), std::vector<float>(1000, 4.0f)) << "nothing allocated is lost";
    // Below the cap allocation goes on, and lifting it allows the large one.
    EXPECT_NO_THROW(Tensor::empty({1000}, DType::f32, Device::gpu));
    gl::set_gpu_memory_cap(0);
    EXPECT_NO_THROW(Tensor::empty({1 << 20}, DType::f32, Device::gpu));
}

TEST_F(GlBackendTest, AnOpOutOfMemoryMidwayLosesNothingAndLeaksNothing) {
    Rng rng(4);
    const std::vector<float> xv = rng.randn({2, 16, 20, 20}).to_vector();
    Tensor x = Tensor::from_vector({2, 16, 20, 20}, xv).to(Device::gpu);
    Tensor w = rng.randn({8, 16, 3, 3}).to(Device::gpu);
    gl::trim_gpu_pool();
    const gl::GpuPoolStats before = gl::gpu_pool_stats();
    // Room for the output (2*8*18*18 floats, about 20 KiB) but not for the
    // im2col scratch (2*144*324 floats, about 365 KiB).
    gl::set_gpu_memory_cap(before.bytes_in_use + (64 << 10));
    std::string msg;
    try {
        conv2d(x, w, Tensor(), {});
    } catch (const std::runtime_error& e) {
        msg = e.what();
    }
    EXPECT_NE(msg.find("GPU out of memory"), std::string::npos) << msg;
    EXPECT_EQ(gl::gpu_pool_stats().bytes_in_use, before.bytes_in_use) << "the output went back";
    EXPECT_EQ(x.to_vector(), xv) << "the inputs are untouched";
    gl::set_gpu_memory_cap(0);
    EXPECT_EQ(conv2d(x, w, Tensor(), {}).shape(), (Shape{2, 8, 18, 18}));
}

TEST_F(GlBackendTest, TheCapCountsKeptBuffersOnlyUntilTheyAreNeeded) {
    { Tensor big = Tensor::empty({1 << 18}, DType::f32, Device::gpu); }  // 1 MiB, then kept
    const gl::GpuPoolStats before = gl::gpu_pool_stats();
    ASSERT_GE(before.bytes_kept, size_t{1} << 20);
    gl::set_gpu_memory_cap(before.bytes_in_use + (2 << 20));
    // 1.5 MiB fits only once the kept buffers are deleted.
    EXPECT_NO_THROW(Tensor::empty({3 << 17}, DType::f32, Device::gpu));
    EXPECT_EQ(gl::gpu_pool_stats().bytes_kept, 0u + (3u << 19));
}

TEST_F(GlBackendTest, EachThreadRunsKernelsOnItsOwnContext) {
    Backend* main_backend = &backend_for(Device::gpu);
    Backend* other_backend = nullptr;
    std::vector<float> product;
    std::string error;
    std::thread other([&] {
        error = message_of([&] {
            other_backend = &backend_for(Device::gpu);
            Tensor a = Tensor::from_vector({1, 2}, {1, 2}).to(Device::gpu);
            Tensor b = Tensor::from_vector({2, 1}, {3, 4}).to(Device::gpu);
            product = matmul(a, b).to_vector();
        });
    });
    other.join();
    EXPECT_EQ(error, "");
    EXPECT_NE(other_backend, main_backend) << "a backend, and a context, per thread";
    EXPECT_EQ(product, std::vector<float>{11});
    // This thread's context is still current and works.
    EXPECT_EQ(Tensor::full({2}, 1.5f, Device::gpu).to_vector(), (std::vector<float>{1.5f, 1.5f}));
}

TEST_F(GlBackendTest, ATensorPassesToAnotherThreadAfterSynchronize) {
    Rng rng(5);
    Tensor a = rng.randn({9, 7}), b = rng.randn({7, 3});
    Tensor ag = a.to(Device::gpu), bg = b.to(Device::gpu);
    Tensor cg = matmul(ag, bg);  // written by this thread's context
    backend_for(Device::gpu).synchronize();
    std::vector<float> seen, twice;
    std::string error;
    std::thread other([&] {
        error = message_of([&] {
            seen = cg.to_vector();
            twice = matmul(cg, Tensor::from_vector({3, 1}, {1, 1, 1}).to(Device::gpu)).to_vector();
        });
    });
    other.join();
    EXPECT_EQ(error, "");
    const std::vector<float> expected = matmul(a, b).to_vector();
    ASSERT_EQ(seen.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(seen[i], expected[i], 1e-4f);
    ASSERT_EQ(twice.size(), 9u);
    EXPECT_NEAR(twice[0], expected[0] + expected[1] + expected[2], 1e-4f);
}

TEST_F(GlBackendTest, AStorageReleasedOnAnotherThreadReturnsToThePool) {
    auto t = std::make_unique<Tensor>(Tensor::empty({4096}, DType::f32, Device::gpu));
    const size_t in_use = gl::gpu_pool_stats().bytes_in_use;
    std::thread([&] { t.reset(); }).join();
    EXPECT_LT(gl::gpu_pool_stats().bytes_in_use, in_use);
}

}  // namespace
}  // namespace ganvas
