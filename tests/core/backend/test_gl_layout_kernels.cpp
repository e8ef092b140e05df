// The OpenGL backend's layout kernels called directly against the CPU's: the
// strided copy in its general form, which no op reaches (strides and offsets
// on both sides at once, a destination with gaps that must stay untouched,
// i64 values that fill both words), the dimensions past the shader's eight,
// and the index check on many indices. Runs on Mesa's llvmpipe where there
// is no GPU; skipped only where no GL 4.3 opens.
#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "backend/layout_kernels.h"
#include "tensor/rng.h"

namespace ganvas {
namespace {

class GlLayoutKernels : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        if (!backend_available(Device::gpu, &why)) GTEST_SKIP() << "no OpenGL backend: " << why;
    }
};

// dst (dst_values, f32) after c copies src (src_values) into it, on device d.
std::vector<float> copy_f32(Device d, const StridedCopy& c, const std::vector<float>& src_values,
                            const std::vector<float>& dst_values) {
    Tensor src = Tensor::from_vector({static_cast<int64_t>(src_values.size())}, src_values, d);
    Tensor dst = Tensor::from_vector({static_cast<int64_t>(dst_values.size())}, dst_values, d);
    backend_for(d).layout().copy_strided(c, src.storage(), dst.storage());
    return dst.to_vector();
}

std::vector<int64_t> copy_i64(Device d, const StridedCopy& c,
                              const std::vector<int64_t>& src_values,
                              const std::vector<int64_t>& dst_values) {
    Tensor src = Tensor::from_vector_i64({static_cast<int64_t>(src_values.size())}, src_values, d);
    Tensor dst = Tensor::from_vector_i64({static_cast<int64_t>(dst_values.size())}, dst_values, d);
    backend_for(d).layout().copy_strided(c, src.storage(), dst.storage());
    return dst.to_vector_i64();
}

// A (3, 4, 5) block read transposed from an offset source and written with
// gaps (row stride 7, plane stride 31) from an offset into the destination.
StridedCopy strided_both_sides(size_t element_bytes) {
    StridedCopy c;
    c.sizes = {3, 4, 5};
    c.src_strides = {1, 15, 3};
    c.dst_strides = {31, 7, 1};
    c.src_offset = 9;
    c.dst_offset = 5;
    c.element_bytes = element_bytes;
    return c;
}

TEST_F(GlLayoutKernels, CopyWithStridesAndOffsetsOnBothSidesLeavesTheGapsAlone) {
    Rng rng(3);
    const std::vector<float> src = rng.randn({9 + 60}).to_vector();
    const std::vector<float> dst(5 + 2 * 31 + 3 * 7 + 5, -1.5f);  // the pattern in the gaps
    const StridedCopy c = strided_both_sides(4);
    const std::vector<float> expected = copy_f32(Device::cpu, c, src, dst);
    EXPECT_EQ(copy_f32(Device::gpu, c, src, dst), expected);
    EXPECT_NE(expected, dst);  // the copy wrote something
}

TEST_F(GlLayoutKernels, I64CopyMovesBothWordsOfEveryValue) {
    std::vector<int64_t> src(9 + 60);
    for (size_t i = 0; i < src.size(); ++i)  // high words set, negative and positive
        src[i] = (i % 2 ? -1 : 1) * ((static_cast<int64_t>(i) << 33) + 12345);
    const std::vector<int64_t> dst(5 + 2 * 31 + 3 * 7 + 5, int64_t{-7} << 40);
    const StridedCopy c = strided_both_sides(8);
    const std::vector<int64_t> expected = copy_i64(Device::cpu, c, src, dst);
    EXPECT_EQ(copy_i64(Device::gpu, c, src, dst), expected);
    EXPECT_NE(expected, dst);
}

