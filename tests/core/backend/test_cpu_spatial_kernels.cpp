// The CPU's spatial kernels called directly (pooling, gathers and scatters at
// indices, interpolation, pixel shuffles) against results written from their
// definitions here, on odd sizes, every mode and flag; then every op of
// pooling, interpolate and pixel_shuffle on the emulated GPU, whose memory host
// code cannot read, equal to the CPU forward and backward.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

#include "autograd/autograd.h"
#include "backend/backend.h"
#include "backend/emulated_gpu.h"
#include "backend/spatial_kernels.h"
#include "ops/interpolate.h"
#include "ops/pixel_shuffle.h"
#include "ops/pooling.h"

namespace ganvas {
namespace {

const SpatialKernels& cpu_kernels() {
    return backend_for(Device::cpu).spatial();
}

// Values with no ties and both signs: value i is (i * 7919 mod 101) - 50, scaled.
std::vector<float> ramp(int64_t n, float scale = 0.1f) {
    std::vector<float> v(n);
    for (int64_t i = 0; i < n; ++i) v[i] = scale * static_cast<float>((i * 7919) % 101 - 50);
    return v;
}

Tensor image(const Shape& shape, float scale = 0.1f) {
    return Tensor::from_vector(shape, ramp(shape_numel(shape), scale));
}

double dot(const std::vector<float>& a, const std::vector<float>& b) {
    double s = 0.0;
    for (size_t i = 0; i < a.size(); ++i) s += static_cast<double>(a[i]) * b[i];
    return s;
}

// -- pooling ------------------------------------------------------------------

PoolGeometry sliding(int64_t planes, int64_t h, int64_t w, int64_t k, int64_t s, int64_t p) {
    PoolGeometry g;
    g.planes = planes;
    g.in_h = h, g.in_w = w;
    g.out_h = (h + 2 * p - k) / s + 1, g.out_w = (w + 2 * p - k) / s + 1;
    g.kernel = k, g.stride = s, g.padding = p;
    return g;
}

// Max and avg over sliding windows by definition: every cell of the padded
// window, padding -inf (max) or 0 (avg, divided by k^2); max's winner the first
// greatest real cell in row-major order.
void reference_pool(const PoolGeometry& g, bool max, const std::vector<float>& x,
                    std::vector<float>& y, std::vector<int64_t>& at) {
    y.assign(g.planes * g.out_plane(), 0.0f);
    at.assign(y.size(), -1);
    for (int64_t p = 0; p < g.planes; ++p)
        for (int64_t i = 0; i < g.out_h; ++i)
            for (int64_t j = 0; j < g.out_w; ++j) {
                double best = -std::numeric_limits<double>::infinity(), sum = 0.0;
                int64_t where = -1;
                for (int64_t a = 0; a < g.kernel; ++a)
                    for (int64_t b = 0; b < g.kernel; ++b) {
                        const int64_t r = i * g.stride - g.padding + a;
                        const int64_t c = j * g.stride - g.padding + b;
                        if (r < 0 || r >= g.in_h || c < 0 || c >= g.in_w) continue;
                        const float v = x[p * g.in_plane() + r * g.in_w + c];
                        sum += v;
                        if (where < 0 || v > best) best = v, where = r * g.in_w + c;
                    }
                const int64_t o = p * g.out_plane() + i * g.out_w + j;
                y[o] = max ? static_cast<float>(best)
                           : static_cast<float>(sum / static_cast<double>(g.kernel * g.kernel));
                at[o] = where;
            }
}

TEST(CpuSpatialKernels, MaxPoolFindsEachWindowsFirstMaximumAndWhereItIs) {
    const PoolGeometry g = sliding(3, 7, 5, 3, 2, 1);  // odd sides, padding, overlap
    std::vector<float> xs = ramp(g.planes * g.in_plane());
    xs[3] = xs[4] = 9.0f;  // a tie in plane 0's first row: the first one wins
    Tensor x = Tensor::from_vector({3, 1, 7, 5}, xs);
    Tensor y = Tensor::empty({3, 1, g.out_h, g.out_w});
    Tensor at = Tensor::empty(y.shape(), DType::i64);
    cpu_kernels().pool2d_forward(PoolMode::max, g, x.storage(), y.storage(), &at.storage());
    std::vector<float> ref;
    std::vector<int64_t> ref_at;
    reference_pool(g, true, xs, ref, ref_at);
    EXPECT_EQ(y.to_vector(), ref);
    EXPECT_EQ(at.to_vector_i64(), ref_at);
    EXPECT_EQ(at.to_vector_i64()[2], 3) << "window (0, 2) covers the tie at cells 3 and 4";
}

TEST(CpuSpatialKernels, MaxPoolLetsANanWin) {
    const PoolGeometry g = sliding(1, 3, 3, 3, 1, 0);
    Tensor x = Tensor::from_vector({1, 1, 3, 3}, {1, 2, 3, NAN, 9, 4, 5, 6, 7});
    Tensor y = Tensor::empty({1, 1, 1, 1}), at = Tensor::empty({1, 1, 1, 1}, DType::i64);
    cpu_kernels().pool2d_forward(PoolMode::max, g, x.storage(), y.storage(), &at.storage());
    EXPECT_TRUE(std::isnan(y.to_vector()[0]));
    EXPECT_EQ(at.to_vector_i64()[0], 3);
}

TEST(CpuSpatialKernels, AvgPoolCountsPaddingAsZeros) {
    const PoolGeometry g = sliding(2, 5, 7, 3, 2, 1);
    Tensor x = image({2, 1, 5, 7});
    Tensor y = Tensor::empty({2, 1, g.out_h, g.out_w});
    cpu_kernels().pool2d_forward(PoolMode::avg, g, x.storage(), y.storage(), nullptr);
    std::vector<float> ref;
    std::vector<int64_t> unused;
    reference_pool(g, false, x.to_vector(), ref, unused);
    const std::vector<float> got = y.to_vector();
    ASSERT_EQ(got.size(), ref.size());
    for (size_t i = 0; i < ref.size(); ++i) EXPECT_FLOAT_EQ(got[i], ref[i]) << i;
}

TEST(CpuSpatialKernels, AdaptiveAvgPoolAveragesTorchsWindows) {
    PoolGeometry g;
    g.planes = 1, g.in_h = 5, g.in_w = 7, g.out_h = 3, g.out_w = 2;
    g.kernel = 99;  // ignored
    Tensor x = image({1, 1, 5, 7});
    Tensor y = Tensor::empty({1, 1, 3, 2});
    cpu_kernels().pool2d_forward(PoolMode::adaptive_avg, g, x.storage(), y.storage(), nullptr);
    // Rows [0, 2), [1, 4), [3, 5); columns [0, 4), [3, 7).
    const int64_t r0[] = {0, 1, 3}, r1[] = {2, 4, 5}, c0[] = {0, 3}, c1[] = {4, 7};
    const std::vector<float> xs = x.to_vector(), got = y.to_vector();
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 2; ++j) {
            double s = 0.0;
            for (int64_t r = r0[i]; r < r1[i]; ++r)
                for (int64_t c = c0[j]; c < c1[j]; ++c) s += xs[r * 7 + c];
            EXPECT_FLOAT_EQ(got[i * 2 + j], s / ((r1[i] - r0[i]) * (c1[j] - c0[j])));
        }
}

TEST(CpuSpatialKernels, AvgPoolBackwardsAreTheAdjointsOfTheirPools) {
    PoolGeometry adaptive;
    adaptive.planes = 2, adaptive.in_h = 5, adaptive.in_w = 7, adaptive.out_h = 3,
    adaptive.out_w = 4;
    const PoolGeometry window = sliding(2, 5, 7, 3, 2, 1);
    for (PoolMode mode : {PoolMode::avg, PoolMode::adaptive_avg}) {
        const PoolGeometry& g = mode == PoolMode::avg ? window : adaptive;
        Tensor x = image({2, 1, 5, 7}), gy = image({2, 1, g.out_h, g.out_w}, 0.3f);
        Tensor y = Tensor::empty(gy.shape()), gx = Tensor::full(x.shape(), 5.0f);
        cpu_kernels().pool2d_forward(mode, g, x.storage(), y.storage(), nullptr);
        cpu_kernels().pool2d_backward(mode, g, gy.storage(), nullptr, gx.storage());
        // <pool(x), gy> = <x, pool^T(gy)>; the 5s prove the output is overwritten.
        const double forward = dot(y.to_vector(), gy.to_vector());
        EXPECT_NEAR(forward, dot(x.to_vector(), gx.to_vector()), 1e-5 * (1 + std::abs(forward)));
    }
}

TEST(CpuSpatialKernels, MaxPoolBackwardAddsAtTheIndicesAndOverwritesTheRest) {
    PoolGeometry g;
    g.planes = 2, g.in_h = 2, g.in_w = 3, g.out_h = 1, g.out_w = 3;
    Tensor gy = Tensor::from_vector({2, 1, 1, 3}, {1, 2, 4, 8, 16, 32});
    Tensor at = Tensor::from_vector_i64({2, 1, 1, 3}, {5, 5, 0, 1, 2, 1});
    Tensor gx = Tensor::full({2, 1, 2, 3}, 7.0f);
    cpu_kernels().pool2d_backward(PoolMode::max, g, gy.storage(), &at.storage(), gx.storage());
    EXPECT_EQ(gx.to_vector(), (std::vector<float>{4, 0, 0, 0, 0, 3, 0, 40, 16, 0, 0, 0}));
}

TEST(CpuSpatialKernels, GathersAndScattersWorkPlaneByPlane) {
    Tensor src = Tensor::from_vector({2, 4}, {1, 2, 3, 4, 5, 6, 7, 8});
    Tensor at = Tensor::from_vector_i64({2, 3}, {3, 3, 0, 1, 2, 1});
    Tensor picked = Tensor::empty({2, 3});
    cpu_kernels().plane_gather(2, 4, 3, src.storage(), at.storage(), picked.storage());
    EXPECT_EQ(picked.to_vector(), (std::vector<float>{4, 4, 1, 6, 7, 6}));

    Tensor vals = Tensor::from_vector({2, 3}, {1, 2, 3, 10, 20, 30});
    Tensor put = Tensor::full({2, 5}, -1.0f);
    cpu_kernels().plane_scatter(false, 2, 3, 5, vals.storage(), at.storage(), put.storage());
    EXPECT_EQ(put.to_vector(), (std::vector<float>{3, 0, 0, 2, 0, 0, 30, 20, 0, 0}))
        << "assigned: the later duplicate wins";
    cpu_kernels().plane_scatter(true, 2, 3, 5, vals.storage(), at.storage(), put.storage());
    EXPECT_EQ(put.to_vector(), (std::vector<float>{3, 0, 0, 3, 0, 0, 40, 20, 0, 0}))
        << "accumulated";
}

// -- interpolation ----------------------------------------------------------------

// Torch's source coordinate of output o in double: with align_corners o (in-1)/(out-1),
// else (o + 0.5) / scale - 0.5 (scale out / in when only a size was given).
double source(int64_t in, int64_t out, double scale, bool align, int64_t o) {
    if (align) return out > 1 ? o * static_cast<double>(in - 1) / (out - 1) : 0.0;
    const double step = scale > 0 ? 1.0 / scale : static_cast<double>(in) / out;
    return (o + 0.5) * step - 0.5;
}

double keys(double t) {  // cubic convolution, A = -0.75
    const double A = -0.75;
    t = std::abs(t);
    if (t <= 1) return ((A + 2) * t - (A + 3)) * t * t + 1;
    if (t < 2) return ((A * t - 5 * A) * t + 8 * A) * t - 4 * A;
    return 0;
}

// The weight with which output o of one axis reads input i, from the definitions.
// Nearest picks in float, as torch does, since a pick jumps where its product
// crosses an integer; the others are continuous, so double serves.
double axis_weight(InterpolationMode mode, int64_t in, int64_t out, double scale, bool align,
                   bool shortcuts, int64_t o, int64_t i) {
    const float step = scale > 0 ? static_cast<float>(1.0 / scale)
                                 : static_cast<float>(in) / static_cast<float>(out);
    const float of = static_cast<float>(o);
    switch (mode) {
        case InterpolationMode::nearest: {
            int64_t k = static_cast<int64_t>(std::floor(of * step));
            if (shortcuts && out == in) k = o;
            if (shortcuts && out == 2 * in) k = o / 2;
            return std::min(k, in - 1) == i ? 1.0 : 0.0;
        }
        case InterpolationMode::nearest_exact:
            return std::min(static_cast<int64_t>(std::floor((o + 0.5) * step)), in - 1) == i ? 1.0
                                                                                             : 0.0;
        case InterpolationMode::bilinear: {
            if (out == in) return o == i ? 1.0 : 0.0;
            const double s = std::max(source(in, out, scale, align, o), 0.0);
            const int64_t i0 = std::min(static_cast<int64_t>(std::floor(s)), in - 1);
            const int64_t i1 = std::min(i0 + 1, in - 1);
            const double l = s - i0;
            return (i == i0 ? 1 - l : 0.0) + (i == i1 ? l : 0.0);
        }
        case InterpolationMode::bicubic: {
            const double s = source(in, out, scale, align, o);
            const int64_t f = static_cast<int64_t>(std::floor(s));
            double w = 0.0;
            for (int64_t t = f - 1; t <= f + 2; ++t)
                if (std::clamp<int64_t>(t, 0, in - 1) == i) w += keys(s - t);
            return w;
        }
    }
    return 0.0;
}

std::vector<float> reference_interpolate(InterpolationMode mode, const InterpolateGeometry& g,
                                         const std::vector<float>& x) {
    std::vector<float> y(g.planes * g.out_h * g.out_w);
    for (int64_t p = 0; p < g.planes; ++p)
        for (int64_t i = 0; i < g.out_h; ++i)
            for (int64_t j = 0; j < g.out_w; ++j) {
                double s = 0.0;
                for (int64_t a = 0; a < g.in_h; ++a)
                    for (int64_t b = 0; b < g.in_w; ++b)
                        s += axis_weight(mode, g.in_h, g.out_h, g.scale_h, g.align_corners,
                                         g.nearest_shortcuts, i, a) *
                             axis_weight(mode, g.in_w, g.out_w, g.scale_w, g.align_corners,
                                         g.nearest_shortcuts, j, b) *
                             x[(p * g.in_h + a) * g.in_w + b];
                y[(p * g.out_h + i) * g.out_w + j] = static_cast<float>(s);
            }
    return y;
}

struct InterpCase {
    InterpolationMode mode;
    int64_t in_h, in_w, out_h, out_w;
    double scale_h, scale_w;
    bool align, shortcuts;
};

TEST(CpuSpatialKernels, InterpolationMatchesItsDefinitionInEveryMode) {
    using M = InterpolationMode;
    const InterpCase cases[] = {
        {M::nearest, 3, 5, 7, 2, 0, 0, false, false},
        {M::nearest, 5, 3, 5, 6, 1.1, 2.0, false, true},  // torch's one-channel shortcuts
        {M::nearest, 5, 3, 5, 6, 1.1, 2.0, false, false},
        {M::nearest_exact, 3, 5, 7, 2, 0, 0, false, false},
        {M::nearest_exact, 4, 3, 6, 7, 1.5, 2.5, false, false},
        {M::bilinear, 3, 5, 7, 2, 0, 0, false, false},
        {M::bilinear, 3, 5, 7, 9, 0, 0, true, false},
        {M::bilinear, 3, 4, 7, 4, 2.5, 1.1, false, false},  // out == in on columns copies
        {M::bicubic, 3, 5, 7, 2, 0, 0, false, false},
        {M::bicubic, 3, 5, 7, 9, 0, 0, true, false},
        {M::bicubic, 4, 5, 6, 11, 1.5, 2.3, false, false},
    };
    for (const InterpCase& c : cases) {
        InterpolateGeometry g;
        g.planes = 2, g.in_h = c.in_h, g.in_w = c.in_w, g.out_h = c.out_h, g.out_w = c.out_w;
        g.scale_h = c.scale_h, g.scale_w = c.scale_w;
        g.align_corners = c.align, g.nearest_shortcuts = c.shortcuts;
        Tensor x = image({2, 1, c.in_h, c.in_w});
        Tensor y = Tensor::full({2, 1, c.out_h, c.out_w}, 7.0f);
        cpu_kernels().interpolate_forward(c.mode, g, x.storage(), y.storage());
        const std::vector<float> ref = reference_interpolate(c.mode, g, x.to_vector());
        const std::vector<float> got = y.to_vector();
        const std::string what = "mode " + std::to_string(static_cast<int>(c.mode)) + ", " +
                                 std::to_string(c.in_h) + "x" + std::to_string(c.in_w) + " -> " +
                                 std::to_string(c.out_h) + "x" + std::to_string(c.out_w);
        for (size_t i = 0; i < ref.size(); ++i)
            ASSERT_NEAR(got[i], ref[i], 1e-5) << what << " @" << i;

        // The backward kernel is the forward's adjoint, its output overwritten.
        Tensor gy = image(y.shape(), 0.3f), gx = Tensor::full(x.shape(), 5.0f);
        cpu_kernels().interpolate_backward(c.mode, g, gy.storage(), gx.storage());
        const double forward = dot(got, gy.to_vector());
        EXPECT_NEAR(forward, dot(x.to_vector(), gx.to_vector()), 1e-5 * (1 + std::abs(forward)))
            << what;
    }
}

// -- pixel shuffle ----------------------------------------------------------------

TEST(CpuSpatialKernels, PixelShuffleMovesEachElementWhereTheFormulaSays) {
    PixelShuffleGeometry g;
    g.N = 2, g.C = 3, g.H = 3, g.W = 5, g.r = 2;
    const Shape small{2, 12, 3, 5}, big{2, 3, 6, 10};
    Tensor x = image(small), y = Tensor::empty(big);
    cpu_kernels().pixel_shuffle(false, g, x.storage(), y.storage());
    const std::vector<float> xs = x.to_vector(), ys = y.to_vector();
    for (int64_t n = 0; n < 2; ++n)
        for (int64_t c = 0; c < 3; ++c)
            for (int64_t i = 0; i < 2; ++i)
                for (int64_t j = 0; j < 2; ++j)
                    for (int64_t h = 0; h < 3; ++h)
                        for (int64_t w = 0; w < 5; ++w)
                            ASSERT_EQ(ys[((n * 3 + c) * 6 + h * 2 + i) * 10 + w * 2 + j],
                                      xs[((n * 12 + c * 4 + i * 2 + j) * 3 + h) * 5 + w]);
    Tensor back = Tensor::empty(small);
    cpu_kernels().pixel_shuffle(true, g, y.storage(), back.storage());
    EXPECT_EQ(back.to_vector(), xs);

    // Eight-byte elements move whole.
    g.N = 1, g.C = 1, g.H = 1, g.W = 1, g.r = 3, g.element_bytes = 8;
    std::vector<int64_t> v(9);
    for (int64_t i = 0; i < 9; ++i) v[i] = (int64_t{1} << 40) + i;
    Tensor xi = Tensor::from_vector_i64({1, 9, 1, 1}, v),
           yi = Tensor::empty({1, 1, 3, 3}, DType::i64);
    cpu_kernels().pixel_shuffle(false, g, xi.storage(), yi.storage());
    EXPECT_EQ(yi.to_vector_i64(), v) << "r = 3 from 1x1: channel order is raster order";
}

// -- every op on the emulated GPU -------------------------------------------------

// Runs op on x on the CPU and on the emulated GPU, and its gradient for the
// upstream gradient gy, with the gradient of that gradient in gy for gg (the
// backward ops' own gradients): all three must agree bit for bit.
void expect_same_on_gpu(const std::function<Tensor(const Tensor&)>& op, const Shape& shape,
                        const char* what) {
    Tensor x = image(shape);
    x.requires_grad_();
    Tensor y = op(x);
    Tensor gy = image(y.shape(), 0.3f);
    gy.requires_grad_();
    Tensor gx = grad({y}, {x}, {gy}, true)[0];
    Tensor gg = grad({gx}, {gy}, {image(x.shape(), 0.7f)})[0];

    EmulatedGpuScope gpu;
    Tensor xg = x.detach().to(Device::gpu);
    xg.requires_grad_();
    Tensor yg = op(xg);
    ASSERT_EQ(yg.device(), Device::gpu) << what;
    EXPECT_EQ(yg.to_vector(), y.to_vector()) << what << " forward";
    Tensor gyg = gy.detach().to(Device::gpu);
    gyg.requires_grad_();
    Tensor gxg = grad({yg}, {xg}, {gyg}, true)[0];
    EXPECT_EQ(gxg.device(), Device::gpu) << what;
    EXPECT_EQ(gxg.to_vector(), gx.to_vector()) << what << " backward";
    Tensor ggg = grad({gxg}, {gyg}, {image(x.shape(), 0.7f).to(Device::gpu)})[0];
    EXPECT_EQ(ggg.to_vector(), gg.to_vector()) << what << " gradient of the backward";
}

TEST(SpatialOpsOnTheEmulatedGpu, PoolingEqualsTheCpu) {
    const Shape s{2, 3, 7, 5};
    expect_same_on_gpu([](const Tensor& x) { return max_pool2d(x, 3, 2, 1); }, s, "max_pool2d");
    expect_same_on_gpu([](const Tensor& x) { return avg_pool2d(x, 3, 2, 1); }, s, "avg_pool2d");
    expect_same_on_gpu([](const Tensor& x) { return adaptive_avg_pool2d(x, 3, 4); }, s,
                       "adaptive_avg_pool2d");
    expect_same_on_gpu(
        [](const Tensor& x) {
            Tensor at;
            Tensor y = max_pool2d_with_indices(x, 2, 2, 0, at);
            EXPECT_EQ(at.device(), x.device()) << "indices stay on the tensor's device";
            return max_unpool2d(y, at, 7, 5);
        },
        s, "max_pool2d_with_indices + max_unpool2d");
}

TEST(SpatialOpsOnTheEmulatedGpu, InterpolationEqualsTheCpuInEveryMode) {
    for (InterpMode mode : {InterpMode::nearest, InterpMode::nearest_exact, InterpMode::bilinear,
                            InterpMode::bicubic, InterpMode::area})
        for (bool align : {false, true}) {
            const bool linear = mode == InterpMode::bilinear || mode == InterpMode::bicubic;
            if (align && !linear) continue;
            InterpolateOptions o;
            o.mode = mode;
            o.align_corners = align;
            o.size = {5, 8};
            expect_same_on_gpu([&](const Tensor& x) { return interpolate(x, o); }, {2, 3, 3, 5},
                               interp_mode_name(mode));
            o.size = {0, 0};
            o.scale = {1.5, 2.3};
            expect_same_on_gpu([&](const Tensor& x) { return interpolate(x, o); }, {1, 1, 3, 5},
                               interp_mode_name(mode));
        }
    expect_same_on_gpu([](const Tensor& x) { return upsample_nearest(x, 2.0); }, {1, 2, 3, 3},
                       "upsample_nearest");
    expect_same_on_gpu([](const Tensor& x) { return upsample_bilinear(x, 2.0, true); },
                       {1, 2, 3, 3}, "upsample_bilinear");
}

TEST(SpatialOpsOnTheEmulatedGpu, PixelShufflesEqualTheCpu) {
    expect_same_on_gpu([](const Tensor& x) { return pixel_shuffle(x, 2); }, {2, 8, 3, 5},
                       "pixel_shuffle");
    expect_same_on_gpu([](const Tensor& x) { return pixel_unshuffle(x, 3); }, {1, 2, 6, 9},
                       "pixel_unshuffle");
}

}  // namespace
}  // namespace ganvas
