// Op cases of the reduce family: sums and means over every subset of the axes
// of an odd 3-D shape, broadcasting both ways, softmax and log-softmax along
// every dimension, rows of one value and rows longer than a workgroup,
// cross-entropy, argmax, the mean-reduced losses and causal attention.
// Integer targets are built inside the cases (the inputs are N(0, 1) floats);
// argmax is checked through the cross-entropy its indices select.
#pragma once

#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "core/backend/backend_ops/cases.h"
#include "ops/attention.h"
#include "ops/loss.h"
#include "ops/reduce.h"
#include "ops/softmax.h"

namespace ganvas::backend_ops {

// The reduce family alone; double backward where it needs element-wise ops too.
inline const std::vector<Family> kReduceOnly{Family::reduce};
inline const std::vector<Family> kWithElementwise{Family::elementwise, Family::reduce};

// "dims_0_2" for {0, 2}, "dims_none" for {}.
inline std::string dims_name(const std::vector<int64_t>& dims) {
    std::string name = "dims";
    if (dims.empty()) return name + "_none";
    for (int64_t d : dims) name += "_" + std::to_string(d);
    return name;
}

// sum (or mean, whose gradient scales by element-wise ops) of `shape` over `dims`.
inline OpCase reduce_case(bool mean_op, Shape shape, std::vector<int64_t> dims, bool keepdim) {
    std::string name =
        std::string(mean_op ? "mean_" : "sum_") + dims_name(dims) + (keepdim ? "_keepdim" : "");
    for (int64_t n : shape) name += "_" + std::to_string(n);
    return {name,
            {shape},
            [mean_op, dims, keepdim](const Inputs& in) {
                return mean_op ? mean(in[0], dims, keepdim) : sum(in[0], dims, keepdim);
            },
            mean_op ? kWithElementwise : kReduceOnly,
            kReduceOnly};
}

inline OpCase softmax_case(bool log, Shape shape, int64_t dim) {
    std::string name = std::string(log ? "log_softmax" : "softmax") + "_dim" +
                       std::to_string(dim < 0 ? static_cast<int64_t>(shape.size()) + dim : dim);
    for (int64_t n : shape) name += "_" + std::to_string(n);
    // Forward and the fused backward are reduce kernels; the differentiable
    // backward of the double backward multiplies and subtracts.
    return {name,
            {shape},
            [log, dim](const Inputs& in) {
                return log ? log_softmax(in[0], dim) : softmax(in[0], dim);
            },
            kReduceOnly,
            kWithElementwise};
}

// Targets (N) int64 in [0, C), fixed and uneven, on the logits' device.
inline Tensor fixed_targets(int64_t N, int64_t C, Device device) {
    std::vector<int64_t> t(N);
    for (int64_t i = 0; i < N; ++i) t[i] = (i * 7 + 3 + i * i) % C;
    return Tensor::from_vector_i64({N}, t).to(device);
}

inline OpCase cross_entropy_case(int64_t N, int64_t C) {
    return {"cross_entropy_" + std::to_string(N) + "x" + std::to_string(C),
            {{N, C}},
            [N, C](const Inputs& in) {
                return cross_entropy(in[0], fixed_targets(N, C, in[0].device()));
            },
            kReduceOnly,
            kWithElementwise};
}

// cross_entropy(logits, argmax(x, dim)): a wrong index changes the loss and
// puts the -1 of the gradient elsewhere. x's gradient is zero.
inline OpCase argmax_case(std::string name, Shape x, int64_t dim, Shape logits) {
    return {std::move(name),
            {x, logits},
            [dim](const Inputs& in) { return cross_entropy(in[1], argmax(in[0], dim)); },
            kReduceOnly,
            kWithElementwise};
}

enum class Loss { bce, mse, l1 };

inline OpCase loss_case(Loss loss, Shape shape) {
    std::string name = loss == Loss::bce ? "bce_with_logits" : loss == Loss::mse ? "mse" : "l1";
    for (int64_t n : shape) name += "_" + std::to_string(n);
    // The losses' gradients are element-wise expressions.
    return {name + "_loss",
            {shape, shape},
            [loss](const Inputs& in) {
                switch (loss) {
                    case Loss::bce:
                        return binary_cross_entropy_with_logits(in[0], in[1]);
                    case Loss::mse:
                        return mse_loss(in[0], in[1]);
                    case Loss::l1:
                        break;
                }
                return l1_loss(in[0], in[1]);
            },
            kWithElementwise,
            kWithElementwise};
}

inline std::vector<OpCase> reduce_cases() {
    std::vector<OpCase> cases;
    // -- sums and means over every subset of the axes of an odd shape --
    const Shape odd{3, 5, 7};
    for (int mask = 0; mask < 8; ++mask) {
        std::vector<int64_t> dims;
        for (int64_t d = 0; d < 3; ++d)
            if (mask & (1 << d)) dims.push_back(d);
        cases.push_back(reduce_case(false, odd, dims, false));
        cases.push_back(reduce_case(false, odd, dims, true));
        cases.push_back(reduce_case(true, odd, dims, mask % 2 == 1));
    }
    // Reductions longer than a workgroup, strided ones, many short ones, and more
    // outputs than one dispatch holds workgroups (65535).
    cases.push_back(reduce_case(false, {3, 300}, {1}, false));
    cases.push_back(reduce_case(false, {600}, {0}, false));
    cases.push_back(reduce_case(false, {2, 257, 3}, {1}, true));
    cases.push_back(reduce_case(false, {70, 70}, {0}, false));
    cases.push_back(reduce_case(false, {1000, 3}, {1}, false));
    cases.push_back(reduce_case(false, {300, 257}, {0, 1}, false));
    cases.push_back(reduce_case(false, {65537, 33}, {1}, false));
    // Long reductions into few outputs: split into chunks, a second pass adds them.
    cases.push_back(reduce_case(false, {2, 9001}, {1}, false));
    cases.push_back(reduce_case(false, {9001, 3}, {0}, true));
    cases.push_back(reduce_case(true, {2, 257, 3}, {0, 1}, false));
    cases.push_back(reduce_case(false, {2, 3, 4, 5, 3}, {0, 2, 4}, true));
    // -- broadcasting and its adjoint --
    cases.push_back({"sum_to_4x3x5_to_3x1",
                     {{4, 3, 5}},
                     [](const Inputs& in) {
                         return sum_to(in[0], {3, 1});
                     },
                     kReduceOnly,
                     kReduceOnly});
    cases.push_back({"broadcast_to_1x5_to_4x3x5",
                     {{1, 5}},
                     [](const Inputs& in) {
                         return broadcast_to(in[0], {4, 3, 5});
                     },
                     kReduceOnly,
                     kReduceOnly});
    cases.push_back({"broadcast_to_3x1x7_to_2x3x4x7",
                     {{3, 1, 7}},
                     [](const Inputs& in) {
                         return broadcast_to(in[0], {2, 3, 4, 7});
                     },
                     kReduceOnly,
                     kReduceOnly});
    cases.push_back({"broadcast_to_scalar_to_257",
                     {Shape{}},
                     [](const Inputs& in) { return broadcast_to(in[0], {257}); },
                     kReduceOnly,
                     kReduceOnly});
    // -- softmax and log-softmax along every dimension, rows of 1 and > 256 --
    for (bool log : {false, true}) {
        for (int64_t dim = 0; dim < 3; ++dim) cases.push_back(softmax_case(log, odd, dim));
        cases.push_back(softmax_case(log, {4, 1}, -1));
        cases.push_back(softmax_case(log, {4, 33}, -1));
        cases.push_back(softmax_case(log, {3, 300}, -1));
        cases.push_back(softmax_case(log, {2, 300, 3}, 1));
        cases.push_back(softmax_case(log, {7}, 0));
    }
    // -- cross-entropy and argmax --
    cases.push_back(cross_entropy_case(6, 5));
    cases.push_back(cross_entropy_case(1, 1));
    cases.push_back(cross_entropy_case(3, 300));
    cases.push_back(cross_entropy_case(33, 10));
    cases.push_back(argmax_case("argmax_dim1_6x5", {6, 5}, 1, {6, 5}));
    cases.push_back(argmax_case("argmax_dim0_5x6", {5, 6}, 0, {6, 5}));
    cases.push_back(argmax_case("argmax_dim1_4x300", {4, 300}, 1, {4, 300}));
    // Every value of a row equal: the first index wins, on every path.
    cases.push_back({"argmax_ties_go_first_5x300",
                     {{5, 1}, {5, 7}},
                     [](const Inputs& in) {
                         return cross_entropy(in[1], argmax(broadcast_to(in[0], {5, 300}), 1));
                     },
                     kReduceOnly,
                     kWithElementwise});
    cases.push_back({"argmax_ties_go_first_5x7",
                     {{5, 1}, {5, 7}},
                     [](const Inputs& in) {
                         return cross_entropy(in[1], argmax(broadcast_to(in[0], {5, 7}), 1));
                     },
                     kReduceOnly,
                     kWithElementwise});
    // Rows longer than a workgroup: NaNs past the first 256 and repeated maxima.
    cases.push_back({"argmax_nan_and_ties_fixed_2x300",
                     {{2, 300}},
                     [](const Inputs& in) {
                         std::vector<float> v(600);
                         for (int i = 0; i < 300; ++i) {
                             v[i] = static_cast<float>((i * 37) % 101 - 50);
                             v[300 + i] = static_cast<float>(i % 13);
                         }
                         v[270] = v[290] = std::numeric_limits<float>::quiet_NaN();
                         const Tensor x = Tensor::from_vector({2, 300}, v);
                         return cross_entropy(in[0], argmax(x.to(in[0].device()), 1));
                     },
                     kReduceOnly,
                     kWithElementwise});
    // NaN counts as the largest (its first wins), ties and infinities go to the
    // first: rows (5) fixed on the host, their indices select the targets.
    cases.push_back({"argmax_nan_inf_ties_fixed_5x5",
                     {{5, 5}},
                     [](const Inputs& in) {
                         const float nan = std::numeric_limits<float>::quiet_NaN();
                         const float inf = std::numeric_limits<float>::infinity();
                         const Tensor x = Tensor::from_vector(
                             {5, 5}, {1,    nan,  3, nan, 0, 2, 2,   1,  0,  2,   -inf, -inf, -inf,
                                      -inf, -inf, 0, 1,   4, 4, nan, -1, -2, inf, inf,  3});
                         return cross_entropy(in[0], argmax(x.to(in[0].device()), 1));
                     },
                     kReduceOnly,
                     kWithElementwise});
    // -- the mean-reduced losses --
    for (Loss loss : {Loss::bce, Loss::mse, Loss::l1}) {
        cases.push_back(loss_case(loss, {7}));
        cases.push_back(loss_case(loss, {33, 65}));
        cases.push_back(loss_case(loss, {300, 257}));
    }
    // -- causal attention: the mask, a masked softmax --
    cases.push_back({"causal_self_attention_2x5x12_heads2",
                     {{2, 5, 12}},
                     [](const Inputs& in) { return causal_self_attention(in[0], 2); },
                     {Family::elementwise, Family::layout, Family::reduce, Family::linear},
                     {}});
    // Odd sizes for the fused kernels (three heads of 5 channels, 17 tokens), and
    // sequences of one token, where each row attends only to itself.
    for (auto [name, shape, heads] :
         {std::tuple{"causal_self_attention_3x17x45_heads3", Shape{3, 17, 45}, int64_t{3}},
          std::tuple{"causal_self_attention_2x1x12_heads2", Shape{2, 1, 12}, int64_t{2}}})
        cases.push_back({name,
                         {shape},
                         // An init-capture: clang 14 cannot capture a structured binding.
                         [h = heads](const Inputs& in) { return causal_self_attention(in[0], h); },
                         {Family::elementwise, Family::layout, Family::reduce, Family::linear},
                         {}});
    return cases;
}

}  // namespace ganvas::backend_ops
