// 2-D pooling: values against pools written from their definitions (small and
// big enough to split over threads), the first-maximum rule for ties, errors,
// first and second derivatives against finite differences, and the backward
// ops' own gradients (the pool again, or the gather at the argmax).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "autograd/autograd.h"
#include "support/gradcheck.h"

using namespace ganvas;
using ganvas::testing::gradcheck;
using ganvas::testing::gradgradcheck;
using ganvas::testing::leaf;

namespace {

// A leaf of distinct values 0.1 apart in random order: no ties, so the max of a
// window moves only when a value moves by more than the finite-difference step.
Tensor distinct(Rng& rng, const Shape& shape) {
    Tensor t = Tensor::empty(shape);
    std::vector<int64_t> order(t.numel());
    std::iota(order.begin(), order.end(), 0);
    for (int64_t i = t.numel() - 1; i > 0; --i) std::swap(order[i], order[rng.randint(i + 1)]);
    for (int64_t i = 0; i < t.numel(); ++i) t.data()[i] = 0.1f * order[i] - 3.0f;
    t.requires_grad_(true);
    return t;
}

// Sliding pools by their definition: padding reads -inf (max) or 0 (avg, / kernel^2).
// For max, `arg` receives each window's winner as a flat index into x, by torch's
// rule: the first real cell, then any cell that is greater or NaN.
Tensor ref_pool(const Tensor& x, int64_t k, int64_t s, int64_t p, bool max,
                std::vector<int64_t>* arg = nullptr) {
    const int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    const int64_t oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1;
    Tensor out = Tensor::empty({n, c, oh, ow});
    if (arg) arg->clear();
    for (int64_t pl = 0; pl < n * c; ++pl)
        for (int64_t i = 0; i < oh; ++i)
            for (int64_t j = 0; j < ow; ++j) {
                double acc = max ? -INFINITY : 0.0;
                int64_t best = -1;
                for (int64_t a = 0; a < k; ++a)
                    for (int64_t b = 0; b < k; ++b) {
                        const int64_t y = i * s - p + a, z = j * s - p + b;
                        const bool in = y >= 0 && y < h && z >= 0 && z < w;
                        const int64_t at = (pl * h + y) * w + z;
                        const double v = in ? x.data()[at] : (max ? -INFINITY : 0.0);
                        if (!max) {
                            acc += v;
                        } else if (in && (best < 0 || v > acc || std::isnan(v))) {
                            acc = v;
                            best = at;
                        }
                    }
                out.data()[(pl * oh + i) * ow + j] = static_cast<float>(max ? acc : acc / (k * k));
                if (arg) arg->push_back(best);
            }
    return out;
}

Tensor ref_adaptive(const Tensor& x, int64_t oh, int64_t ow) {
    const int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    Tensor out = Tensor::empty({n, c, oh, ow});
    for (int64_t pl = 0; pl < n * c; ++pl)
        for (int64_t i = 0; i < oh; ++i)
            for (int64_t j = 0; j < ow; ++j) {
                const auto h0 = int64_t(std::floor(double(i) * h / oh));
                const auto h1 = int64_t(std::ceil(double(i + 1) * h / oh));
                const auto w0 = int64_t(std::floor(double(j) * w / ow));
                const auto w1 = int64_t(std::ceil(double(j + 1) * w / ow));
                double acc = 0.0;
                for (int64_t y = h0; y < h1; ++y)
                    for (int64_t z = w0; z < w1; ++z) acc += x.data()[(pl * h + y) * w + z];
                out.data()[(pl * oh + i) * ow + j] = float(acc / ((h1 - h0) * (w1 - w0)));
            }
    return out;
}

void expect_near(const Tensor& got, const Tensor& want, float tol = 1e-5f) {
    ASSERT_EQ(got.shape(), want.shape());
    for (int64_t i = 0; i < want.numel(); ++i)
        ASSERT_NEAR(got.data()[i], want.data()[i], tol * (1.0f + std::fabs(want.data()[i])))
            << "element " << i;
}

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "no throw";
}

}  // namespace

