// LinearKernels: matrix products and 2-D convolutions, the FLOP-heavy kernels.
//
// Storage and sizes in, no Tensors: the op in core/ops checks shapes and
// records the gradient, the backend only computes. The CPU entries are in
// backend/cpu/cpu_linear.cpp.
#pragma once

#include <cstdint>

#include "backend/conv_geometry.h"
#include "backend/storage.h"

namespace ganvas {

struct GemmShape {
    int64_t batch = 1;  // independent products, each matrix packed after the previous
    int64_t M = 0, N = 0, K = 0;
    bool trans_a = false;  // A stored (K, M) instead of (M, K)
    bool trans_b = false;  // B stored (N, K) instead of (K, N)
};

// A fully connected layer over `rows` inputs of `in` features each, `out` outputs.
struct LinearShape {
    int64_t rows = 0, in = 0, out = 0;
};

// Causal softmax self-attention over a packed qkv: B sequences of T tokens,
// H heads of D channels, scores scaled by `scale` (1 / sqrt(D)).
struct AttentionShape {
    int64_t B = 0, T = 0, H = 0, D = 0;
    float scale = 1.0f;
};

class LinearKernels {
public:
    virtual ~LinearKernels() = default;

    // C[b] (M, N) = op(A[b]) op(B[b]) for each of `batch` products, row-major and packed.
    virtual void matmul(const GemmShape& s, const Storage& a, const Storage& b,
                        Storage& c) const = 0;

    // y (N, K, Ho, Wo) = conv(x (N, C, H, W), w (K, C, kh, kw)) + bias (K); bias may be null.
    virtual void conv2d_forward(const ConvGeometry& g, const Storage& x, const Storage& w,
                                const Storage* bias, Storage& y) const = 0;
    // x (N, C, H, W) = conv^T(y, w) + bias (C): conv_transpose2d's forward and conv2d's
    // input gradient; bias may be null.
    virtual void conv2d_backward_data(const ConvGeometry& g, const Storage& y, const Storage& w,
                                      const Storage* bias, Storage& x) const = 0;
    // w (K, C, kh, kw) = the gradient of <y, conv(x, w)> in w.
    virtual void conv2d_backward_weight(const ConvGeometry& g, const Storage& x, const Storage& y,
                                        Storage& w) const = 0;
    // b (channels) = y (N, channels, pixels) summed over N and pixels.
    virtual void sum_channels(int64_t N, int64_t channels, int64_t pixels, const Storage& y,
                              Storage& b) const = 0;

    // The fully connected layer with its bias fused into the products, optional:
    // a backend without it leaves has_linear() false and the op composes it
    // from matmul, add and sum, with the same result up to rounding.
    virtual bool has_linear() const { return false; }
    // y (rows, out) = x (rows, in) w^T + bias (out) for w (out, in); bias may be null.
    virtual void linear_forward(const LinearShape& s, const Storage& x, const Storage& w,
                                const Storage* bias, Storage& y) const;
    // gw (out, in) = g^T x and gb (out) = g (rows, out) summed over rows; gb may be null.
    virtual void linear_backward_params(const LinearShape& s, const Storage& x, const Storage& g,
                                        Storage& gw, Storage* gb) const;

    // Fused causal self-attention, optional: a backend without it leaves
    // has_causal_attention() false and the op composes it from small ops
    // (matmul, softmax, permute), with the same result up to rounding.
    virtual bool has_causal_attention() const { return false; }
    // y (B, T, H*D) and the probabilities p (B, H, T, T) from qkv (B, T, 3*H*D),
    // whose last dimension holds q, then k, then v, each head's D channels together.
    virtual void causal_attention_forward(const AttentionShape& s, const Storage& qkv, Storage& y,
                                          Storage& p) const;
    // dqkv (B, T, 3*H*D) from the forward's qkv and p and the gradient dy (B, T, H*D).
    virtual void causal_attention_backward(const AttentionShape& s, const Storage& qkv,
                                           const Storage& p, const Storage& dy,
                                           Storage& dqkv) const;
};

}  // namespace ganvas
