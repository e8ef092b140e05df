// Row copies and codebook statistics, with the mode codes of gl_update.cpp;
// int64 values are uint pairs, low word first.
// mode 0, copy_rows: dst row index[p][0] = src row index[p][1] for the pairs
//   from first_row on. One invocation per column walks the pairs in order, so
//   a row named twice ends as the CPU's last copy leaves it, even when src and
//   dst are one buffer.
// mode 1, bin_rows: one invocation per (bin, column) sums that bin's rows in
//   row order, from row first_row on; a compensated (Kahan) sum stands in for
//   the CPU's double. Column `row_size` of each bin counts its rows.
// mode 4 then 2, codebook_from_ema: one workgroup sums the counts into kahan[0]
//   (compensated, standing in for the CPU's double), then one value per invocation.
// mode 3, add_i64_: x[i] += value with the carry between the words.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufA { float a[]; };      // src, x, cluster_size
layout(std430, binding = 1) readonly buffer BufIndex { uint index[]; };
layout(std430, binding = 2) buffer BufOut { float out_[]; };         // dst, sums, codebook
layout(std430, binding = 3) buffer BufB { float b[]; };              // counts, embed_sum
layout(std430, binding = 4) buffer BufI64 { uint words[]; };         // add_i64_'s x
layout(std430, binding = 5) readonly buffer BufC { float c[]; };     // embed_sum
layout(std430, binding = 6) buffer BufKahan { float kahan[]; };      // running sums, the total count

uniform int mode;
uniform uint count;  // pairs, rows, bins or values
uniform uint row_size, bins;
uniform float eps;
uniform uint value_lo, value_hi;
uniform uint first_row;  // bin_rows' first row, copy_rows' first pair

// Rows (pairs) one bin_rows (copy_rows) dispatch walks: llvmpipe ends an
// invocation's loops after 65535 turns, so longer inputs take several
// dispatches in order, bin_rows' compensated sums carried between them in `kahan`.
const uint kRowsPerDispatch = 32768u;
const int COPY_ROWS = 0, BIN_ROWS = 1, CODEBOOK = 2, ADD_I64 = 3, CODEBOOK_TOTAL = 4;

shared float partial[256];

void main() {
    const uint i = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * 256u +
                   gl_LocalInvocationID.x;
    if (mode == COPY_ROWS) {
        if (i >= row_size) return;
        const uint end = min(first_row + kRowsPerDispatch, count);
        for (uint p = first_row; p < end; ++p)
            out_[index[4u * p] * row_size + i] = a[index[4u * p + 2u] * row_size + i];
    } else if (mode == BIN_ROWS) {
        const uint width = row_size + 1u;
        if (i >= bins * width) return;
        const uint k = i / width, d = i % width;
        precise float sum = 0.0, lost = 0.0;
        if (first_row > 0u) {
            sum = kahan[2u * i];
            lost = kahan[2u * i + 1u];
        }
        const uint end = min(first_row + kRowsPerDispatch, count);
        for (uint r = first_row; r < end; ++r) {
            if (index[2u * r] != k) continue;
            precise float term = (d == row_size ? 1.0 : a[r * row_size + d]) - lost;
            precise float next = sum + term;
            lost = (next - sum) - term;
            sum = next;
        }
        if (end < count) {
            kahan[2u * i] = sum;
            kahan[2u * i + 1u] = lost;
        } else if (d == row_size) {
            b[k] = sum;
        } else {
            out_[k * row_size + d] = sum;
        }
    } else if (mode == CODEBOOK_TOTAL) {
        // One workgroup: each invocation a compensated sum of every 256th count,
        // then a tree sum of those into kahan[0].
        const uint t = gl_LocalInvocationID.x;
        precise float n = 0.0, lost = 0.0;
        for (uint k = t; k < count; k += 256u) {
            precise float term = a[k] - lost;
            precise float next = n + term;
            lost = (next - n) - term;
            n = next;
        }
        partial[t] = n;
        barrier();
        for (uint half_ = 128u; half_ > 0u; half_ >>= 1u) {
            if (t < half_) partial[t] += partial[t + half_];
            barrier();
        }
        if (t == 0u) kahan[0] = partial[0];
    } else if (mode == CODEBOOK) {
        if (i >= count * row_size) return;
        const float n = kahan[0];
        const uint k = i / row_size;
        const float smoothed = (a[k] + eps) / (n + float(count) * eps) * n;
        out_[i] = c[i] / smoothed;
    } else if (mode == ADD_I64) {
        if (i >= count) return;
        uint carry;
        const uint lo = uaddCarry(words[2u * i], value_lo, carry);
        words[2u * i] = lo;
        words[2u * i + 1u] = words[2u * i + 1u] + value_hi + carry;
    }
}