TEST_F(GlLayoutKernels, CopyOfElevenDimensionsWithOffsetsMatchesTheCpu) {
    // A source contiguous in the reverse order of the sizes, copied into a
    // contiguous destination: no two dims merge, so three leading dims are
    // walked on the host.
    StridedCopy c;
    c.sizes = {3, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2};
    const int64_t rank = static_cast<int64_t>(c.sizes.size());
    c.src_strides.assign(rank, 1);
    c.dst_strides.assign(rank, 1);
    for (int64_t d = 1; d < rank; ++d) c.src_strides[d] = c.src_strides[d - 1] * c.sizes[d - 1];
    for (int64_t d = rank - 2; d >= 0; --d)
        c.dst_strides[d] = c.dst_strides[d + 1] * c.sizes[d + 1];
    c.src_offset = 4;
    c.dst_offset = 2;
    int64_t numel = 1;
    for (int64_t s : c.sizes) numel *= s;
    Rng rng(5);
    const std::vector<float> src = rng.randn({4 + numel}).to_vector();
    const std::vector<float> dst(static_cast<size_t>(2 + numel + 3), 0.25f);
    EXPECT_EQ(copy_f32(Device::gpu, c, src, dst), copy_f32(Device::cpu, c, src, dst));
}

TEST_F(GlLayoutKernels, CopyPastTheDispatchLimitFoldsItsWorkgroupsWithoutLosingAny) {
    // (n, 2) transposed to (2, n): n * 2 elements need more than 65535
    // workgroups of 256, so they fold into a second row of workgroups.
    const int64_t n = 65535 * 128 + 77;
    StridedCopy c;
    c.sizes = {2, n};
    c.src_strides = {1, 2};
    c.dst_strides = {n, 1};
    std::vector<float> src(static_cast<size_t>(2 * n));
    for (size_t i = 0; i < src.size(); ++i) src[i] = static_cast<float>(i % 8191) - 4000.0f;
    const std::vector<float> dst(src.size(), 0.5f);
    const std::vector<float> gpu = copy_f32(Device::gpu, c, src, dst);
    EXPECT_EQ(gpu, copy_f32(Device::cpu, c, src, dst));
}

TEST_F(GlLayoutKernels, CopyRefusesElementsOfOtherWidthsAsTheCpuDoes) {
    StridedCopy c = strided_both_sides(2);
    const std::vector<float> src(69, 1.0f), dst(93, 0.0f);
    for (Device d : {Device::cpu, Device::gpu})
        EXPECT_THROW(copy_f32(d, c, src, dst), std::invalid_argument);
}

TEST_F(GlLayoutKernels, IndexCheckFindsTheFirstBadIndexAmongManyAndItsValue) {
    auto found = [](Device d, const std::vector<int64_t>& index, int64_t size) {
        Tensor idx = Tensor::from_vector_i64({static_cast<int64_t>(index.size())}, index, d);
        Tensor out = Tensor::from_vector_i64({2}, {5, 5}, d);
        backend_for(d).layout().first_index_outside(idx.numel(), size, idx.storage(),
                                                    out.storage());
        return out.to_vector_i64();
    };
    std::vector<int64_t> index(3000, 6);
    EXPECT_EQ(found(Device::gpu, index, 7), (std::vector<int64_t>{-1, 0}));
    index[2999] = 7;                       // the size itself is outside
    index[2100] = (int64_t{1} << 32) + 3;  // low word inside, high word not
    index[1999] = -(int64_t{1} << 35);     // negative, low word 0
    index[260] = int64_t{-1};              // past the first workgroup
    for (int64_t first : {int64_t{260}, int64_t{1999}, int64_t{2100}, int64_t{2999}}) {
        const std::vector<int64_t> expected = found(Device::cpu, index, 7);
        EXPECT_EQ(expected, (std::vector<int64_t>{first, index[first]}));
        EXPECT_EQ(found(Device::gpu, index, 7), expected);
        index[first] = 0;
    }
    EXPECT_EQ(found(Device::gpu, {}, 7), (std::vector<int64_t>{-1, 0}));
}

}  // namespace
}  // namespace ganvas
