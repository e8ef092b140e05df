// embedding, argmin, gather and scatter_add: against tensors PyTorch 1.13 wrote
// (tests/golden/golden_indexing.py), against finite differences, and their errors.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "autograd/autograd.h"
#include "io/npy.h"
#include "nn/layers.h"
#include "support/golden.h"
#include "support/gradcheck.h"

using namespace ganvas;
using ganvas::testing::gradcheck;
using ganvas::testing::gradgradcheck;
using ganvas::testing::leaf;

namespace {

Tensor golden(const std::string& name) {
    return ganvas::testing::golden("indexing/" + name + ".npy");
}

// int64 tensors (argmin, indices) compare exactly.
void expect_close(const Tensor& got, const std::string& name, float atol = 1e-5f) {
    ganvas::testing::expect_close(got, golden(name), atol, 1e-5, name);
}

// y = f(x); gx of sum(y * gy) with and without create_graph; ggy = d/dgy sum(gx * v).
void check_linear_case(const std::string& prefix, const std::function<Tensor(const Tensor&)>& f) {
    SCOPED_TRACE(prefix);
    Tensor x = golden(prefix + "_x").requires_grad_(true);
    Tensor gy = golden(prefix + "_gy").requires_grad_(true);
    Tensor y = f(x);
    expect_close(y, prefix + "_y");
    expect_close(grad({sum(mul(y, gy))}, {x})[0], prefix + "_gx");
    Tensor gx = grad({sum(mul(f(x), gy))}, {x}, {}, true)[0];
    expect_close(gx, prefix + "_gx");
    expect_close(grad({sum(mul(gx, golden(prefix + "_v")))}, {gy})[0], prefix + "_ggy");
}

template <typename Fn>
void expect_invalid(Fn fn, const std::string& needle) {
    try {
        fn();
        FAIL() << "expected std::invalid_argument mentioning '" << needle << "'";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
}

}  // namespace

TEST(IndexingGolden, Embedding) {
    Tensor idx = golden("emb_idx");
    check_linear_case("emb", [&](const Tensor& w) { return embedding(w, idx); });
}

TEST(IndexingGolden, ArgminAlongEachDimWithTies) {
    Tensor x = golden("argmin_x");
    for (int d : {0, 1, 2}) expect_close(argmin(x, d), "argmin_d" + std::to_string(d));
    expect_close(argmin(x, -1), "argmin_d2");
    expect_close(argmin(golden("argmin_vq_d"), 1), "argmin_vq");
}

TEST(IndexingGolden, GatherAlongEachDim) {
    for (int d : {0, 1, 2}) {
        const std::string p = "gather_d" + std::to_string(d);
        Tensor idx = golden(p + "_idx");
        check_linear_case(p, [&](const Tensor& x) { return gather(x, d, idx); });
    }
}

TEST(IndexingGolden, ScatterAdd) {
    Tensor self = golden("scatter_self").requires_grad_(true);
    Tensor src = golden("scatter_src").requires_grad_(true);
    Tensor idx = golden("scatter_idx");
    Tensor y = scatter_add(self, 1, idx, src);
    expect_close(y, "scatter_y");
    auto g = grad({sum(mul(y, golden("scatter_gy")))}, {self, src});
    expect_close(g[0], "scatter_gself");
    expect_close(g[1], "scatter_gsrc");
}

TEST(Indexing, GradientsMatchFiniteDifferences) {
    Rng rng(7);
    Tensor w = leaf(rng, {5, 3});
    Tensor idx = Tensor::from_vector_i64({2, 3}, {4, 0, 4, 2, 2, 2});
    EXPECT_TRUE(gradcheck([&](const auto& in) { return embedding(in[0], idx); }, {w}));
    EXPECT_TRUE(gradgradcheck(
        [&](const auto& in) { return mul(embedding(in[0], idx), embedding(in[0], idx)); }, {w}));
    Tensor x = leaf(rng, {3, 4});
    Tensor gidx = Tensor::from_vector_i64({3, 2}, {3, 3, 0, 1, 2, 0});
    EXPECT_TRUE(gradcheck([&](const auto& in) { return gather(in[0], 1, gidx); }, {x}));
    EXPECT_TRUE(gradgradcheck(
        [&](const auto& in) { return pow_scalar(gather(in[0], 1, gidx), 3.0f); }, {x}));
    Tensor base = leaf(rng, {3, 4}), src = leaf(rng, {3, 2});
    EXPECT_TRUE(
        gradcheck([&](const auto& in) { return scatter_add(in[0], 1, gidx, in[1]); }, {base, src}));
}

TEST(Indexing, ArgminIsInt64WithoutGradientAndFindsNaN) {
    Tensor x =
        Tensor::from_vector({2, 3}, {3, 1, 1, 2, std::numeric_limits<float>::quiet_NaN(), 0});
    x.requires_grad_(true);
    Tensor a = argmin(x, 1);
    EXPECT_EQ(a.dtype(), DType::i64);
    EXPECT_FALSE(a.requires_grad());
    EXPECT_EQ(a.shape(), (Shape{2}));
    EXPECT_EQ(a.data_i64()[0], 1);  // tie between 1 and 2: the first
    EXPECT_EQ(a.data_i64()[1], 1);  // NaN, as torch
}

TEST(Indexing, BadInputsNameTheProblem) {
    Tensor w = Tensor::zeros({4, 2});
    expect_invalid(
        [&] {
            embedding(w, Tensor::from_vector_i64({2}, {1, 4}));
        },
        "index 4 at position 1 is out of range [0, 4)");
    expect_invalid([&] { embedding(w, Tensor::from_vector_i64({1}, {-1})); }, "index -1");
    expect_invalid([&] { embedding(w, Tensor::zeros({2})); }, "index must be int64");
    expect_invalid([&] { embedding(Tensor::zeros({4}), Tensor::from_vector_i64({1}, {0})); },
                   "(V, D)");
    expect_invalid([&] { argmin(w, 2); }, "dimension 2 out of range");
    Tensor x = Tensor::zeros({2, 3});
    expect_invalid([&] { gather(x, 1, Tensor::from_vector_i64({2, 1}, {0, 3})); }, "index 3");
    expect_invalid(
        [&] {
            gather(x, 1, Tensor::from_vector_i64({3, 1}, {0, 0, 0}));
        },
        "larger than input");
    expect_invalid([&] { gather(x, 1, Tensor::from_vector_i64({2}, {0, 0})); }, "rank");
}

TEST(Indexing, EmbeddingModuleNamesItsWeightAsTorch) {
    Rng rng(1);
    Embedding e(10, 4, rng);
    auto sd = e.state_dict();
    ASSERT_EQ(sd.size(), 1u);
    EXPECT_EQ(sd[0].first, "weight");
    EXPECT_EQ(sd[0].second.shape(), (Shape{10, 4}));
    Tensor y = e.forward(Tensor::from_vector_i64({2, 1}, {9, 0}));
    EXPECT_EQ(y.shape(), (Shape{2, 1, 4}));
    EXPECT_EQ(y.data()[0], e.weight.data()[36]);
}
