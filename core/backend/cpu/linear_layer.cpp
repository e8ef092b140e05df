#include "backend/cpu/linear_layer.h"

#include <algorithm>
#include <vector>

#include "backend/cpu/gemm.h"
#include "backend/cpu/scratch.h"
#include "backend/cpu/thread_pool.h"

namespace ganvas::cpu {
namespace {

// Output blocks are split like gemm's: along the larger of y's dimensions.
constexpr int64_t kGrain = 16;

// y[r0..r1, c0..c1) = bias[c0..c1), or 0 without a bias.
void fill_rows(int64_t r0, int64_t r1, int64_t c0, int64_t c1, const float* bias, float* y,
               int64_t ld) {
    for (int64_t r = r0; r < r1; ++r) {
        float* row = y + r * ld;
        if (bias)
            std::copy(bias + c0, bias + c1, row + c0);
        else
            std::fill(row + c0, row + c1, 0.0f);
    }
}

// acc[0..c1-c0) += the columns c0..c1 of g's rows r0..r1 (ld floats a row), in
// double: long sums stay accurate.
void add_columns(int64_t r0, int64_t r1, int64_t ld, int64_t c0, int64_t c1, const float* g,
                 double* acc) {
    for (int64_t r = r0; r < r1; ++r) {
        const float* row = g + r * ld + c0;
        for (int64_t j = 0; j < c1 - c0; ++j) acc[j] += row[j];
    }
}

// gb[c0..c1) = the columns c0..c1 of g (rows, ld) summed down their rows.
void sum_columns(int64_t rows, int64_t ld, int64_t c0, int64_t c1, const float* g, float* gb) {
    if (c1 <= c0) return;
    std::vector<double> acc(static_cast<size_t>(c1 - c0), 0.0);
    add_columns(0, rows, ld, c0, c1, g, acc.data());
    for (int64_t j = 0; j < c1 - c0; ++j) gb[c0 + j] = static_cast<float>(acc[j]);
}

// Rows per block when the weight gradient's product is split along its rows.
constexpr int64_t kRowGrain = 64;

// Whether the weight gradient's inner dimension (the rows) is long beside its
// outputs: split by outputs or inputs, every block would pack all the rows of
// the other operand again (prior49's (384, 128) gradient over 3136 rows:
// 1.4x on 2 threads); split by rows, each block packs only its own.
// The partials are (blocks - 1) copies of the weight: past kMaxPartialFloats
// (256 MiB) the split by outputs or inputs is taken instead, whatever its speed.
constexpr int64_t kMaxPartialFloats = int64_t{1} << 26;

bool split_by_rows(int64_t rows, int64_t in, int64_t out) {
    return rows >= 4 * std::max(in, out) &&
           (parallel_tasks(rows, kRowGrain) - 1) * in * out <= kMaxPartialFloats;
}

// gw and gb from blocks of rows: each block's product into its own partial
// gradient (block 0's straight into gw) and its bias sums in double, both
// added in block order, so the result depends on the thread count only.
void backward_by_rows(int64_t rows, int64_t in, int64_t out, const float* x, const float* g,
                      float* gw, float* gb) {
    const int64_t blocks = parallel_tasks(rows, kRowGrain), size = out * in;
    thread_local Scratch scratch;
    float* partials = scratch.get((blocks - 1) * size);
    std::vector<double> bias_parts(gb ? static_cast<size_t>(blocks * out) : 0);
    parallel_for(blocks, 1, [&](int64_t b0, int64_t b1) {
        std::vector<double> sums(gb ? static_cast<size_t>(out) : 0);  // this thread's own
        for (int64_t blk = b0; blk < b1; ++blk) {
            const int64_t r0 = rows * blk / blocks, r1 = rows * (blk + 1) / blocks;
            float* dst = blk == 0 ? gw : partials + (blk - 1) * size;
            gemm_serial(true, false, out, in, r1 - r0, 1.0f, g + r0 * out, out, x + r0 * in, in,
                        0.0f, dst, in);
            if (!gb) continue;
            std::fill(sums.begin(), sums.end(), 0.0);
            add_columns(r0, r1, out, 0, out, g, sums.data());
            std::copy(sums.begin(), sums.end(), bias_parts.begin() + blk * out);
        }
    });
    parallel_for(size, 4096, [&](int64_t i0, int64_t i1) {
        for (int64_t c = 1; c < blocks; ++c) {
            const float* p = partials + (c - 1) * size;
            for (int64_t i = i0; i < i1; ++i) gw[i] += p[i];
        }
    });
    if (!gb) return;
    for (int64_t j = 0; j < out; ++j) {
        double total = 0.0;
        for (int64_t blk = 0; blk < blocks; ++blk) total += bias_parts[blk * out + j];
        gb[j] = static_cast<float>(total);
    }
}

}  // namespace

void linear_forward(int64_t rows, int64_t in, int64_t out, const float* x, const float* w,
                    const float* bias, float* y) {
    if (rows <= 0 || out <= 0) return;
    if (in < 2) {  // no product worth oneDNN's call (gemm has the K = 1 path)
        fill_rows(0, rows, 0, out, bias, y, out);
        if (in == 1) gemm(false, true, rows, out, in, 1.0f, x, in, w, in, 1.0f, y, out);
        return;
    }
    // One block: its rows become the bias, then the product adds onto them in cache.
    auto block = [&](int64_t r0, int64_t r1, int64_t c0, int64_t c1) {
        if (bias) fill_rows(r0, r1, c0, c1, bias, y, out);
        gemm_serial(false, true, r1 - r0, c1 - c0, in, 1.0f, x + r0 * in, in, w + c0 * in, in,
                    bias ? 1.0f : 0.0f, y + r0 * out + c0, out);
    };
    if (!gemm_worth_splitting(rows, out, in))
        block(0, rows, 0, out);
    else if (rows >= out)
        parallel_for(rows, kGrain, [&](int64_t r0, int64_t r1) { block(r0, r1, 0, out); });
    else
        parallel_for(out, kGrain, [&](int64_t c0, int64_t c1) { block(0, rows, c0, c1); });
}

void linear_backward_params(int64_t rows, int64_t in, int64_t out, const float* x, const float* g,
                            float* gw, float* gb) {
    if (out <= 0) return;
    if (in < 2 || rows < 2) {  // gemm's own paths for the degenerate products
        if (in > 0) gemm(true, false, out, in, rows, 1.0f, g, out, x, in, 0.0f, gw, in);
        if (gb) sum_columns(rows, out, 0, out, g, gb);
        return;
    }
    // gw's rows o0..o1 are g's columns o0..o1 times x: sum those columns beside them.
    auto by_outputs = [&](int64_t o0, int64_t o1) {
        gemm_serial(true, false, o1 - o0, in, rows, 1.0f, g + o0, out, x, in, 0.0f, gw + o0 * in,
                    in);
        if (gb) sum_columns(rows, out, o0, o1, g, gb);
    };
    if (!gemm_worth_splitting(out, in, rows) || parallel_tasks(rows, kRowGrain) < 2) {
        by_outputs(0, out);
    } else if (split_by_rows(rows, in, out)) {
        backward_by_rows(rows, in, out, x, g, gw, gb);
    } else if (out >= in) {
        parallel_for(out, kGrain, by_outputs);
    } else {
        // Split along in: every block reads all of g, and each sums its share of g's columns.
        parallel_for(in, kGrain, [&](int64_t i0, int64_t i1) {
            gemm_serial(true, false, out, i1 - i0, rows, 1.0f, g, out, x + i0, in, 0.0f, gw + i0,
                        in);
            if (gb) sum_columns(rows, out, out * i0 / in, out * i1 / in, g, gb);
        });
    }
}

}  // namespace ganvas::cpu