TEST(Pooling, ValuesByHand) {
    std::vector<float> v(16);
    std::iota(v.begin(), v.end(), 0.0f);
    Tensor x = Tensor::from_vector({1, 1, 4, 4}, v);
    EXPECT_EQ(max_pool2d(x, 2, 2).to_vector(), (std::vector<float>{5, 7, 13, 15}));
    EXPECT_EQ(avg_pool2d(x, 2, 2).to_vector(), (std::vector<float>{2.5f, 4.5f, 10.5f, 12.5f}));
    // Padding counts in the mean: the corner window holds 0, 1, 4, 5 and five pads.
    EXPECT_FLOAT_EQ(avg_pool2d(x, 3, 2, 1).to_vector()[0], 10.0f / 9.0f);
    EXPECT_FLOAT_EQ(adaptive_avg_pool2d(x, 1, 1).item(), 7.5f);
    // 4 -> 3 rows: windows [0, 2), [1, 3), [2, 4).
    EXPECT_FLOAT_EQ(adaptive_avg_pool2d(x, 3, 3).to_vector()[0], 2.5f);
    EXPECT_FLOAT_EQ(adaptive_avg_pool2d(x, 3, 3).to_vector()[4], 7.5f);
}

TEST(Pooling, MatchesDefinitions) {
    Rng rng(1);
    for (const Shape& s : {Shape{2, 3, 7, 7}, Shape{4, 8, 20, 19}, Shape{1, 2, 5, 9}}) {
        Tensor x = rng.randn(s);
        for (auto [k, st, p] : {std::array<int64_t, 3>{2, 2, 0}, {3, 2, 1}, {3, 1, 1}, {5, 3, 2}}) {
            SCOPED_TRACE(shape_str(s) + " k" + std::to_string(k) + " s" + std::to_string(st) +
                         " p" + std::to_string(p));
            expect_near(max_pool2d(x, k, st, p), ref_pool(x, k, st, p, true), 0.0f);
            expect_near(avg_pool2d(x, k, st, p), ref_pool(x, k, st, p, false));
        }
        for (auto [oh, ow] : {std::array<int64_t, 2>{3, 3}, {5, 5}, {1, 1}, {4, 2}, {7, 9}})
            expect_near(adaptive_avg_pool2d(x, oh, ow), ref_adaptive(x, oh, ow));
    }
}

TEST(Pooling, MaxGradientGoesToTheFirstMaximum) {
    Tensor x = Tensor::ones({1, 1, 2, 3}).requires_grad_(true);
    sum(max_pool2d(x, 2, 1)).backward();  // two windows, each all ones
    EXPECT_EQ(x.grad().to_vector(), (std::vector<float>{1, 1, 0, 0, 0, 0}));
    // An all -inf window (its padding is -inf too) points at its first real cell.
    const float inf = INFINITY;
    Tensor m = Tensor::full({1, 1, 2, 2}, -inf).requires_grad_(true);
    Tensor y = max_pool2d(m, 2, 2, 1);  // (1, 1, 2, 2), each window one real cell
    EXPECT_EQ(y.to_vector(), (std::vector<float>{-inf, -inf, -inf, -inf}));
    sum(y).backward();
    EXPECT_EQ(m.grad().to_vector(), (std::vector<float>{1, 1, 1, 1}));
}

TEST(Pooling, MaxGradientMatchesDefinitionOnLargeInput) {
    Rng rng(2);
    Tensor x = distinct(rng, {4, 8, 20, 19});
    Tensor gy = rng.randn({4, 8, 10, 10});
    std::vector<int64_t> arg;
    ref_pool(x, 3, 2, 1, true, &arg);
    Tensor gx = grad({sum(mul(max_pool2d(x, 3, 2, 1), gy))}, {x})[0];
    std::vector<float> want(x.numel(), 0.0f);
    for (size_t k = 0; k < arg.size(); ++k) want[arg[k]] += gy.data()[k];
    for (int64_t i = 0; i < x.numel(); ++i) ASSERT_FLOAT_EQ(gx.data()[i], want[i]) << i;
}

