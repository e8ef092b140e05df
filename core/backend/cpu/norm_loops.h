// The CPU's normalization loops on contiguous float32 buffers.
//
// Batch norm sees its input as (N, C, S), S the product of the trailing dims,
// with statistics per channel; layer norm sees (R, D), statistics per row.
// Statistics and gradient sums accumulate in double over float blocks (see
// norm_loops.cpp), so results do not drift with the batch size.
#pragma once

#include <cstdint>

namespace ganvas::cpu {

// An (N, C, ...) tensor seen as (N, C, S).
struct NCS {
    int64_t n, c, s;
    int64_t count() const { return n * s; }  // values per channel
};

// y = x * scale[c] + shift[c]; scale, shift may be null (1 and 0).
void channel_affine(const NCS& d, const float* x, const float* scale, const float* shift, float* y);
// out (C) = t summed over N and S.
void channel_sum(const NCS& d, const float* t, float* out);
// out (N, C, S) = v[c] repeated.
void channel_broadcast(const NCS& d, const float* v, float* out);

// Batch norm with the batch's statistics: y, mean (C), invstd (C); w, b, rm, rv
// may be null; rm, rv are updated in place with `momentum`.
void batch_norm_forward(const NCS& d, const float* x, const float* w, const float* b, float* rm,
                        float* rv, float momentum, float eps, float* y, float* mean, float* invstd);
// gx (N, C, S), gw (C), gb (C) from the saved mean and invstd; w, gx, gw, gb may be null.
void batch_norm_backward(const NCS& d, const float* g, const float* x, const float* w,
                         const float* mean, const float* invstd, float* gx, float* gw, float* gb);

// Layer norm over the last dimension of x (rows, cols): y, mean (rows), rstd (rows).
void layer_norm_forward(int64_t rows, int64_t cols, const float* x, const float* w, const float* b,
                        float eps, float* y, float* mean, float* rstd);
// gx (rows, cols), gw (cols), gb (cols); w, gx, gw, gb may be null.
void layer_norm_backward(int64_t rows, int64_t cols, const float* g, const float* x, const float* w,
                         const float* mean, const float* rstd, float* gx, float* gw, float* gb);

}  // namespace ganvas::cpu
