// Toy distributions: seeded sampling, the shapes' geometry, custom point sets,
// mode counting and the toy:NAME data spec.
#include <gtest/gtest.h>

#include <cmath>

#include "data/batcher.h"
#include "data/dataset.h"
#include "data/toy_distributions.h"

using namespace ganvas;

TEST(ToyDistributions, SameSeedSameSamplesDifferentSeedDifferent) {
    for (const std::string& name : toy_distribution_names()) {
        ToyDistribution d = make_toy_distribution(name);
        Rng a(7), b(7), c(8);
        Tensor x = d.sample(100, a), y = d.sample(100, b), z = d.sample(100, c);
        ASSERT_EQ(x.shape(), (Shape{100, d.dim})) << name;
        bool differs = false;
        for (int64_t i = 0; i < x.numel(); ++i) {
            ASSERT_EQ(x.data()[i], y.data()[i]) << name;
            ASSERT_TRUE(std::isfinite(x.data()[i])) << name;
            differs |= x.data()[i] != z.data()[i];
        }
        EXPECT_TRUE(differs) << name;
    }
}

TEST(ToyDistributions, Ring8SamplesLieNearTheCircleAndCoverEveryMode) {
    ToyDistribution d = make_toy_distribution("ring8");
    ASSERT_EQ(d.centres.size(), 8u);
    Rng rng(1);
    Tensor x = d.sample(4000, rng);
    for (int64_t i = 0; i < 4000; ++i) {
        const float r = std::hypot(x.data()[2 * i], x.data()[2 * i + 1]);
        ASSERT_NEAR(r, 2.0f, 6 * d.stddev);
    }
    ModeCoverage m = mode_coverage(d, x);
    EXPECT_EQ(m.covered, 8);
    EXPECT_GT(m.near_share, 0.99);
    for (int c : m.counts) EXPECT_NEAR(c, 500, 100);
}

TEST(ToyDistributions, ModeCoverageCountsACollapsedGeneratorAsOneMode) {
    ToyDistribution d = make_toy_distribution("grid25");
    Tensor x = Tensor::full({200, 2}, 1.02f);  // every sample at the centre (1, 1)
    ModeCoverage m = mode_coverage(d, x);
    EXPECT_EQ(m.modes, 25);
    EXPECT_EQ(m.covered, 1);
    Tensor far = Tensor::full({200, 2}, 0.5f);  // between centres: near none
    EXPECT_EQ(mode_coverage(d, far).covered, 0);
    EXPECT_EQ(mode_coverage(d, far).near_share, 0);
}

TEST(ToyDistributions, ShapesStayInTheirBoxes) {
    Rng rng(3);
    Tensor sq = make_toy_distribution("square").sample(1000, rng);
    for (int64_t i = 0; i < sq.numel(); ++i) ASSERT_LE(std::fabs(sq.data()[i]), 1.5f);
    Tensor line = make_toy_distribution("line").sample(1000, rng);
    for (int64_t i = 0; i < 1000; ++i)  // y = x / 2 up to the small noise
        ASSERT_NEAR(line.data()[2 * i + 1], 0.5f * line.data()[2 * i], 0.1f);
    Tensor spiral = make_toy_distribution("spiral").sample(1000, rng);
    for (int64_t i = 0; i < 1000; ++i)
        ASSERT_LE(std::hypot(spiral.data()[2 * i], spiral.data()[2 * i + 1]), 2.3f);
}

TEST(ToyDistributions, OneDimensionalMixturesHaveADensityIntegratingToOne) {
    for (const char* name : {"gauss1d", "bimodal1d", "trimodal1d"}) {
        ToyDistribution d = make_toy_distribution(name);
        EXPECT_EQ(d.dim, 1);
        double total = 0;
        for (double x = -8; x < 8; x += 0.001) total += d.density_1d(x) * 0.001;
        EXPECT_NEAR(total, 1.0, 1e-3) << name;
        Rng rng(2);
        Tensor s = d.sample(20000, rng);
        double mean = 0, want = 0;
        for (int64_t i = 0; i < s.numel(); ++i) mean += s.data()[i] / s.numel();
        for (double x = -8; x < 8; x += 0.001) want += x * d.density_1d(x) * 0.001;
        EXPECT_NEAR(mean, want, 0.03) << name;
    }
}

TEST(ToyDistributions, CustomPointsAreSampledWithJitter) {
    ToyDistribution d = custom_distribution({{1, 1}, {-1, 0.5f}}, 0.01f);
    Rng rng(4);
    Tensor x = d.sample(500, rng);
    int near_first = 0;
    for (int64_t i = 0; i < 500; ++i) {
        const float a = std::hypot(x.data()[2 * i] - 1, x.data()[2 * i + 1] - 1);
        const float b = std::hypot(x.data()[2 * i] + 1, x.data()[2 * i + 1] - 0.5f);
        ASSERT_LT(std::min(a, b), 0.06f);
        near_first += a < b;
    }
    EXPECT_NEAR(near_first, 250, 50);
    EXPECT_THROW(custom_distribution({}), std::invalid_argument);
    EXPECT_THROW(custom_distribution({{0, 0}}, -1), std::invalid_argument);
    EXPECT_THROW(custom_distribution({{NAN, 0}}), std::invalid_argument);
}

TEST(ToyDistributions, UnknownNameListsTheKnownOnes) {
    try {
        make_toy_distribution("ring9");
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("ring9"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("grid25"), std::string::npos);
    }
}

TEST(ToyDistributions, ToyDataSpecLoadsABatchableDataset) {
    DataSpec s = parse_data_spec("toy:ring8");
    EXPECT_EQ(s.kind, DataSpec::Kind::toy);
    ImageDataset data = load_dataset("toy:ring8");
    EXPECT_EQ(data.images.shape(), (Shape{kToyDatasetSize, 2, 1, 1}));
    ImageDataset again = load_dataset("toy:ring8");
    EXPECT_EQ(data.images.data()[123], again.images.data()[123]);  // one fixed data set
    Rng rng(0);
    Batcher batcher(data, 16, rng);
    EXPECT_EQ(batcher.next().images.shape(), (Shape{16, 2, 1, 1}));
    EXPECT_EQ(load_dataset("toy:gauss1d").images.shape(), (Shape{kToyDatasetSize, 1, 1, 1}));
    try {
        parse_data_spec("toy:blob");
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("toy:blob"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("ring8"), std::string::npos);
    }
}