TEST(Pooling, MaxTiesNansAndInfsMatchDefinition) {
    // Small integers tie everywhere; NaN and -inf sprinkled in. Windows at the edges and
    // inside take different loops in the kernel: both must keep the same rule.
    Rng rng(6);
    Tensor x = rng.randn({2, 3, 20, 19});
    for (int64_t i = 0; i < x.numel(); ++i) {
        const float u = rng.uniform();
        x.data()[i] = u < 0.03f ? NAN : u < 0.06f ? -INFINITY : std::round(x.data()[i]);
    }
    x.requires_grad_(true);
    for (auto [k, st, p] : {std::array<int64_t, 3>{2, 2, 0}, {3, 2, 1}, {3, 1, 1}, {4, 3, 2}}) {
        SCOPED_TRACE("k" + std::to_string(k) + " s" + std::to_string(st) + " p" +
                     std::to_string(p));
        std::vector<int64_t> arg;
        Tensor want = ref_pool(x, k, st, p, true, &arg);
        Tensor y = max_pool2d(x, k, st, p);
        ASSERT_EQ(y.shape(), want.shape());
        for (int64_t i = 0; i < y.numel(); ++i) {
            const float a = y.data()[i], b = want.data()[i];
            ASSERT_TRUE(a == b || (std::isnan(a) && std::isnan(b))) << i << ": " << a << " " << b;
        }
        // Each output's gradient lands at its own winner: output index + 1 as the gradient.
        Tensor gy = Tensor::empty(y.shape());
        for (int64_t i = 0; i < gy.numel(); ++i) gy.data()[i] = float(i + 1);
        Tensor gx = grad({sum(mul(y, gy))}, {x})[0];
        std::vector<float> expect(x.numel(), 0.0f);
        for (size_t i = 0; i < arg.size(); ++i) expect[arg[i]] += float(i + 1);
        for (int64_t i = 0; i < x.numel(); ++i) ASSERT_EQ(gx.data()[i], expect[i]) << i;
    }
    // A NaN wins its window; the last NaN seen takes the gradient, as torch.
    Tensor n = Tensor::from_vector({1, 1, 2, 2}, {NAN, 5.0f, NAN, 7.0f}).requires_grad_(true);
    Tensor yn = max_pool2d(n, 2, 2);
    EXPECT_TRUE(std::isnan(yn.item()));
    yn.backward(Tensor::ones({1, 1, 1, 1}));
    EXPECT_EQ(n.grad().to_vector(), (std::vector<float>{0, 0, 1, 0}));
}

TEST(Pooling, Errors) {
    Tensor x = Tensor::zeros({2, 3, 5, 5});
    EXPECT_NE(message_of([] {
                  max_pool2d(Tensor::zeros({3, 5, 5}), 2, 2);
              }).find("(3, 5, 5)"),
              std::string::npos);
    EXPECT_NE(message_of([&] { avg_pool2d(x, 3, 1, 2); }).find("padding"), std::string::npos);
    EXPECT_NE(message_of([&] { max_pool2d(x, 6, 1); }).find("(2, 3, 5, 5)"), std::string::npos);
    EXPECT_NE(message_of([&] { adaptive_avg_pool2d(x, 0, 2); }).find("(2, 3, 5, 5)"),
              std::string::npos);
    EXPECT_THROW(max_pool2d(x, 0, 1), std::invalid_argument);
    EXPECT_THROW(avg_pool2d(x, 2, 0), std::invalid_argument);
    EXPECT_THROW(avg_pool2d(x, 2, 1, -1), std::invalid_argument);
    EXPECT_THROW(adaptive_avg_pool2d(Tensor::zeros({1, 1, 0, 4}), 2, 2), std::invalid_argument);
    EXPECT_THROW(max_pool2d(Tensor::zeros({1, 1, 4, 4}, DType::i64), 2, 2), std::invalid_argument);
    EXPECT_NO_THROW(max_pool2d(x, 5, 1));  // kernel == input: one window
    EXPECT_EQ(avg_pool2d(Tensor::zeros({0, 3, 4, 4}), 2, 2).shape(), (Shape{0, 3, 2, 2}));
}

