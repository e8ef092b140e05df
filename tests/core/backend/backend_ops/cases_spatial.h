// Op cases of the spatial family: pixel shuffles, resizing and pooling, through
// the public ops. Every backward (and double backward) of these ops stays inside
// the spatial family, so each case needs it alone. Sizes are odd and several
// pass one 256-wide workgroup; pooling windows overlap, pad and stride unevenly,
// and resizing goes up and down, by size and by scale factor (which sets the
// step apart from in / out), with and without align_corners.
#pragma once

#include "core/backend/backend_ops/cases.h"
#include "ops/interpolate.h"
#include "ops/pixel_shuffle.h"
#include "ops/pooling.h"

namespace ganvas::backend_ops {

inline OpCase spatial_case(std::string name, Shape x, std::function<Tensor(const Tensor&)> op) {
    return {std::move(name),
            {x},
            [op](const Inputs& in) { return op(in[0]); },
            {Family::spatial},
            {Family::spatial}};
}

inline OpCase interp(std::string name, Shape x, InterpMode mode, bool align_corners,
                     std::array<int64_t, 2> size, std::array<double, 2> scale = {0.0, 0.0}) {
    InterpolateOptions o;
    o.mode = mode, o.align_corners = align_corners, o.size = size, o.scale = scale;
    return spatial_case(std::move(name), x, [o](const Tensor& t) { return interpolate(t, o); });
}

inline OpCase interp_by(std::string name, Shape x, InterpMode mode, bool align_corners,
                        std::array<double, 2> scale) {
    return interp(std::move(name), x, mode, align_corners, {0, 0}, scale);
}

inline std::vector<OpCase> spatial_cases() {
    using M = InterpMode;
    return {
        // -- pixel shuffles: float32 --
        spatial_case("pixel_shuffle_r2", {2, 12, 5, 7},
                     [](const Tensor& t) { return pixel_shuffle(t, 2); }),
        spatial_case("pixel_shuffle_r3_past_a_workgroup", {3, 18, 7, 5},
                     [](const Tensor& t) { return pixel_shuffle(t, 3); }),
        spatial_case("pixel_unshuffle_r2", {2, 3, 10, 6},
                     [](const Tensor& t) { return pixel_unshuffle(t, 2); }),
        spatial_case("pixel_unshuffle_r3", {1, 2, 9, 21},
                     [](const Tensor& t) { return pixel_unshuffle(t, 3); }),
        spatial_case("pixel_shuffle_empty_batch", {0, 4, 3, 3},
                     [](const Tensor& t) { return pixel_shuffle(t, 2); }),
        // -- pixel shuffles: int64 (max pooling's indices), checked through max_unpool2d --
        spatial_case("pixel_shuffle_int64_indices_unpooled", {2, 4, 10, 6},
                     [](const Tensor& t) {
                         Tensor indices;  // (2, 4, 5, 3), positions in a 10x6 plane
                         Tensor v = max_pool2d_with_indices(t, 2, 2, 0, indices);
                         // (2, 1, 10, 6): every position still lies in a 10x6 plane
                         return max_unpool2d(pixel_shuffle(v, 2), pixel_shuffle(indices, 2), 10, 6);
                     }),
        spatial_case("pixel_unshuffle_int64_indices_unpooled", {1, 2, 12, 8},
                     [](const Tensor& t) {
                         Tensor indices;  // (1, 2, 6, 4), positions in a 12x8 plane
                         Tensor v = max_pool2d_with_indices(t, 2, 2, 0, indices);
                         return max_unpool2d(pixel_unshuffle(v, 2), pixel_unshuffle(indices, 2), 12,
                                             8);
                     }),
        // -- interpolate: nearest --
        interp_by("nearest_up_scale2", {2, 3, 5, 7}, M::nearest, false, {2.0, 2.0}),
        interp_by("nearest_up_scale1_7", {1, 2, 6, 5}, M::nearest, false, {1.7, 2.3}),
        interp("nearest_down_size", {2, 2, 9, 7}, M::nearest, false, {4, 3}),
        interp("nearest_model_upsample", {8, 16, 7, 7}, M::nearest, false, {14, 14}),
        interp_by("nearest_down_scale0_6", {1, 3, 11, 8}, M::nearest, false, {0.6, 0.45}),
        // One channel: torch's channels-last shortcuts (copy at out == in, halve at out == 2 in).
        interp_by("nearest_one_channel_scale2", {2, 1, 5, 6}, M::nearest, false, {2.0, 2.0}),
        interp_by("nearest_one_channel_out_eq_in", {2, 1, 5, 6}, M::nearest, false, {1.1, 2.1}),
        interp("nearest_one_channel_size_odd", {3, 1, 7, 4}, M::nearest, false, {10, 9}),
        // -- interpolate: nearest-exact --
        interp("nearest_exact_up_size", {2, 3, 5, 7}, M::nearest_exact, false, {11, 9}),
        interp_by("nearest_exact_down_scale", {1, 2, 13, 9}, M::nearest_exact, false, {0.5, 0.7}),
        interp_by("nearest_exact_one_channel_scale2", {2, 1, 4, 5}, M::nearest_exact, false,
                  {2.0, 2.0}),
        // The shortcuts are nearest's alone: nearest-exact keeps its rule at out == in.
        interp_by("nearest_exact_one_channel_out_eq_in", {2, 1, 5, 6}, M::nearest_exact, false,
                  {1.1, 1.15}),
        // -- interpolate: bilinear --
        interp_by("bilinear_up_scale2", {2, 3, 5, 7}, M::bilinear, false, {2.0, 2.0}),
        interp_by("bilinear_up_scale2_align_corners", {2, 3, 5, 7}, M::bilinear, true, {2.0, 2.0}),
        interp("bilinear_up_size_align_corners", {1, 2, 6, 4}, M::bilinear, true, {9, 13}),
        interp("bilinear_down_size", {2, 2, 11, 9}, M::bilinear, false, {3, 4}),
        interp("bilinear_down_size_align_corners", {2, 2, 11, 9}, M::bilinear, true, {5, 2}),
        interp_by("bilinear_scale_1_5_by_0_7", {1, 3, 7, 10}, M::bilinear, false, {1.5, 0.7}),
        interp_by("bilinear_out_eq_in_copies", {1, 2, 4, 6}, M::bilinear, false, {1.1, 1.0}),
        interp("bilinear_past_a_workgroup", {2, 4, 20, 19}, M::bilinear, false, {33, 35}),
        interp("bilinear_to_one_pixel_align_corners", {1, 2, 5, 4}, M::bilinear, true, {1, 1}),
        interp("bilinear_empty_batch", {0, 3, 4, 4}, M::bilinear, false, {7, 5}),
        // -- interpolate: bicubic --
        interp_by("bicubic_up_scale2", {2, 3, 5, 7}, M::bicubic, false, {2.0, 2.0}),
        interp("bicubic_up_size_align_corners", {1, 2, 6, 4}, M::bicubic, true, {9, 13}),
        interp("bicubic_down_size", {2, 2, 11, 9}, M::bicubic, false, {3, 4}),
        interp_by("bicubic_down_scale_align_corners", {1, 2, 13, 10}, M::bicubic, true, {0.4, 0.6}),
        interp_by("bicubic_scale_1_3", {1, 3, 3, 2}, M::bicubic, false, {1.3, 2.6}),
        // out == in with a scale factor: the step is 1 / scale, so bicubic does not copy.
        interp_by("bicubic_out_eq_in_by_scale", {1, 2, 6, 5}, M::bicubic, false, {1.1, 1.19}),
        interp("bicubic_past_a_workgroup", {2, 3, 17, 15}, M::bicubic, false, {29, 31}),
        // -- interpolate: area (adaptive average pooling) --
        interp("area_down_size", {2, 3, 11, 9}, M::area, false, {4, 5}),
        // -- pooling: max --
        spatial_case("max_pool2d_k2_s2", {2, 3, 8, 8},
                     [](const Tensor& t) { return max_pool2d(t, 2, 2); }),
        spatial_case("max_pool2d_k3_s2_pad1_odd", {2, 3, 9, 7},
                     [](const Tensor& t) { return max_pool2d(t, 3, 2, 1); }),
        spatial_case("max_pool2d_k3_s1_pad1_overlapping", {1, 2, 7, 9},
                     [](const Tensor& t) { return max_pool2d(t, 3, 1, 1); }),
        spatial_case("max_pool2d_k5_s3_pad2", {2, 2, 13, 11},
                     [](const Tensor& t) { return max_pool2d(t, 5, 3, 2); }),
        spatial_case("max_pool2d_k1_s2", {1, 3, 7, 6},
                     [](const Tensor& t) { return max_pool2d(t, 1, 2); }),
        spatial_case("max_pool2d_past_a_workgroup", {4, 8, 33, 33},
                     [](const Tensor& t) { return max_pool2d(t, 3, 2, 1); }),
        // 300 planes: the scatter's one invocation per plane spans two workgroups.
        spatial_case("max_pool2d_planes_past_a_workgroup", {3, 100, 6, 5},
                     [](const Tensor& t) { return max_pool2d(t, 3, 2, 1); }),
        // Upsampled input repeats each value: ties everywhere, and the first one must
        // win. Unpooling shows where each maximum was taken from in the forward output.
        spatial_case("max_pool2d_ties_first_wins", {1, 2, 4, 5},
                     [](const Tensor& t) {
                         Tensor indices;
                         Tensor v =
                             max_pool2d_with_indices(upsample_nearest(t, 2.0), 3, 1, 1, indices);
                         return max_unpool2d(v, indices, 8, 10);
                     }),
        // Overlapping windows pick the same cell twice: unpooling keeps the later.
        spatial_case("max_unpool2d_overlapping_duplicates", {2, 3, 7, 8},
                     [](const Tensor& t) {
                         Tensor indices;
                         Tensor v = max_pool2d_with_indices(t, 3, 1, 1, indices);
                         return max_unpool2d(v, indices, 7, 8);
                     }),
        spatial_case("max_unpool2d_larger_output", {1, 2, 6, 5},
                     [](const Tensor& t) {
                         Tensor indices;
                         Tensor v = max_pool2d_with_indices(t, 2, 2, 0, indices);
                         return max_unpool2d(v, indices, 7, 9);
                     }),
        spatial_case("max_pool2d_empty_batch", {0, 2, 5, 5},
                     [](const Tensor& t) { return max_pool2d(t, 3, 2, 1); }),
        // -- pooling: averages --
        spatial_case("avg_pool2d_k2_s2", {2, 3, 8, 8},
                     [](const Tensor& t) { return avg_pool2d(t, 2, 2); }),
        spatial_case("avg_pool2d_k3_s2_pad1_odd", {2, 3, 9, 7},
                     [](const Tensor& t) { return avg_pool2d(t, 3, 2, 1); }),
        spatial_case("avg_pool2d_k3_s1_pad1_overlapping", {1, 2, 7, 9},
                     [](const Tensor& t) { return avg_pool2d(t, 3, 1, 1); }),
        spatial_case("avg_pool2d_k4_s3_pad2", {2, 2, 13, 11},
                     [](const Tensor& t) { return avg_pool2d(t, 4, 3, 2); }),
        spatial_case("avg_pool2d_past_a_workgroup", {3, 5, 31, 29},
                     [](const Tensor& t) { return avg_pool2d(t, 3, 2, 1); }),
        spatial_case("adaptive_avg_pool2d_down", {2, 3, 7, 9},
                     [](const Tensor& t) { return adaptive_avg_pool2d(t, 3, 4); }),
        spatial_case("adaptive_avg_pool2d_up_overlapping", {1, 2, 5, 5},
                     [](const Tensor& t) { return adaptive_avg_pool2d(t, 7, 8); }),
        spatial_case("adaptive_avg_pool2d_global", {2, 3, 10, 13},
                     [](const Tensor& t) { return adaptive_avg_pool2d(t, 1, 1); }),
        spatial_case("adaptive_avg_pool2d_past_a_workgroup", {2, 4, 40, 37},
                     [](const Tensor& t) { return adaptive_avg_pool2d(t, 9, 11); }),
    };
}

}  // namespace ganvas::backend_ops
