// PSNR, SSIM and the 2-D FFT magnitude against numpy's values (golden_upsample.py),
// and the checkerboard lab's overlap counts and step-0 outputs.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <string>

#include "analysis/checkerboard.h"
#include "analysis/image_quality.h"
#include "analysis/spectrum.h"
#include "analysis/upsample_comparison.h"
#include "io/npy.h"
#include "support/golden.h"
#include "tensor/rng.h"

using namespace ganvas;
using ganvas::testing::expect_close;
using ganvas::testing::golden;

namespace {

TEST(ImageAnalysis, PsnrAndSsimMatchNumpy) {
    const Tensor a = golden("upsample/iq_a.npy"), b = golden("upsample/iq_b.npy");
    EXPECT_NEAR(psnr(a, b, 1.0), golden("upsample/iq_psnr.npy").data()[0], 1e-4);
    EXPECT_NEAR(ssim(a, b, 1.0), golden("upsample/iq_ssim.npy").data()[0], 1e-5);
    EXPECT_TRUE(std::isinf(psnr(a, a, 1.0)));
    EXPECT_NEAR(ssim(a, a, 1.0), 1.0, 1e-9);
    EXPECT_THROW(ssim(Tensor::zeros({1, 1, 10, 20}), Tensor::zeros({1, 1, 10, 20}), 1.0),
                 std::invalid_argument);
    EXPECT_THROW(psnr(a, Tensor::zeros({1}), 1.0), std::invalid_argument);
}

TEST(ImageAnalysis, FftMagnitudeMatchesNumpy) {
    for (const char* size : {"8x16", "6x10", "32x32", "13x7"}) {  // radices 2, 3, 4, 5 and a prime
        SCOPED_TRACE(size);
        const std::string name = std::string("upsample/fft_") + size;
        const Tensor x = golden(name + "_x.npy");
        const Tensor got = fft2_magnitude(x);
        expect_close(got, golden(name + "_mag.npy"), 1e-4, 1e-5, name + "_mag");
    }
}

// |sum_{r,c} x[r, c] exp(-2 pi i (u r / H + v c / W))| at the fftshifted (i, j): the
// definition, O((H W)^2), for sizes whose factors take kissfft's other butterflies.
double direct_magnitude(const Tensor& x, int64_t i, int64_t j) {
    const int64_t h = x.size(0), w = x.size(1);
    const int64_t u = (i + h - h / 2) % h, v = (j + w - w / 2) % w;
    std::complex<double> sum = 0;
    for (int64_t r = 0; r < h; ++r)
        for (int64_t c = 0; c < w; ++c) {
            const double turns = static_cast<double>((u * r) % h) / static_cast<double>(h) +
                                 static_cast<double>((v * c) % w) / static_cast<double>(w);
            sum += static_cast<double>(x.data()[r * w + c]) * std::polar(1.0, -2.0 * M_PI * turns);
        }
    return std::abs(sum);
}

TEST(ImageAnalysis, FftMagnitudeMatchesDirectSum) {
    // 9 = 3 * 3, 25 = 5 * 5, 11 and 17 prime (kissfft's generic butterfly), 12 = 4 * 3; a
    // single row and a single column (kissfft itself crashes on length 1).
    const Shape shapes[] = {{9, 25}, {11, 12}, {1, 17}, {6, 1}, {1, 1}};
    Rng rng(3);
    for (const Shape& shape : shapes) {
        SCOPED_TRACE(shape_str(shape));
        const Tensor x = rng.randn(shape);
        const Tensor got = fft2_magnitude(x);
        ASSERT_EQ(got.shape(), shape);
        for (int64_t i = 0; i < shape[0]; ++i)
            for (int64_t j = 0; j < shape[1]; ++j)
                ASSERT_NEAR(got.data()[i * shape[1] + j], direct_magnitude(x, i, j), 1e-4)
                    << i << "," << j;
    }
}

TEST(ImageAnalysis, CheckerboardShowsAsOffCentrePeak) {
    // A +-1 checkerboard's whole energy sits at the Nyquist frequency, which fftshift puts
    // at the corner (0, 0).
    Tensor x = Tensor::empty({8, 8});
    for (int64_t i = 0; i < 64; ++i) x.data()[i] = ((i / 8 + i % 8) % 2) ? 1.0f : -1.0f;
    const Tensor m = fft2_magnitude(x);
    EXPECT_NEAR(m.data()[0], 64.0f, 1e-4);
    EXPECT_NEAR(m.data()[4 * 8 + 4], 0.0f, 1e-4);
}

TEST(ImageAnalysis, TransposedConvolutionOverlap) {
    // Kernel 3, stride 2: the interior alternates 1, 2 (uneven overlap).
    const Tensor a = overlap_1d(6, 3, 2, 0, 1);  // out = 5 * 2 + 3 = 13
    ASSERT_EQ(a.shape(), (Shape{13}));
    for (int64_t i = 2; i < 11; ++i) EXPECT_EQ(a.data()[i], i % 2 ? 1.0f : 2.0f) << i;
    // Kernel 4, stride 2: even overlap, 2 everywhere but the edges.
    const Tensor b = overlap_1d(6, 4, 2, 1, 1);
    for (int64_t i = 1; i + 1 < b.numel(); ++i) EXPECT_EQ(b.data()[i], 2.0f) << i;
    // 2-D is the outer product of 1-D (square kernels), for stacks as well.
    const Tensor c1 = overlap_1d(4, 3, 2, 1, 2), c2 = overlap_2d(4, 3, 2, 1, 2);
    ASSERT_EQ(c2.shape(), (Shape{c1.numel(), c1.numel()}));
    for (int64_t i = 0; i < c1.numel(); ++i)
        for (int64_t j = 0; j < c1.numel(); ++j)
            EXPECT_EQ(c2.data()[i * c1.numel() + j], c1.data()[i] * c1.data()[j]);
    EXPECT_THROW(overlap_1d(4, 3, 2, 1, 40), std::invalid_argument);
}

// Largest minus smallest value inside the border (which zero padding disturbs).
float interior_range(const Tensor& y, int64_t border) {
    const int64_t h = y.size(2), w = y.size(3);
    float lo = 1e30f, hi = -1e30f;
    for (int64_t i = border; i < h - border; ++i)
        for (int64_t j = border; j < w - border; ++j) {
            lo = std::min(lo, y.data()[i * w + j]);
            hi = std::max(hi, y.data()[i * w + j]);
        }
    return hi - lo;
}

TEST(ImageAnalysis, AtInitOnlyTransposedAndPlainPixelShuffleDrawACheckerboard) {
    const Tensor flat = Tensor::ones({1, 8, 8, 8});  // a constant image: any pattern is the layer's
    for (int k = 0; k < kUpsamplerKinds; ++k) {
        const auto kind = static_cast<UpsamplerKind>(k);
        SCOPED_TRACE(upsampler_name(kind));
        const Tensor y = upsampler_stack_at_init(kind, flat, 1, 3, 11);
        ASSERT_EQ(y.shape(), (Shape{1, 1, 16, 16}));
        const float range = interior_range(y, 3);
        if (kind == UpsamplerKind::transposed || kind == UpsamplerKind::pixelshuffle)
            EXPECT_GT(range, 0.05f);
        else
            EXPECT_LT(range, 1e-5f);
    }
}

}  // namespace

