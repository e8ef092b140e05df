// Op cases of the elementwise family: every unary mode, every binary op on
// equal shapes, a scalar on either side and broadcasts over a middle and a
// trailing axis, and every activation forward, backward and double backward.
// Sizes are odd, straddle the 256-wide workgroups, and one passes 256 * 1024
// elements; a single element and empty tensors are there too. sqrt, log and
// fractional powers see |x| + c, so the N(0, 1) inputs stay inside their domains.
//
// A broadcast operand's gradient sums (the reduce family); the `_detached`
// cases detach it, so their forward and backward need elementwise kernels only
// and still cover the broadcast geometry on a backend without reductions.
#pragma once

#include "core/backend/backend_ops/cases.h"
#include "ops/activation.h"
#include "ops/elementwise.h"

namespace ganvas::backend_ops {

// A case that runs elementwise kernels only, double backward included.
inline OpCase ew(std::string name, std::vector<Shape> inputs,
                 std::function<Tensor(const Inputs&)> run) {
    return {std::move(name),
            std::move(inputs),
            std::move(run),
            {Family::elementwise},
            {Family::elementwise}};
}

// A case whose gradients sum over broadcast dimensions.
inline OpCase ew_broadcast(std::string name, std::vector<Shape> inputs,
                           std::function<Tensor(const Inputs&)> run) {
    return {std::move(name),
            std::move(inputs),
            std::move(run),
            {Family::elementwise, Family::reduce},
            {Family::elementwise, Family::reduce}};
}

// |x| + c: positive, and at least c.
inline Tensor positive(const Tensor& x, float c) {
    return add_scalar(abs(x), c);
}

inline std::vector<OpCase> elementwise_cases() {
    return {
        // -- elementwise: unary maths --
        ew("add_scalar_7", {{7}}, [](const Inputs& in) { return add_scalar(in[0], 0.75f); }),
        ew("mul_scalar_33", {{33}}, [](const Inputs& in) { return mul_scalar(in[0], -1.25f); }),
        ew("neg_3x11", {{3, 11}}, [](const Inputs& in) { return neg(in[0]); }),
        ew("pow2_exact_square_65", {{65}},
           [](const Inputs& in) { return pow_scalar(in[0], 2.0f); }),
        ew("pow3_negative_base_5x13", {{5, 13}},
           [](const Inputs& in) { return pow_scalar(in[0], 3.0f); }),
        ew("pow4_negative_base_31", {{31}},
           [](const Inputs& in) { return pow_scalar(in[0], 4.0f); }),
        ew("pow_half_257", {{257}},
           [](const Inputs& in) { return pow_scalar(positive(in[0], 0.1f), 0.5f); }),
        ew("pow_minus_1_5_2x3x11", {{2, 3, 11}},
           [](const Inputs& in) { return pow_scalar(positive(in[0], 0.5f), -1.5f); }),
        ew("sqrt_9x7", {{9, 7}}, [](const Inputs& in) { return sqrt(positive(in[0], 0.25f)); }),
        ew("exp_129", {{129}}, [](const Inputs& in) { return exp(in[0]); }),
        ew("log_63", {{63}}, [](const Inputs& in) { return log(positive(in[0], 0.1f)); }),
        ew("abs_300", {{300}}, [](const Inputs& in) { return abs(in[0]); }),
        ew("sign_77", {{77}}, [](const Inputs& in) { return sign(in[0]); }),
        ew("clamp_3x85", {{3, 85}}, [](const Inputs& in) { return clamp(in[0], -0.5f, 0.7f); }),
        // -- elementwise: binary ops on equal shapes --
        ew("add_5x13", {{5, 13}, {5, 13}}, [](const Inputs& in) { return add(in[0], in[1]); }),
        ew("sub_257", {{257}, {257}}, [](const Inputs& in) { return sub(in[0], in[1]); }),
        ew("mul_3x5x7", {{3, 5, 7}, {3, 5, 7}}, [](const Inputs& in) { return mul(in[0], in[1]); }),
        ew("div_65", {{65}, {65}},
           [](const Inputs& in) { return div(in[0], positive(in[1], 0.5f)); }),
        ew("mul_1x1_times_1", {{1, 1}, {1, 1}}, [](const Inputs& in) { return mul(in[0], in[1]); }),
        ew("add_empty_0x5", {{0, 5}, {0, 5}}, [](const Inputs& in) { return add(in[0], in[1]); }),
        ew("gelu_empty_0", {{0}}, [](const Inputs& in) { return gelu(in[0]); }),
        ew("mul_large_3x100003", {{3, 100003}, {3, 100003}},
           [](const Inputs& in) { return mul(in[0], in[1]); }),
        // -- elementwise: a scalar on either side --
        ew_broadcast("add_scalar_rhs_4x9_plus_1", {{4, 9}, {1}},
                     [](const Inputs& in) { return add(in[0], in[1]); }),
        ew_broadcast("sub_scalar_lhs_1_minus_6x7", {{1}, {6, 7}},
                     [](const Inputs& in) { return sub(in[0], in[1]); }),
        ew_broadcast("mul_rank0_lhs_times_17", {{}, {17}},
                     [](const Inputs& in) { return mul(in[0], in[1]); }),
        ew_broadcast("div_scalar_rhs_7x5", {{7, 5}, {1}},
                     [](const Inputs& in) { return div(in[0], positive(in[1], 0.5f)); }),
        ew("mul_scalar_rhs_detached_3x65", {{3, 65}, {1}},
           [](const Inputs& in) { return mul(in[0], in[1].detach()); }),
        ew("div_scalar_lhs_detached_5x7", {{1}, {5, 7}},
           [](const Inputs& in) { return div(in[0].detach(), positive(in[1], 0.5f)); }),
        // -- elementwise: broadcasts over a middle, a trailing and both sides' axes --
        ew_broadcast("add_middle_axis_5x6x7_plus_5x1x7", {{5, 6, 7}, {5, 1, 7}},
                     [](const Inputs& in) { return add(in[0], in[1]); }),
        ew_broadcast("mul_trailing_5x6x7_times_6x1", {{5, 6, 7}, {6, 1}},
                     [](const Inputs& in) { return mul(in[0], in[1]); }),
        ew_broadcast("sub_both_sides_4x1x7_minus_3x1", {{4, 1, 7}, {3, 1}},
                     [](const Inputs& in) { return sub(in[0], in[1]); }),
        ew("mul_middle_axis_detached_5x6x7_times_5x1x7", {{5, 6, 7}, {5, 1, 7}},
           [](const Inputs& in) { return mul(in[0], in[1].detach()); }),
        ew("div_trailing_detached_3x70x9_by_70x1", {{3, 70, 9}, {70, 1}},
           [](const Inputs& in) { return div(in[0], positive(in[1].detach(), 0.5f)); }),
        ew("add_both_detached_4x1x7_plus_3x1", {{4, 1, 7}, {3, 1}},
           [](const Inputs& in) { return add(in[0].detach(), in[1].detach()); }),
        // -- elementwise: activations --
        ew("relu_7x33", {{7, 33}}, [](const Inputs& in) { return relu(in[0]); }),
        ew("leaky_relu_slope0_65", {{65}},
           [](const Inputs& in) { return leaky_relu(in[0], 0.0f); }),
        ew("leaky_relu_slope0_2_257", {{257}},
           [](const Inputs& in) { return leaky_relu(in[0], 0.2f); }),
        ew("leaky_relu_default_4x9", {{4, 9}}, [](const Inputs& in) { return leaky_relu(in[0]); }),
        ew("tanh_3x5x7", {{3, 5, 7}}, [](const Inputs& in) { return tanh(in[0]); }),
        ew("tanh_saturated_129", {{129}},
           [](const Inputs& in) { return tanh(mul_scalar(in[0], 6.0f)); }),
        ew("sigmoid_129", {{129}}, [](const Inputs& in) { return sigmoid(in[0]); }),
        ew("sigmoid_overflowing_exp_257", {{257}},
           [](const Inputs& in) { return sigmoid(mul_scalar(in[0], 40.0f)); }),
        ew("gelu_2x33", {{2, 33}}, [](const Inputs& in) { return gelu(in[0]); }),
        ew("gelu_saturated_erf_255", {{255}},
           [](const Inputs& in) { return gelu(mul_scalar(in[0], 4.0f)); }),
        ew("gelu_large_300007", {{300007}}, [](const Inputs& in) { return gelu(in[0]); }),
    };
}

}  // namespace ganvas::backend_ops
