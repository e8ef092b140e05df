// The CPU's fully connected layer against plain double-precision loops: the
// bias folded into the forward's product, and the bias gradient summed beside
// the weight gradient's product, over every way the work splits (by rows, by
// outputs, by inputs, not at all; the backward's by rows too) and the degenerate sizes gemm treats
// apart.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "backend/cpu/linear_layer.h"
#include "backend/cpu/thread_pool.h"

namespace ganvas::cpu {
namespace {

struct Sizes {
    int64_t rows, in, out;
};

std::vector<float> uniform(size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> v(n);
    for (float& f : v) f = u(rng);
    return v;
}

class ThreadsRestored : public ::testing::Test {
protected:
    void TearDown() override { set_num_threads(saved_); }
    int saved_ = num_threads();
};

using CpuLinearLayer = ThreadsRestored;

void check_forward(const Sizes& s, bool with_bias, int threads) {
    set_num_threads(threads);
    const auto x = uniform(s.rows * s.in, 1), w = uniform(s.out * s.in, 2), b = uniform(s.out, 3);
    // NaN first: every element must be written, bias or not.
    std::vector<float> y(s.rows * s.out, std::numeric_limits<float>::quiet_NaN());
    linear_forward(s.rows, s.in, s.out, x.data(), w.data(), with_bias ? b.data() : nullptr,
                   y.data());
    for (int64_t r = 0; r < s.rows; ++r)
        for (int64_t o = 0; o < s.out; ++o) {
            double want = with_bias ? b[o] : 0.0, scale = std::abs(want);
            for (int64_t k = 0; k < s.in; ++k) {
                want += double(x[r * s.in + k]) * w[o * s.in + k];
                scale += std::abs(double(x[r * s.in + k]) * w[o * s.in + k]);
            }
            ASSERT_NEAR(y[r * s.out + o], want, 1e-5 * (scale + 1.0))
                << "y[" << r << "][" << o << "] of " << s.rows << "x" << s.in << "->" << s.out
                << " bias " << with_bias << " threads " << threads;
        }
}

void check_backward(const Sizes& s, bool with_bias, int threads) {
    set_num_threads(threads);
    const auto x = uniform(s.rows * s.in, 4), g = uniform(s.rows * s.out, 5);
    std::vector<float> gw(s.out * s.in, std::numeric_limits<float>::quiet_NaN());
    std::vector<float> gb(s.out, std::numeric_limits<float>::quiet_NaN());
    linear_backward_params(s.rows, s.in, s.out, x.data(), g.data(), gw.data(),
                           with_bias ? gb.data() : nullptr);
    for (int64_t o = 0; o < s.out; ++o) {
        for (int64_t i = 0; i < s.in; ++i) {
            double want = 0.0, scale = 0.0;
            for (int64_t r = 0; r < s.rows; ++r) {
                want += double(g[r * s.out + o]) * x[r * s.in + i];
                scale += std::abs(double(g[r * s.out + o]) * x[r * s.in + i]);
            }
            ASSERT_NEAR(gw[o * s.in + i], want, 1e-5 * (scale + 1.0))
                << "gw[" << o << "][" << i << "] of " << s.rows << "x" << s.in << "->" << s.out
                << " threads " << threads;
        }
        if (!with_bias) continue;
        double sum = 0.0, scale = 0.0;  // summed in double: within a float's rounding
        for (int64_t r = 0; r < s.rows; ++r) {
            sum += g[r * s.out + o];
            scale += std::abs(g[r * s.out + o]);
        }
        ASSERT_NEAR(gb[o], sum, 1e-7 * (scale + 1.0))
            << "gb[" << o << "] of " << s.rows << "x" << s.in << "->" << s.out << " threads "
            << threads;
    }
    if (!with_bias) {
        for (float v : gb) {
            ASSERT_TRUE(std::isnan(v)) << "gb was written without being asked";
        }
    }
}

const std::vector<Sizes> kSizes = {
    {5, 7, 3},       // too small to split
    {300, 70, 90},   // split by rows forward, by outputs backward
    {40, 70, 400},   // split by outputs forward
    {300, 120, 60},  // split by inputs backward: each block sums its share of g's columns
    {9, 33, 130},    // odd, outputs outnumber rows
    {1000, 30, 50},  // rows long beside the gradient: backward split by rows, partials added
};

TEST_F(CpuLinearLayer, ForwardAgreesWithAPlainLoop) {
    for (int threads : {1, 2})
        for (const Sizes& s : kSizes)
            for (bool bias : {true, false}) check_forward(s, bias, threads);
}

TEST_F(CpuLinearLayer, BackwardAgreesWithAPlainLoop) {
    for (int threads : {1, 2})
        for (const Sizes& s : kSizes)
            for (bool bias : {true, false}) check_backward(s, bias, threads);
}

TEST_F(CpuLinearLayer, OneOrNoInputFeatureAndOneRow) {
    for (int threads : {1, 2})
        for (bool bias : {true, false}) {
            check_forward({64, 1, 300}, bias, threads);  // an outer product plus the bias
            check_forward({6, 0, 4}, bias, threads);     // no inputs: the bias, or zeros
            check_forward({1, 50, 200}, bias, threads);  // one row
            check_backward({64, 1, 300}, bias, threads);
            check_backward({1, 50, 200}, bias, threads);
            check_backward({1, 1, 3}, bias, threads);
        }
}

}  // namespace
}  // namespace ganvas::cpu
