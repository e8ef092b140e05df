// Every backend against the CPU, in the manner of ggml's test-backend-ops: one
// table of op cases, each run through the public ops on the CPU and on every
// other backend there is, forward and backward, compared within float
// rounding. A kernel family joins by adding rows to the table; a backend
// that lacks a case's family must refuse it with one line (the case then
// reports itself skipped, naming the family), and runs it once it has it.
//
// The backends: the OpenGL one (on Mesa's llvmpipe where there is no GPU, so
// CI runs it) and the emulated GPU (the CPU's kernels on memory the host may
// not read, which proves that the ops read nothing on the host).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "backend/backend.h"
#include "backend/emulated_gpu.h"
#include "ops/conv.h"
#include "ops/elementwise.h"
#include "ops/matmul.h"
#include "tensor/rng.h"

namespace ganvas {
namespace {

using Inputs = std::vector<Tensor>;

// The kernel families of backend.h; a backend may lack some (the GPU grows one at a time).
enum class Family { elementwise, reduce, norm, spatial, layout, linear, update };

struct OpCase {
    std::string name;                              // a test name: letters, digits and underscores
    std::vector<Shape> inputs;                     // filled with N(0, 1) values
    std::function<Tensor(const Inputs&)> run;      // the op under test, on its inputs
    std::vector<Family> families{Family::linear};  // whose kernels it runs, backward included
    // Whose kernels the double backward runs (none: not checked). A conv
    // bias's differentiable gradient is a sum(), for one.
    std::vector<Family> double_backward{Family::linear};
};

// Whether `be` has `family`; where not, `why` gets the backend's refusal.
bool has_family(const Backend& be, Family family, std::string* why) {
    try {
        switch (family) {
            case Family::elementwise:
                be.elementwise();
                break;
            case Family::reduce:
                be.reduce();
                break;
            case Family::norm:
                be.norm();
                break;
            case Family::spatial:
                be.spatial();
                break;
            case Family::layout:
                be.layout();
                break;
            case Family::linear:
                be.linear();
                break;
            case Family::update:
                be.update();
                break;
        }
        return true;
    } catch (const std::runtime_error& e) {
        *why = e.what();
        return false;
    }
}

Conv2dParams conv_params(std::array<int64_t, 2> stride, std::array<int64_t, 2> padding,
                         std::array<int64_t, 2> dilation = {1, 1},
                         std::array<int64_t, 2> output_padding = {0, 0}) {
    Conv2dParams p;
    p.stride = stride, p.padding = padding, p.dilation = dilation;
    p.output_padding = output_padding;
    return p;
}

OpCase conv(std::string name, Shape x, Shape w, bool bias, Conv2dParams p) {
    std::vector<Shape> inputs{x, w};
    if (bias) inputs.push_back({w[0]});
    OpCase c{std::move(name), inputs, [bias, p](const Inputs& in) {
                 return conv2d(in[0], in[1], bias ? in[2] : Tensor(), p);
             }};
    if (bias) c.double_backward.push_back(Family::reduce);
    return c;
}

OpCase conv_t(std::string name, Shape x, Shape w, bool bias, Conv2dParams p) {
    std::vector<Shape> inputs{x, w};
    if (bias) inputs.push_back({w[1]});
    OpCase c{std::move(name), inputs, [bias, p](const Inputs& in) {
                 return conv_transpose2d(in[0], in[1], bias ? in[2] : Tensor(), p);
             }};
    if (bias) c.double_backward.push_back(Family::reduce);
    return c;
}

OpCase mat(std::string name, Shape a, Shape b) {
    return {std::move(name), {a, b}, [](const Inputs& in) { return matmul(in[0], in[1]); }};
}

// The table. Sizes are odd and straddle the GPU's 64-wide tiles; backward
// passes cover the transposed products and the other two convolutions.
std::vector<OpCase> op_cases() {
    return {
        // -- linear: matrix products --
        mat("matmul_1x1x1", {1, 1}, {1, 1}),
        mat("matmul_7x5x9", {7, 5}, {5, 9}),
        mat("matmul_65x33x70", {65, 33}, {33, 70}),
        mat("matmul_3x130x2", {3, 130}, {130, 2}),
        mat("matmul_batched_3x7x5x9", {3, 7, 5}, {3, 5, 9}),
        mat("matmul_batched_2x1x17x1", {2, 1, 17}, {2, 17, 1}),
        {"linear_no_bias_4x10_to_6",
         {{4, 10}, {6, 10}},
         [](const Inputs& in) { return linear(in[0], in[1]); }},
        {"add_broadcast_3x4_plus_4",
         {{3, 4}, {4}},
         [](const Inputs& in) { return add(in[0], in[1]); },
         {Family::elementwise, Family::reduce}},  // the gradient of a broadcast sums
        // -- linear: convolutions --
        conv("conv2d_3x3_pad1_bias", {2, 3, 7, 7}, {4, 3, 3, 3}, true, conv_params({1, 1}, {1, 1})),
        conv("conv2d_1x1", {1, 5, 3, 4}, {2, 5, 1, 1}, false, conv_params({1, 1}, {0, 0})),
        conv("conv2d_odd_stride_dilation", {3, 2, 9, 6}, {3, 2, 3, 2}, true,
             conv_params({2, 3}, {1, 0}, {1, 2})),
        conv("conv2d_dilation2_pad2", {2, 3, 8, 5}, {2, 3, 3, 3}, false,
             conv_params({1, 1}, {2, 2}, {2, 2})),
        conv("conv2d_dcgan_down", {4, 8, 14, 14}, {16, 8, 4, 4}, true, conv_params({2, 2}, {1, 1})),
        conv_t("conv_transpose2d_dcgan_up", {2, 5, 4, 4}, {5, 3, 4, 4}, true,
               conv_params({2, 2}, {1, 1}, {1, 1}, {1, 1})),
        conv_t("conv_transpose2d_odd_dilation", {3, 2, 5, 3}, {2, 4, 3, 2}, false,
               conv_params({3, 1}, {1, 0}, {2, 1}, {1, 0})),
        {"conv2d_weight_stride2",
         {{2, 3, 9, 9}, {2, 4, 4, 4}},
         [](const Inputs& in) {
             return conv2d_weight(in[0], in[1], {4, 3, 3, 3}, conv_params({2, 2}, {0, 0}));
         }},
    };
}

// -- backends -------------------------------------------------------------------

struct BackendUnderTest {
    std::string name;
    bool emulated;
};

void PrintTo(const BackendUnderTest& b, std::ostream* os) {
    *os << b.name;
}

std::vector<BackendUnderTest> backends() {
    return {{"gl", false}, {"emulated", true}};
}

// Forward output, one gradient per input, then (with second_order) the
// gradient of <gradients, random> in each input; all read back to the host.
std::vector<std::vector<float>> run_case(const OpCase& c, Device device, uint64_t seed,
                                         bool second_order = false) {
    Rng rng(seed);
    Inputs inputs;
    for (const Shape& s : c.inputs) {
        Tensor t = rng.randn(s).to(device);
        t.requires_grad_();
        inputs.push_back(t);
    }
    Tensor y = c.run(inputs);
    Tensor gy = rng.randn(y.shape()).to(device);
    std::vector<std::vector<float>> results{y.to_vector()};
    const std::vector<Tensor> grads = grad({y}, inputs, {gy}, second_order);
    for (const Tensor& g : grads) results.push_back(g.to_vector());
    if (!second_order) return results;
    std::vector<Tensor> outputs, weights;
    for (const Tensor& g : grads)
        if (g.requires_grad()) {
            outputs.push_back(g);
            weights.push_back(rng.randn(g.shape()).to(device));
        }
    if (outputs.empty()) return results;
    for (const Tensor& g : grad(outputs, inputs, weights)) results.push_back(g.to_vector());
    return results;
}

// The largest difference relative to the CPU values' largest magnitude (at least 1).
double relative_error(const std::vector<float>& expected, const std::vector<float>& actual) {
    double scale = 1.0, worst = 0.0;
    for (float e : expected) scale = std::max(scale, std::abs(static_cast<double>(e)));
    for (size_t i = 0; i < expected.size(); ++i)
        worst = std::max(worst, std::abs(static_cast<double>(expected[i]) - actual[i]));
    return worst / scale;
}

using Param = std::tuple<BackendUnderTest, size_t>;

class BackendOps : public ::testing::TestWithParam<Param> {};

TEST_P(BackendOps, MatchesTheCpuForwardAndBackward) {
    const auto& [backend, index] = GetParam();
    const OpCase c = op_cases()[index];
    std::string why;
    if (!backend.emulated && !backend_available(Device::gpu, &why))
        GTEST_SKIP() << "no OpenGL backend: " << why;
    std::optional<EmulatedGpuScope> emulated;
    if (backend.emulated) emulated.emplace();
    const Backend& be = backend_for(Device::gpu);
    std::string missing;
    auto all_present = [&](const std::vector<Family>& families) {
        return std::all_of(families.begin(), families.end(),
                           [&](Family f) { return has_family(be, f, &missing); });
    };
    if (!all_present(c.families)) {
        // A family the backend lacks must refuse the op with one line, not run it wrongly.
        std::string refusal;
        try {
            run_case(c, Device::gpu, 17 + index);
        } catch (const std::exception& e) {
            refusal = e.what();
        }
        EXPECT_FALSE(refusal.empty()) << "the op ran although " << missing;
        EXPECT_EQ(refusal.find('\n'), std::string::npos) << refusal;
        GTEST_SKIP() << missing;
    }
    // Double backward where the backend has its families (else forward and backward only).
    const bool second = !c.double_backward.empty() && all_present(c.double_backward);
    const auto expected = run_case(c, Device::cpu, 17 + index, second);
    const auto actual = run_case(c, Device::gpu, 17 + index, second);
    ASSERT_EQ(actual.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        const size_t n = c.inputs.size();
        const std::string what =
            i == 0   ? "forward"
            : i <= n ? "gradient of input " + std::to_string(i - 1)
                     : "second-order gradient of input " + std::to_string(i - 1 - n);
        ASSERT_EQ(actual[i].size(), expected[i].size()) << what;
        // The emulated GPU runs the CPU's kernels: bit for bit. A real one sums
        // in another order: float rounding.
        if (backend.emulated)
            EXPECT_EQ(actual[i], expected[i]) << what;
        else
            EXPECT_LT(relative_error(expected[i], actual[i]), 2e-5) << what;
    }
}

std::string case_name(const ::testing::TestParamInfo<Param>& info) {
    return std::get<0>(info.param).name + "_" + op_cases()[std::get<1>(info.param)].name;
}

std::vector<size_t> case_indices() {
    std::vector<size_t> indices(op_cases().size());
    for (size_t i = 0; i < indices.size(); ++i) indices[i] = i;
    return indices;
}

INSTANTIATE_TEST_SUITE_P(Table, BackendOps,
                         ::testing::Combine(::testing::ValuesIn(backends()),
                                            ::testing::ValuesIn(case_indices())),
                         case_name);

}  // namespace
}  // namespace ganvas
