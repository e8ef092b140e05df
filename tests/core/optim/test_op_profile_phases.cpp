// The phases of a real training step: the autograd engine marks backward, the
// optimizers mark optimizer, and a grad() inside a forward pass (a gradient penalty)
// hands the phase back to forward. Counts only: no result depends on time.
#include <gtest/gtest.h>

#include "autograd/autograd.h"
#include "backend/op_profile.h"
#include "ops/elementwise.h"
#include "ops/matmul.h"
#include "ops/reduce.h"
#include "optim/optimizer.h"

using namespace ganvas;

namespace {

std::array<int64_t, kPhaseCount> calls(const OpProfile& profile, const std::string& op) {
    for (const OpProfileRow& row : profile.ops)
        if (row.op == op) return row.calls;
    return {};
}

using Calls = std::array<int64_t, kPhaseCount>;  // forward, backward, optimizer

}  // namespace

TEST(OpProfilePhases, TheEngineAndTheOptimizersMarkTheirPhases) {
    Tensor w = Tensor::from_vector({3, 2}, {0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f}).requires_grad_();
    const Tensor x = Tensor::from_vector({4, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    Adam adam({w}, 0.01);
    SGD sgd({w}, 0.01);

    start_op_profile();
    Tensor loss = mean(matmul(x, w));  // (4, 2) -> ()
    loss.backward();
    adam.step();
    sgd.step();
    clip_weights_({w}, 0.5f);
    // A gradient penalty: grad() inside the forward pass, then forward ops again.
    Tensor y = matmul(x, w);
    Tensor g = grad({sum(mul(y, y))}, {w}, {}, true)[0];
    Tensor penalty = add(mean(g), loss);
    const OpProfile profile = stop_op_profile();

    EXPECT_EQ(calls(profile, "adam_step"), (Calls{0, 0, 1}));
    EXPECT_EQ(calls(profile, "sgd_step"), (Calls{0, 0, 1}));
    EXPECT_EQ(calls(profile, "clip_weights_"), (Calls{0, 0, 1}));
    const Calls matmuls = calls(profile, "matmul");
    EXPECT_EQ(matmuls[0], 2);  // the forward passes
    EXPECT_GE(matmuls[1], 2);  // dL/dw in backward() and in grad()
    EXPECT_EQ(matmuls[2], 0);
    EXPECT_EQ(calls(profile, "mul")[0], 1);
    EXPECT_EQ(calls(profile, "add")[0], 1) << "the forward op after grad() was not forward";
}
