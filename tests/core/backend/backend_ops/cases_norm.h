// Op cases of the norm family: batch norm in training mode (the batch's
// statistics; its first-order backward is one fused kernel) and eval mode
// (the running buffers, through the per-channel affine map), and layer norm.
// Sizes are odd and straddle the GPU's 256-wide workgroups: a channel's values
// in one block or many, rows of 1 to 1000 values.
//
// Double backward rebuilds the statistics from differentiable ops: batch
// norm's from channel_sum, channel_affine (and channel_broadcast, their
// gradient) plus elementwise arithmetic, layer norm's from mean and sum_to
// (reduce). Eval mode's scale and shift are elementwise arithmetic too.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/backend/backend_ops/cases.h"
#include "ops/norm.h"

namespace ganvas::backend_ops {

// Which of weight and bias a case passes (each (C)).
enum class Affine { none, weight, bias, both };

inline std::vector<Shape> with_affine(Shape x, int64_t channels, Affine a) {
    std::vector<Shape> inputs{std::move(x)};
    if (a == Affine::weight || a == Affine::both) inputs.push_back({channels});
    if (a == Affine::bias || a == Affine::both) inputs.push_back({channels});
    return inputs;
}

// The weight and bias of a case's inputs (after x), undefined where absent.
inline std::pair<Tensor, Tensor> affine_inputs(const Inputs& in, Affine a) {
    const bool w = a == Affine::weight || a == Affine::both;
    const bool b = a == Affine::bias || a == Affine::both;
    return {w ? in[1] : Tensor(), b ? in[w ? 2 : 1] : Tensor()};
}

// batch_norm in training mode, without running buffers (test_gl_norm_running_stats.cpp
// checks those): forward and backward need only the norm kernels.
inline OpCase bn_train(std::string name, Shape x, Affine a, float momentum = 0.1f,
                       float eps = 1e-5f) {
    const int64_t channels = x[1];
    return {std::move(name),
            with_affine(std::move(x), channels, a),
            [a, momentum, eps](const Inputs& in) {
                auto [w, b] = affine_inputs(in, a);
                return batch_norm(in[0], Tensor(), Tensor(), w, b, true, momentum, eps);
            },
            {Family::norm},
            {Family::norm, Family::elementwise}};
}

// batch_norm in eval mode from a running mean (an input, though no gradient
// reaches it) and a positive running variance made here, on the input's device.
inline OpCase bn_eval(std::string name, Shape x, Affine a) {
    const int64_t channels = x[1];
    std::vector<Shape> inputs = with_affine(x, channels, a);
    inputs.push_back({channels});  // running mean
    return {std::move(name),
            inputs,
            [a, channels](const Inputs& in) {
                auto [w, b] = affine_inputs(in, a);
                std::vector<float> var(channels);
                for (int64_t c = 0; c < channels; ++c) var[c] = 0.25f + 0.5f * (c % 5);
                const Tensor running_var = Tensor::from_vector({channels}, var).to(in[0].device());
                return batch_norm(in[0], in.back(), running_var, w, b, false);
            },
            {Family::norm, Family::elementwise},
            {Family::norm, Family::elementwise}};
}

inline OpCase ln(std::string name, Shape x, Affine a, float eps = 1e-5f) {
    const int64_t width = x.back();
    return {std::move(name),
            with_affine(std::move(x), width, a),
            [a, eps](const Inputs& in) {
                auto [w, b] = affine_inputs(in, a);
                return layer_norm(in[0], w, b, eps);
            },
            {Family::norm},
            {Family::norm, Family::elementwise, Family::reduce}};
}

inline std::vector<OpCase> norm_cases() {
    return {
        // -- norm: batch norm, training mode (N, C) --
        bn_train("batch_norm_train_2x1", {2, 1}, Affine::none),
        bn_train("batch_norm_train_7x5_affine", {7, 5}, Affine::both),
        bn_train("batch_norm_train_300x3_weight", {300, 3}, Affine::weight),
        bn_train("batch_norm_train_17x1000_affine", {17, 1000}, Affine::both),
        // -- norm: batch norm, training mode (N, C, H, W) and (N, C, L) --
        bn_train("batch_norm_train_3x5x7x9", {3, 5, 7, 9}, Affine::none),
        bn_train("batch_norm_train_2x3x17x19_bias", {2, 3, 17, 19}, Affine::bias),
        bn_train("batch_norm_train_4x6x33_affine_momentum", {4, 6, 33}, Affine::both, 0.3f, 1e-3f),
        bn_train("batch_norm_train_1x2x1x257", {1, 2, 1, 257}, Affine::none),
        bn_train("batch_norm_train_64x128x7x7_affine", {64, 128, 7, 7}, Affine::both),
        // -- norm: batch norm, eval mode (channel_affine with the running buffers) --
        bn_eval("batch_norm_eval_5x7_affine", {5, 7}, Affine::both),
        bn_eval("batch_norm_eval_2x3x5x7", {2, 3, 5, 7}, Affine::none),
        bn_eval("batch_norm_eval_3x4x65_weight", {3, 4, 65}, Affine::weight),
        // -- norm: layer norm --
        ln("layer_norm_1x1", {1, 1}, Affine::none),
        ln("layer_norm_5x7_affine", {5, 7}, Affine::both),
        ln("layer_norm_33x1_bias", {33, 1}, Affine::bias),
        ln("layer_norm_3x4x257_weight", {3, 4, 257}, Affine::weight),
        ln("layer_norm_17x1000_affine", {17, 1000}, Affine::both, 1e-3f),
        ln("layer_norm_300x65", {300, 65}, Affine::none),
    };
}

}  // namespace ganvas::backend_ops
