// Op cases of the layout family: permutes, slices and joins (strided copies
// of f32 and, as indices, of i64), the embedding lookup, gather and
// scatter_add along every dim, argmin, and the index check's message. Index
// tensors are fixed int64 values made inside the case on the inputs' device,
// with repeats, so the scatter-adds sum several values into one place. Sizes
// are odd and some straddle the GPU's 256-wide workgroups.
#pragma once

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "core/backend/backend_ops/cases.h"
#include "ops/indexing.h"
#include "ops/quantize.h"
#include "ops/shape_ops.h"

namespace ganvas::backend_ops {

// An int64 tensor of shape s on like's device: value i is (i * step + first) % modulo.
inline Tensor index_pattern(const Tensor& like, const Shape& s, int64_t modulo, int64_t step = 7,
                            int64_t first = 3) {
    std::vector<int64_t> v(static_cast<size_t>(shape_numel(s)));
    for (size_t i = 0; i < v.size(); ++i) v[i] = (static_cast<int64_t>(i) * step + first) % modulo;
    return Tensor::from_vector_i64(s, v).to(like.device());
}

inline Tensor index_values(const Tensor& like, const Shape& s, const std::vector<int64_t>& v) {
    return Tensor::from_vector_i64(s, v).to(like.device());
}

inline OpCase layout_case(std::string name, std::vector<Shape> inputs,
                          std::function<Tensor(const Inputs&)> run) {
    return {std::move(name), std::move(inputs), std::move(run), {Family::layout}, {Family::layout}};
}

inline OpCase permute_case(std::string name, Shape x, std::vector<int64_t> order) {
    return layout_case(std::move(name), {x},
                       [order](const Inputs& in) { return permute(in[0], order); });
}

inline OpCase narrow_case(std::string name, Shape x, int64_t dim, int64_t start, int64_t length) {
    return layout_case(std::move(name), {x},
                       [=](const Inputs& in) { return narrow(in[0], dim, start, length); });
}

inline OpCase cat_case(std::string name, std::vector<Shape> parts, int64_t dim) {
    return layout_case(std::move(name), parts, [dim](const Inputs& in) { return cat(in, dim); });
}

// gather(x, dim, idx) with idx (shape is) of values below x's size along dim, repeated.
inline OpCase gather_case(std::string name, Shape x, int64_t dim, Shape is) {
    return layout_case(std::move(name), {x}, [=](const Inputs& in) {
        return gather(in[0], dim, index_pattern(in[0], is, x[static_cast<size_t>(dim)]));
    });
}

// scatter_add(self, dim, idx, src) with idx and src of shape is.
inline OpCase scatter_case(std::string name, Shape self, int64_t dim, Shape is) {
    return layout_case(std::move(name), {self, is}, [=](const Inputs& in) {
        return scatter_add(in[0], dim, index_pattern(in[0], is, self[static_cast<size_t>(dim)]),
                           in[1]);
    });
}

// argmin(x, dim) made visible as the rows of w (x.size(dim), 3) it picks, so a
// wrong index changes the forward values and where w's gradient lands.
inline OpCase argmin_case(std::string name, Shape x, int64_t dim) {
    return layout_case(std::move(name), {x, {x[static_cast<size_t>(dim)], 3}},
                       [dim](const Inputs& in) { return embedding(in[1], argmin(in[0], dim)); });
}

// The op must refuse the index at `position` (value `value`) with check_index's
// message, then the case goes on with a good index.
inline void expect_refused(const std::function<void()>& op, int64_t value, int64_t position) {
    const std::string expected =
        "index " + std::to_string(value) + " at position " + std::to_string(position) + " ";
    try {
        op();
    } catch (const std::invalid_argument& e) {
        if (std::string(e.what()).find(expected) == std::string::npos)
            throw std::logic_error(std::string("wrong index named: ") + e.what());
        return;
    }
    throw std::logic_error("the index " + std::to_string(value) + " was not refused");
}

inline std::vector<OpCase> layout_cases() {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float inf = std::numeric_limits<float>::infinity();
    // (4, 6): ties go to the first, a NaN wins wherever it is (rows 1 and 3; column 4 too).
    const std::vector<float> ties{2,  -1,   3, -1,   0,   5,   //
                                  -5, 0,    1, nan,  4,   -5,  //
                                  7,  7,    7, 7,    7,   7,   //
                                  1,  -inf, 2, -inf, nan, 0};
    return {
        // -- layout: permutes (strided copies, 4-byte elements) --
        permute_case("permute_3d_7x5x3_to_201", {7, 5, 3}, {2, 0, 1}),
        permute_case("permute_4d_2x3x5x7_to_3102", {2, 3, 5, 7}, {3, 1, 0, 2}),
        permute_case("permute_4d_keeps_inner_5x1x9x4_to_2013", {5, 1, 9, 4}, {2, 0, 1, 3}),
        permute_case("permute_10d_reversed", {2, 2, 2, 2, 2, 2, 2, 2, 3, 2},
                     {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}),  // past the shader's 8 dims
        layout_case("transpose_65x257", {{65, 257}},
                    [](const Inputs& in) { return transpose(in[0], 0, 1); }),
        layout_case("transpose_4d_3x1x33x9_dims_1_3", {{3, 1, 33, 9}},
                    [](const Inputs& in) { return transpose(in[0], 1, 3); }),
        layout_case("permute_0d_scalar", {{}}, [](const Inputs& in) { return permute(in[0], {}); }),
        // -- layout: narrow on each dim (backward: cat with zeros) --
        narrow_case("narrow_5x7x9_dim0", {5, 7, 9}, 0, 1, 3),
        narrow_case("narrow_5x7x9_dim1_tail", {5, 7, 9}, 1, 4, 3),
        narrow_case("narrow_5x7x9_dim2_head", {5, 7, 9}, 2, 0, 5),
        narrow_case("narrow_33x300_dim1_middle", {33, 300}, 1, 17, 257),
        narrow_case("narrow_5x7_dim1_empty", {5, 7}, 1, 3, 0),
        // -- layout: cat of 2 and 3 parts on each dim (backward: narrow) --
        cat_case("cat_2_parts_dim0", {{2, 3, 5}, {4, 3, 5}}, 0),
        cat_case("cat_3_parts_dim1", {{2, 1, 5}, {2, 4, 5}, {2, 2, 5}}, 1),
        cat_case("cat_2_parts_dim2", {{2, 3, 5}, {2, 3, 7}}, 2),
        cat_case("cat_3_parts_dim2_wide", {{3, 2, 257}, {3, 2, 1}, {3, 2, 65}}, -1),
        // -- layout: 8-byte elements, as the index of a lookup --
        layout_case(
            "embedding_of_permuted_i64_index", {{13, 5}},
            [](const Inputs& in) {
                return embedding(in[0], permute(index_pattern(in[0], {3, 4, 5}, 13), {2, 0, 1}));
            }),
        // A negative index is all ones in its high word: it must arrive whole to be named.
        layout_case(
            "embedding_refuses_negative_index_after_permute_and_cat", {{13, 5}},
            [](const Inputs& in) {
                std::vector<int64_t> v(35, 4);
                v[2 * 7 + 3] = -123456789012;  // (2, 3) of a (5, 7): position 3 * 5 + 2
                const Tensor idx = index_values(in[0], {5, 7}, v);
                expect_refused([&] { embedding(in[0], permute(idx, {1, 0})); }, -123456789012, 17);
                const Tensor head = index_values(in[0], {2, 7}, std::vector<int64_t>(14, 1));
                expect_refused([&] { embedding(in[0], cat({head, idx}, 0)); }, -123456789012, 31);
                return embedding(in[0], permute(head, {1, 0}));
            }),
        layout_case("embedding_of_cat_and_narrowed_i64_index", {{11, 4}},
                    [](const Inputs& in) {
                        const Tensor a = index_pattern(in[0], {2, 3}, 11, 5, 1);
                        const Tensor b = index_pattern(in[0], {2, 5}, 11, 3, 2);
                        const Tensor c = index_pattern(in[0], {2, 1}, 11, 1, 10);
                        return embedding(in[0], narrow(cat({a, b, c}, 1), 1, 2, 6));
                    }),
        // -- layout: embedding and its gradient, rows repeated --
        layout_case(
            "embedding_11x9_repeated", {{11, 9}},
            [](const Inputs& in) {
                return embedding(in[0], index_values(in[0], {2, 4}, {3, 1, 3, 10, 0, 3, 7, 1}));
            }),
        layout_case("embedding_65x33_300_lookups", {{65, 33}},
                    [](const Inputs& in) {
                        return embedding(in[0], index_pattern(in[0], {300}, 65, 11, 5));
                    }),
        layout_case("embedding_5x1_one_row_looked_up_often", {{5, 1}},
                    [](const Inputs& in) {
                        return embedding(in[0], index_pattern(in[0], {7, 37}, 5, 2, 1));
                    }),
        // -- layout: gather along each dim (backward: scatter_add) --
        gather_case("gather_4x5x6_dim0", {4, 5, 6}, 0, {7, 5, 6}),
        gather_case("gather_4x5x6_dim1_smaller_index", {4, 5, 6}, 1, {3, 9, 4}),
        gather_case("gather_4x5x6_dim2", {4, 5, 6}, 2, {4, 2, 13}),
        gather_case("gather_33x40_dim1_many", {33, 40}, 1, {33, 65}),
        layout_case(
            "gather_0d", {{}},
            [](const Inputs& in) { return gather(in[0], 0, index_values(in[0], {}, {0})); }),
        layout_case("embedding_of_no_indices", {{4, 3}},
                    [](const Inputs& in) {
                        return embedding(in[0], index_values(in[0], {2, 0}, {}));
                    }),
        // -- layout: scatter_add along each dim (backward: the gradient and gather) --
        scatter_case("scatter_add_4x5x6_dim0", {4, 5, 6}, 0, {9, 5, 6}),
        scatter_case("scatter_add_4x5x6_dim1_smaller", {4, 5, 6}, 1, {2, 11, 3}),
        scatter_case("scatter_add_4x5x6_dim2", {4, 5, 6}, 2, {4, 5, 17}),
        scatter_case("scatter_add_3x300_dim0_many_lines", {3, 300}, 0, {7, 300}),
        // -- layout: argmin along each dim --
        argmin_case("argmin_5x7x9_dim0", {5, 7, 9}, 0),
        argmin_case("argmin_5x7x9_dim1", {5, 7, 9}, 1),
        argmin_case("argmin_5x7x9_dim2", {5, 7, 9}, 2),
        argmin_case("argmin_3x300_dim0_many_outputs", {3, 300}, 0),
        argmin_case("argmin_2x257_dim1_long", {2, 257}, 1),
        layout_case("argmin_ties_and_nan_dim1", {{6, 2}},
                    [ties](const Inputs& in) {
                        const Tensor x = Tensor::from_vector({4, 6}, ties).to(in[0].device());
                        return embedding(in[0], argmin(x, 1));
                    }),
        layout_case("argmin_ties_and_nan_dim0", {{4, 2}},
                    [ties](const Inputs& in) {
                        const Tensor x = Tensor::from_vector({4, 6}, ties).to(in[0].device());
                        return embedding(in[0], argmin(x, 0));
                    }),
        // -- layout: the index check names the first index outside --
        layout_case("embedding_refuses_first_bad_index", {{11, 3}},
                    [](const Inputs& in) {
                        expect_refused(
                            [&] {
                                embedding(in[0], index_values(in[0], {5}, {2, 0, 11, -3, 12}));
                            },
                            11, 2);
                        expect_refused(
                            [&] {
                                embedding(in[0], index_values(in[0], {2}, {-3, 12}));
                            },
                            -3, 0);
                        // 2^32 + 1: its low word alone (1) would pass for a good index.
                        const int64_t past_32_bits = (int64_t{1} << 32) + 1;
                        expect_refused(
                            [&] {
                                embedding(in[0], index_values(in[0], {3}, {1, past_32_bits, 1}));
                            },
                            past_32_bits, 1);
                        return embedding(in[0], index_values(in[0], {3}, {10, 0, 10}));
                    }),
        layout_case(
            "gather_refuses_first_bad_index_of_many", {{4, 600}},
            [](const Inputs& in) {
                std::vector<int64_t> v(1200, 1);
                v[1111] = 4, v[700] = -1, v[900] = 7;
                expect_refused(
                    [&] {
                        gather(in[0], 0, index_values(in[0], {2, 600}, v));
                    },
                    -1, 700);
                v[700] = 2;
                expect_refused([&] { gather(in[0], 0, index_values(in[0], {2, 600}, v)); }, 7, 900);
                v[900] = 0, v[1111] = 3;
                return gather(in[0], 0, index_values(in[0], {2, 600}, v));
            }),
        // -- layout with elementwise, reduce and linear: the vector quantizer's nearest code --
        {"vq_nearest_code_7x5_of_9",
         {{7, 5}, {9, 5}},
         [](const Inputs& in) {
             const Tensor codes = embedding(in[1], argmin(code_distances(in[0], in[1]), 1));
             return straight_through(in[0], codes);
         },
         {Family::layout, Family::elementwise, Family::reduce, Family::linear},
         {}},
        {"vq_codebook_gradient_33x4_of_17",
         {{33, 4}, {17, 4}},
         [](const Inputs& in) {
             return embedding(in[1], argmin(code_distances(in[0].detach(), in[1].detach()), 1));
         },
         {Family::layout, Family::elementwise, Family::reduce, Family::linear},
         {}},
    };
}

}  // namespace ganvas::backend_ops