namespace {

TEST(ImageAnalysis, UpsamplerComparisonRoundTrip) {
    // 2x2 blocks: area-downsampling by 2 loses nothing and nearest restores it exactly.
    Tensor img = Tensor::empty({1, 3, 16, 16});
    for (int64_t i = 0; i < img.numel(); ++i) {
        const int64_t c = i / 256, y = (i % 256) / 16, x = i % 16;
        img.data()[i] = std::sin(0.7f * static_cast<float>(c + (y / 2) * 3 + (x / 2) * 5));
    }
    const UpsampleComparison r = compare_upsamplers(img, 2.0, true, false);
    ASSERT_EQ(r.views.size(), comparison_modes().size());
    EXPECT_EQ(r.input.shape(), (Shape{3, 8, 8}));
    for (const UpsampledView& v : r.views) {
        SCOPED_TRACE(interp_mode_name(v.mode));
        EXPECT_EQ(v.image.shape(), (Shape{3, 16, 16}));
        EXPECT_EQ(v.spectrum.shape(), (Shape{16, 16}));
        if (v.mode == InterpMode::nearest || v.mode == InterpMode::nearest_exact ||
            v.mode == InterpMode::area) {
            EXPECT_TRUE(std::isinf(v.psnr));
            EXPECT_NEAR(v.ssim, 1.0, 1e-9);
        } else {
            EXPECT_LT(v.psnr, 60.0);
            EXPECT_LT(v.ssim, 1.0);
        }
    }
    // Plain mode: results are floor(side * scale), and big inputs are cropped to fit.
    const UpsampleComparison p =
        compare_upsamplers(Tensor::zeros({1, 1, 300, 40}), 2.5, false, true, 512);
    EXPECT_EQ(p.views[2].image.shape(), (Shape{1, 510, 100}));  // 204 * 2.5
    EXPECT_THROW(compare_upsamplers(img, 100.0, false, false), std::invalid_argument);
}

}  // namespace
