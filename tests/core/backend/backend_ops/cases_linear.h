// Op cases of the linear family: matrix products and convolutions. Sizes are
// odd and straddle the GPU's 64-wide tiles; backward passes cover the
// transposed products and the other two convolutions.
#pragma once

#include "core/backend/backend_ops/cases.h"
#include "ops/conv.h"
#include "ops/elementwise.h"
#include "ops/matmul.h"

namespace ganvas::backend_ops {

inline Conv2dParams conv_params(std::array<int64_t, 2> stride, std::array<int64_t, 2> padding,
                                std::array<int64_t, 2> dilation = {1, 1},
                                std::array<int64_t, 2> output_padding = {0, 0}) {
    Conv2dParams p;
    p.stride = stride, p.padding = padding, p.dilation = dilation;
    p.output_padding = output_padding;
    return p;
}

inline OpCase conv(std::string name, Shape x, Shape w, bool bias, Conv2dParams p) {
    std::vector<Shape> inputs{x, w};
    if (bias) inputs.push_back({w[0]});
    OpCase c{std::move(name), inputs, [bias, p](const Inputs& in) {
                 return conv2d(in[0], in[1], bias ? in[2] : Tensor(), p);
             }};
    if (bias) c.double_backward.push_back(Family::reduce);
    return c;
}

inline OpCase conv_t(std::string name, Shape x, Shape w, bool bias, Conv2dParams p) {
    std::vector<Shape> inputs{x, w};
    if (bias) inputs.push_back({w[1]});
    OpCase c{std::move(name), inputs, [bias, p](const Inputs& in) {
                 return conv_transpose2d(in[0], in[1], bias ? in[2] : Tensor(), p);
             }};
    if (bias) c.double_backward.push_back(Family::reduce);
    return c;
}

inline OpCase mat(std::string name, Shape a, Shape b) {
    return {std::move(name), {a, b}, [](const Inputs& in) { return matmul(in[0], in[1]); }};
}

inline OpCase linear_with_bias(std::string name, Shape x, Shape w) {
    return {std::move(name),
            {x, w, {w[0]}},
            [](const Inputs& in) { return linear(in[0], in[1], in[2]); },
            {Family::linear, Family::elementwise, Family::reduce},
            {Family::linear, Family::reduce}};
}

inline std::vector<OpCase> linear_cases() {
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
        // The fused layer where a backend has it; matmul, add and sum where not.
        linear_with_bias("linear_bias_65x33_to_70", {65, 33}, {70, 33}),
        linear_with_bias("linear_bias_3d_2x5x7_to_3", {2, 5, 7}, {3, 7}),
        linear_with_bias("linear_bias_300x120_to_60", {300, 120}, {60, 120}),  // split by inputs
        linear_with_bias("linear_bias_0x4_to_3", {0, 4},
                         {3, 4}),  // no rows: the bias's gradient is 0
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

}  // namespace ganvas::backend_ops
