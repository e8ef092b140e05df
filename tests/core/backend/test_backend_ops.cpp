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
#include "core/backend/backend_ops/cases_elementwise.h"
#include "core/backend/backend_ops/cases_layout.h"
#include "core/backend/backend_ops/cases_linear.h"
#include "core/backend/backend_ops/cases_norm.h"
#include "core/backend/backend_ops/cases_reduce.h"
#include "core/backend/backend_ops/cases_spatial.h"
#include "core/backend/backend_ops/cases_update.h"
#include "support/relative_error.h"
#include "tensor/rng.h"

namespace ganvas {
namespace {

using ganvas::testing::relative_error;

using namespace backend_ops;

// The table: every family's cases, one file each (backend_ops/cases_<family>.h).
std::vector<OpCase> op_cases() {
    std::vector<OpCase> all;
    for (auto* family : {&linear_cases, &elementwise_cases, &reduce_cases, &norm_cases,
                         &spatial_cases, &layout_cases, &update_cases})
        for (OpCase& c : (*family)()) all.push_back(std::move(c));
    return all;
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