TEST(Pooling, Gradcheck) {
    Rng rng(3);
    Tensor d = distinct(rng, {2, 2, 6, 5});
    Tensor x = leaf(rng, {2, 2, 7, 7});
    EXPECT_TRUE(gradcheck([](auto& in) { return max_pool2d(in[0], 2, 2); }, {d}));
    EXPECT_TRUE(gradcheck([](auto& in) { return max_pool2d(in[0], 3, 2, 1); }, {d}));
    EXPECT_TRUE(gradcheck([](auto& in) { return avg_pool2d(in[0], 3, 2, 1); }, {x}));
    EXPECT_TRUE(gradcheck([](auto& in) { return avg_pool2d(in[0], 2, 1); }, {x}));
    EXPECT_TRUE(gradcheck([](auto& in) { return adaptive_avg_pool2d(in[0], 3, 3); }, {x}));
    EXPECT_TRUE(gradcheck([](auto& in) { return adaptive_avg_pool2d(in[0], 5, 4); }, {x}));
}

TEST(Pooling, Gradgradcheck) {
    Rng rng(4);
    Tensor d = distinct(rng, {1, 2, 6, 6});
    Tensor x = leaf(rng, {1, 2, 7, 7});
    // Alone each pool is linear in x (second derivative 0); squared, the second
    // derivative runs through each backward op's gradient w.r.t. its incoming gradient.
    using Pool = std::function<Tensor(const Tensor&)>;
    const std::vector<std::pair<Pool, Tensor>> cases = {
        {[](const Tensor& t) { return max_pool2d(t, 2, 2); }, d},
        {[](const Tensor& t) { return max_pool2d(t, 3, 2, 1); }, d},
        {[](const Tensor& t) { return avg_pool2d(t, 3, 2, 1); }, x},
        {[](const Tensor& t) { return adaptive_avg_pool2d(t, 3, 3); }, x},
        {[](const Tensor& t) { return adaptive_avg_pool2d(t, 5, 5); }, x},
    };
    for (const auto& entry : cases) {  // no binding: clang 14 cannot capture one
        const Pool& pool = entry.first;
        const Tensor& in = entry.second;
        EXPECT_TRUE(gradgradcheck([pool](auto& v) { return pool(v[0]); }, {in}));
        EXPECT_TRUE(gradgradcheck(
            [pool](auto& v) {
                Tensor y = pool(v[0]);
                return mul(y, y);
            },
            {in}));
    }
    // A pool of a pool (max first: averages of distinct values can tie).
    EXPECT_TRUE(gradgradcheck(
        [](auto& v) {
            Tensor y = avg_pool2d(max_pool2d(v[0], 2, 1), 2, 1);
            return mul(y, y);
        },
        {d}));
}

TEST(Pooling, BackwardOpsHaveTheForwardAsGradient) {
    // d/dgy of sum(gx * v), gx the gradient of sum(pool(x) * gy): for the averages the
    // pool of v, for max pooling v gathered at the winners.
    Rng rng(5);
    Tensor x = distinct(rng, {2, 3, 7, 7});
    Tensor v = rng.randn({2, 3, 7, 7});
    using Pool = std::function<Tensor(const Tensor&)>;
    std::vector<int64_t> arg;
    Tensor want_max = ref_pool(x, 3, 2, 1, true, &arg);
    for (size_t k = 0; k < arg.size(); ++k) want_max.data()[k] = v.data()[arg[k]];
    const std::vector<std::pair<Pool, Tensor>> cases = {
        {[](const Tensor& t) { return avg_pool2d(t, 3, 2, 1); }, avg_pool2d(v, 3, 2, 1)},
        {[](const Tensor& t) { return adaptive_avg_pool2d(t, 5, 5); },
         adaptive_avg_pool2d(v, 5, 5)},
        {[](const Tensor& t) { return max_pool2d(t, 3, 2, 1); }, want_max},
    };
    for (const auto& [pool, want] : cases) {
        Tensor y = pool(x);
        Tensor gy = rng.randn(y.shape()).requires_grad_(true);
        Tensor gx = grad({sum(mul(y, gy))}, {x}, {}, true)[0];
        EXPECT_TRUE(gx.requires_grad());
        expect_near(grad({sum(mul(gx, v))}, {gy})[0], want);
    }
}
