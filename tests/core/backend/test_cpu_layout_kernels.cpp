// The layout kernels: the CPU's entries called directly against values a naive
// loop here computes, and every op of shape_ops, indexing and quantize run on
// the emulated GPU, equal to the CPU forward and backward (which proves those
// ops no longer read tensor memory on the host).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "backend/backend.h"
#include "backend/emulated_gpu.h"
#include "backend/layout_kernels.h"
#include "ops/ops.h"

namespace ganvas {
namespace {

const LayoutKernels& cpu_layout() {
    return backend_for(Device::cpu).layout();
}

Tensor iota(const Shape& shape, float scale = 1.0f, float shift = 0.0f) {
    std::vector<float> v(shape_numel(shape));
    for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i) * scale + shift;
    return Tensor::from_vector(shape, v);
}

uint32_t bits(float v) {
    uint32_t b;
    std::memcpy(&b, &v, sizeof b);
    return b;
}

TEST(CpuLayoutKernels, StridedCopyTransposesAnOddMatrix) {
    Tensor src = iota({3, 5}, 1.0f, 0.5f);  // (3, 5)
    Tensor dst = Tensor::zeros({5, 3});
    StridedCopy c;
    c.sizes = {5, 3};
    c.src_strides = {1, 5};
    c.dst_strides = {3, 1};
    cpu_layout().copy_strided(c, src.storage(), dst.storage());
    const std::vector<float> got = dst.to_vector();
    for (int i = 0; i < 5; ++i)
        for (int j = 0; j < 3; ++j) EXPECT_EQ(got[i * 3 + j], j * 5 + i + 0.5f) << i << "," << j;
}

TEST(CpuLayoutKernels, StridedCopyHonoursOffsetsAndStridesOnBothSides) {
    // A (3, 2, 5) block read every other element from offset 7 and written
    // with a destination stride of 2 in its last dim from offset 3.
    const std::vector<int64_t> sizes = {3, 2, 5}, ss = {25, 11, 2}, ds = {21, 10, 2};
    Tensor src = iota({80}, -1.0f, 2.0f);
    Tensor dst = Tensor::full({70}, -100.0f);
    StridedCopy c{sizes, ss, ds, 7, 3, 4};
    cpu_layout().copy_strided(c, src.storage(), dst.storage());
    std::vector<float> expected(70, -100.0f);
    const std::vector<float> s = src.to_vector();
    for (int64_t i = 0; i < 3; ++i)
        for (int64_t j = 0; j < 2; ++j)
            for (int64_t k = 0; k < 5; ++k)
                expected[3 + i * ds[0] + j * ds[1] + k * ds[2]] =
                    s[7 + i * ss[0] + j * ss[1] + k * ss[2]];
    EXPECT_EQ(dst.to_vector(), expected);
}

TEST(CpuLayoutKernels, StridedCopyMovesWholeRowsIntoAColumnRange) {
    // cat's piece: (4, 3) rows into columns [2, 5) of a (4, 6) output.
    Tensor src = iota({4, 3}, 1.0f, 1.0f);
    Tensor dst = Tensor::zeros({4, 6});
    StridedCopy c{{4, 3}, {3, 1}, {6, 1}, 0, 2, 4};
    cpu_layout().copy_strided(c, src.storage(), dst.storage());
    const std::vector<float> got = dst.to_vector();
    for (int r = 0; r < 4; ++r)
        for (int col = 0; col < 6; ++col)
            EXPECT_EQ(got[r * 6 + col], col >= 2 && col < 5 ? r * 3 + (col - 2) + 1.0f : 0.0f);
}

TEST(CpuLayoutKernels, StridedCopyKeepsEveryBitOfWideAndOddValues) {
    const int64_t big = (int64_t{1} << 40) + 3;
    Tensor src = Tensor::from_vector_i64({2, 3}, {big, -big, 5, -1, 0, big * 7});
    Tensor dst = Tensor::zeros({3, 2}, DType::i64);
    StridedCopy c{{3, 2}, {1, 3}, {2, 1}, 0, 0, 8};
    cpu_layout().copy_strided(c, src.storage(), dst.storage());
    EXPECT_EQ(dst.to_vector_i64(), (std::vector<int64_t>{big, -1, -big, 0, 5, big * 7}));

    uint32_t payload = 0x7fa00001u;  // a signalling NaN with a payload
    float nan;
    std::memcpy(&nan, &payload, sizeof nan);
    Tensor f = Tensor::from_vector({2}, {nan, -0.0f});
    Tensor g = Tensor::zeros({2});
    StridedCopy flip{{2}, {-1}, {1}, 1, 0, 4};  // reversed: a negative stride
    cpu_layout().copy_strided(flip, f.storage(), g.storage());
    EXPECT_EQ(bits(g.to_vector()[0]), bits(-0.0f));
    EXPECT_EQ(bits(g.to_vector()[1]), payload);
}

TEST(CpuLayoutKernels, StridedCopyOfAZeroDimBlockAndOfAnEmptyOne) {
    Tensor src = Tensor::from_vector({3}, {1, 2, 3});
    Tensor dst = Tensor::zeros({3});
    cpu_layout().copy_strided(StridedCopy{{}, {}, {}, 2, 1, 4}, src.storage(), dst.storage());
    EXPECT_EQ(dst.to_vector(), (std::vector<float>{0, 3, 0}));
    cpu_layout().copy_strided(StridedCopy{{2, 0}, {1, 1}, {1, 1}, 0, 0, 4}, src.storage(),
                              dst.storage());
    EXPECT_EQ(dst.to_vector(), (std::vector<float>{0, 3, 0}));
}

TEST(CpuLayoutKernels, StridedCopyRefusesAnElementSizeNoDTypeHas) {
    Tensor src = Tensor::zeros({4}), dst = Tensor::zeros({4});
    EXPECT_THROW(cpu_layout().copy_strided(StridedCopy{{2}, {1}, {1}, 0, 0, 2}, src.storage(),
                                           dst.storage()),
                 std::invalid_argument);
}

std::vector<int64_t> first_outside(const std::vector<int64_t>& idx, int64_t size) {
    Tensor t = Tensor::from_vector_i64({static_cast<int64_t>(idx.size())}, idx);
    Tensor found = Tensor::zeros({2}, DType::i64);
    cpu_layout().first_index_outside(t.numel(), size, t.storage(), found.storage());
    return found.to_vector_i64();
}

TEST(CpuLayoutKernels, FirstIndexOutsideReportsThePositionAndValue) {
    EXPECT_EQ(first_outside({0, 4, 2}, 5), (std::vector<int64_t>{-1, 0}));
    EXPECT_EQ(first_outside({0, 4, 2, -3, 9}, 5), (std::vector<int64_t>{3, -3}));
    EXPECT_EQ(first_outside({1, 5, -1}, 5), (std::vector<int64_t>{1, 5}));
    EXPECT_EQ(first_outside({}, 5), (std::vector<int64_t>{-1, 0}));
}

TEST(CpuLayoutKernels, GatherAndScatterAddRowsWithRepeatedRows) {
    const int64_t V = 4, D = 3;
    Tensor table = iota({V, D}, 0.25f, -1.0f);
    Tensor idx = Tensor::from_vector_i64({5}, {2, 0, 2, 3, 2});
    Tensor out = Tensor::zeros({5, D});
    cpu_layout().gather_rows(5, D, table.storage(), idx.storage(), out.storage());
    const std::vector<float> t = table.to_vector(), o = out.to_vector();
    const std::vector<int64_t> ix = idx.to_vector_i64();
    for (int64_t n = 0; n < 5; ++n)
        for (int64_t d = 0; d < D; ++d) EXPECT_EQ(o[n * D + d], t[ix[n] * D + d]);

    Tensor src = iota({5, D}, 0.1f, 0.3f);
    Tensor acc = Tensor::full({V, D}, 1.0f);
    cpu_layout().scatter_add_rows(5, D, src.storage(), idx.storage(), acc.storage());
    std::vector<float> expected(V * D, 1.0f);
    const std::vector<float> s = src.to_vector();
    for (int64_t n = 0; n < 5; ++n)
        for (int64_t d = 0; d < D; ++d) expected[ix[n] * D + d] += s[n * D + d];
    EXPECT_EQ(acc.to_vector(), expected);
}

TEST(CpuLayoutKernels, GatherAndScatterAddAlongTheMiddleDim) {
    // x (3, 4, 3), idx (2, 5, 2) along dim 1: smaller than x outside dim 1.
    Tensor x = iota({3, 4, 3}, 1.5f, -7.0f);
    std::vector<int64_t> iv(20);
    for (size_t i = 0; i < iv.size(); ++i) iv[i] = (i * 7 + 1) % 4;
    Tensor idx = Tensor::from_vector_i64({2, 5, 2}, iv);
    const IndexGeometry g{{2, 5, 2}, {12, 3, 1}, 1};
    Tensor out = Tensor::zeros({2, 5, 2});
    cpu_layout().gather(g, x.storage(), idx.storage(), out.storage());
    const std::vector<float> xv = x.to_vector(), ov = out.to_vector();
    for (int64_t i = 0; i < 2; ++i)
        for (int64_t j = 0; j < 5; ++j)
            for (int64_t k = 0; k < 2; ++k) {
                const int64_t p = (i * 5 + j) * 2 + k;
                EXPECT_EQ(ov[p], xv[i * 12 + iv[p] * 3 + k]) << p;
            }

    Tensor src = iota({2, 5, 2}, 0.5f, 1.0f);
    Tensor acc = iota({3, 4, 3}, -0.125f);
    std::vector<float> expected = acc.to_vector();
    cpu_layout().scatter_add(g, idx.storage(), src.storage(), acc.storage());
    const std::vector<float> sv = src.to_vector();
    for (int64_t p = 0; p < 20; ++p) {
        const int64_t i = p / 10, k = p % 2;
        expected[i * 12 + iv[p] * 3 + k] += sv[p];
    }
    EXPECT_EQ(acc.to_vector(), expected);
}

TEST(CpuLayoutKernels, ArgminAlongTheMiddleAxisWithTiesAndNaN) {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    // x (2, 3, 2): outer 2, len 3, inner 2; columns read down the middle axis.
    Tensor x = Tensor::from_vector({2, 3, 2}, {4, 1, 2, 1, 2, 0, nan, 5, 3, 5, -1, nan});
    Tensor out = Tensor::zeros({2, 2}, DType::i64);
    cpu_layout().argmin(2, 3, 2, x.storage(), out.storage());
    // (4, 2, 2) -> 1 (first of ties); (1, 1, 0) -> 2; (nan, 3, -1) -> 0; (5, 5, nan) -> 2.
    EXPECT_EQ(out.to_vector_i64(), (std::vector<int64_t>{1, 2, 0, 2}));
}

// -- every op of shape_ops, indexing and quantize on the emulated GPU ----------

using Op = std::function<Tensor(const std::vector<Tensor>&)>;

// Runs op on `inputs` on the CPU and on the emulated GPU and checks that the
// outputs, and the gradients of sum(y * gy) in every f32 input, are equal.
void expect_same_on_gpu(const std::string& name, const Op& op, const std::vector<Tensor>& inputs) {
    SCOPED_TRACE(name);
    auto run = [&](Device device, std::vector<float>* values, std::vector<int64_t>* indices,
                   std::vector<std::vector<float>>* grads) {
        std::vector<Tensor> in, diff;
        for (const Tensor& t : inputs) {
            Tensor m = t.to(device);
            if (device == Device::cpu) m = m.clone();
            if (m.dtype() == DType::f32) {
                m.requires_grad_(true);
                diff.push_back(m);
            }
            in.push_back(m);
        }
        Tensor y = op(in);
        EXPECT_EQ(y.device(), device);
        if (y.dtype() == DType::i64) {
            *indices = y.to_vector_i64();
            return;
        }
        *values = y.to_vector();
        Tensor gy = iota(y.shape(), 0.37f, -0.5f).to(device);
        for (const Tensor& g : grad({y}, diff, {gy})) grads->push_back(g.to_vector());
    };
    std::vector<float> cpu_y, gpu_y;
    std::vector<int64_t> cpu_i, gpu_i;
    std::vector<std::vector<float>> cpu_g, gpu_g;
    run(Device::cpu, &cpu_y, &cpu_i, &cpu_g);
    {
        EmulatedGpuScope gpu;
        run(Device::gpu, &gpu_y, &gpu_i, &gpu_g);
    }
    EXPECT_EQ(gpu_y, cpu_y);
    EXPECT_EQ(gpu_i, cpu_i);
    EXPECT_EQ(gpu_g, cpu_g);
}

TEST(LayoutOnEmulatedGpu, ShapeOpsEqualTheCpuForwardAndBackward) {
    Tensor x = iota({2, 3, 5}, 0.5f, -3.0f);  // (2, 3, 5)
    expect_same_on_gpu("reshape", [](const auto& in) { return reshape(in[0], {5, -1}); }, {x});
    expect_same_on_gpu("flatten", [](const auto& in) { return flatten(in[0]); }, {x});
    expect_same_on_gpu("squeeze", [](const auto& in) { return squeeze(unsqueeze(in[0], 1), 1); },
                       {x});
    expect_same_on_gpu("permute", [](const auto& in) { return permute(in[0], {2, 0, 1}); }, {x});
    expect_same_on_gpu("transpose", [](const auto& in) { return transpose(in[0], 0, 2); }, {x});
    expect_same_on_gpu("narrow", [](const auto& in) { return narrow(in[0], 2, 1, 3); }, {x});
    // Three distinct parts: a leaf used twice would sum its gradients with add(),
    // an elementwise kernel, not this family's.
    Tensor a = iota({2, 1, 5}, 2.0f), b = iota({2, 4, 5}, -1.0f, 0.25f), c = iota({2, 2, 5});
    expect_same_on_gpu("cat",
                       [](const auto& in) {
                           return cat({in[0], in[1], in[2]}, 1);
                       },
                       {a, b, c});
    Tensor i = Tensor::from_vector_i64({2, 3}, {1, -2, 3, 4, 5, 1 << 30});
    expect_same_on_gpu("int64 permute", [](const auto& in) { return permute(in[0], {1, 0}); }, {i});
    expect_same_on_gpu("int64 cat", [](const auto& in) { return cat({in[0], in[0]}, 0); }, {i});
    expect_same_on_gpu("int64 narrow", [](const auto& in) { return narrow(in[0], 1, 1, 2); }, {i});
}

TEST(LayoutOnEmulatedGpu, IndexingOpsEqualTheCpuForwardAndBackward) {
    Tensor w = iota({5, 3}, 0.75f, -2.0f);
    Tensor rows = Tensor::from_vector_i64({2, 3}, {4, 0, 4, 2, 2, 2});
    expect_same_on_gpu("embedding", [](const auto& in) { return embedding(in[0], in[1]); },
                       {w, rows});
    Tensor x = iota({3, 4}, -0.5f, 1.0f);
    Tensor idx = Tensor::from_vector_i64({3, 2}, {3, 3, 0, 1, 2, 0});
    expect_same_on_gpu("gather", [](const auto& in) { return gather(in[0], 1, in[1]); }, {x, idx});
    Tensor src = iota({3, 2}, 1.25f);
    expect_same_on_gpu("scatter_add",
                       [](const auto& in) { return scatter_add(in[0], 1, in[1], in[2]); },
                       {x, idx, src});
    Tensor t =
        Tensor::from_vector({2, 3}, {3, 1, 1, 2, std::numeric_limits<float>::quiet_NaN(), 0});
    expect_same_on_gpu("argmin", [](const auto& in) { return argmin(in[0], 1); }, {t});
    expect_same_on_gpu("0-d gather", [](const auto& in) { return gather(in[0], 0, in[1]); },
                       {Tensor::scalar(2.5f), Tensor::from_vector_i64({}, {0})});
}

// gx = the gradient of sum(op(x) * gy) in x, kept differentiable, and the
// gradient of sum(gx * v) in gy: the backward rules' own gradients, which are
// layout ops again, on the CPU and on the emulated GPU.
void expect_same_second_order_on_gpu(const std::string& name,
                                     const std::function<Tensor(const Tensor&)>& op,
                                     const Tensor& x) {
    SCOPED_TRACE(name);
    auto run = [&](Device device) {
        Tensor xd = x.to(device).clone().requires_grad_(true);
        Tensor y = op(xd);
        Tensor gy = iota(y.shape(), 0.37f, -0.5f).to(device).requires_grad_(true);
        Tensor gx = grad({y}, {xd}, {gy}, true)[0];
        Tensor v = iota(gx.shape(), -0.21f, 0.75f).to(device);
        Tensor ggy = grad({gx}, {gy}, {v})[0];
        EXPECT_EQ(ggy.device(), device);
        return std::vector<std::vector<float>>{gx.to_vector(), ggy.to_vector()};
    };
    const auto on_cpu = run(Device::cpu);
    EmulatedGpuScope gpu;
    EXPECT_EQ(run(Device::gpu), on_cpu);
}

TEST(LayoutOnEmulatedGpu, GradientsOfGradientsEqualTheCpu) {
    Tensor x = iota({3, 4}, -0.5f, 1.0f);
    Tensor idx = Tensor::from_vector_i64({3, 2}, {3, 3, 0, 1, 2, 0});
    Tensor rows = Tensor::from_vector_i64({4}, {2, 0, 2, 1});
    expect_same_second_order_on_gpu(
        "embedding", [&](const Tensor& w) { return embedding(w, rows.to(w.device())); }, x);
    expect_same_second_order_on_gpu(
        "gather", [&](const Tensor& t) { return gather(t, 1, idx.to(t.device())); }, x);
    expect_same_second_order_on_gpu(
        "narrow", [](const Tensor& t) { return narrow(t, 1, 1, 2); }, x);
    expect_same_second_order_on_gpu(
        "permute", [](const Tensor& t) { return transpose(t, 0, 1); }, x);
}

TEST(LayoutOnEmulatedGpu, BadIndicesGiveTheSameMessageOnTheGpu) {
    EmulatedGpuScope gpu;
    Tensor w = Tensor::zeros({4, 2}, DType::f32, Device::gpu);
    try {
        embedding(w, Tensor::from_vector_i64({2}, {1, 4}, Device::gpu));
        FAIL() << "expected an out-of-range index to throw";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("index 4 at position 1 is out of range [0, 4)"),
                  std::string::npos)
            << e.what();
    }
    Tensor x = Tensor::zeros({2, 3}, DType::f32, Device::gpu);
    EXPECT_THROW(gather(x, 1, Tensor::from_vector_i64({2, 1}, {0, -1}, Device::gpu)),
                 std::invalid_argument);
    EXPECT_THROW(scatter_add(x, 0, Tensor::from_vector_i64({1, 1}, {2}, Device::gpu),
                             Tensor::zeros({1, 1}, DType::f32, Device::gpu)),
                 std::invalid_argument);
    EXPECT_THROW(cat({x, Tensor::zeros({2, 3})}, 0), std::invalid_argument) << "two devices";
}

// quantize's ops call elementwise and reduction ops: their families must be
// behind the seam too, or the emulated GPU would refuse them.
bool families_for_quantize(std::string* missing) {
    try {
        backend_for(Device::cpu).elementwise();
        backend_for(Device::cpu).reduce();
        return true;
    } catch (const std::exception& e) {
        *missing = e.what();
        return false;
    }
}

TEST(LayoutOnEmulatedGpu, QuantizeOpsEqualTheCpuForwardAndBackward) {
    std::string missing;
    ASSERT_TRUE(families_for_quantize(&missing)) << missing;
    Tensor z = iota({3, 4}, 0.3f, -1.0f), codes = iota({5, 4}, -0.2f, 1.0f);
    expect_same_on_gpu("code_distances",
                       [](const auto& in) { return code_distances(in[0], in[1]); }, {z, codes});
    Tensor target = iota({3, 4}, 0.1f);
    expect_same_on_gpu("straight_through",
                       [](const auto& in) { return straight_through(in[0], in[1]); }, {z, target});
}

}  // namespace
}  // namespace ganvas
