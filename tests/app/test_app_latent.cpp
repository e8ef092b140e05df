// Latent interpolation maths: ends, straight lines, great circles and bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "widgets/latent_interpolation.h"

using namespace ganvas;
using namespace ganvas::gui;

namespace {

float norm_of_row(const Tensor& t, int64_t row) {
    double s = 0;
    for (int64_t i = 0; i < t.size(1); ++i)
        s += double(t.data()[row * t.size(1) + i]) * t.data()[row * t.size(1) + i];
    return static_cast<float>(std::sqrt(s));
}

Tensor three_rows() {
    // Rows: (1, 0, 0), (0, 2, 0), (3, 0, 0).
    return Tensor::from_vector({3, 3}, {1, 0, 0, 0, 2, 0, 3, 0, 0});
}

}  // namespace

TEST(LatentInterpolation, BothModesStartAtAAndEndAtB) {
    const Tensor z = three_rows();
    for (Interpolation mode : {Interpolation::linear, Interpolation::spherical}) {
        const Tensor path = interpolate_latents(z, 0, 1, 5, mode);
        ASSERT_EQ(path.shape(), (Shape{5, 3}));
        for (int i = 0; i < 3; ++i) {
            EXPECT_NEAR(path.data()[i], z.data()[i], 1e-6);
            EXPECT_NEAR(path.data()[4 * 3 + i], z.data()[3 + i], 1e-6);
        }
    }
}

TEST(LatentInterpolation, LinearIsEvenlySpacedOnTheLine) {
    const Tensor path = interpolate_latents(three_rows(), 0, 1, 3, Interpolation::linear);
    EXPECT_FLOAT_EQ(path.data()[3], 0.5f);  // midpoint of (1,0,0) and (0,2,0)
    EXPECT_FLOAT_EQ(path.data()[4], 1.0f);
    EXPECT_FLOAT_EQ(path.data()[5], 0.0f);
}

TEST(LatentInterpolation, SphericalKeepsTheNormOfEqualNormEnds) {
    // (1, 0) to (0, 1): the midpoint on the unit circle is (√½, √½), not (½, ½).
    const Tensor z = Tensor::from_vector({2, 2}, {1, 0, 0, 1});
    const Tensor path = interpolate_latents(z, 0, 1, 7, Interpolation::spherical);
    for (int64_t s = 0; s < 7; ++s) EXPECT_NEAR(norm_of_row(path, s), 1.0f, 1e-5) << s;
    EXPECT_NEAR(path.data()[3 * 2], std::sqrt(0.5f), 1e-6);
    const Tensor line = interpolate_latents(z, 0, 1, 7, Interpolation::linear);
    EXPECT_NEAR(norm_of_row(line, 3), std::sqrt(0.5f), 1e-6);  // the chord dips inside
}

TEST(LatentInterpolation, SphericalOfParallelOrZeroVectorsFallsBackToTheLine) {
    const Tensor z = Tensor::from_vector({3, 3}, {1, 0, 0, 3, 0, 0, 0, 0, 0});
    for (int64_t b : {1, 2}) {
        const Tensor s = interpolate_latents(z, 0, b, 4, Interpolation::spherical);
        const Tensor l = interpolate_latents(z, 0, b, 4, Interpolation::linear);
        for (int64_t i = 0; i < s.numel(); ++i) {
            ASSERT_TRUE(std::isfinite(s.data()[i]));
            EXPECT_NEAR(s.data()[i], l.data()[i], 1e-5);
        }
    }
}

TEST(LatentInterpolation, SameRowGivesConstantPath) {
    const Tensor path = interpolate_latents(three_rows(), 1, 1, 4, Interpolation::spherical);
    for (int64_t s = 0; s < 4; ++s) EXPECT_NEAR(path.data()[s * 3 + 1], 2.0f, 1e-6);
}

TEST(LatentInterpolation, BadInputThrows) {
    const Tensor z = three_rows();
    EXPECT_THROW(interpolate_latents(Tensor(), 0, 1, 4, Interpolation::linear),
                 std::invalid_argument);
    EXPECT_THROW(interpolate_latents(Tensor::zeros({9}), 0, 1, 4, Interpolation::linear),
                 std::invalid_argument);
    EXPECT_THROW(interpolate_latents(z, -1, 1, 4, Interpolation::linear), std::invalid_argument);
    EXPECT_THROW(interpolate_latents(z, 0, 3, 4, Interpolation::linear), std::invalid_argument);
    EXPECT_THROW(interpolate_latents(z, 0, 1, 1, Interpolation::linear), std::invalid_argument);
}
