// ElementwiseKernels: maps over float32 buffers, one output element from the
// elements of the inputs at the same index (or at broadcast indices).
//
// Few entries, each with an enum of modes, so that a GPU backend implements
// one shader per entry with a switch on the mode. Storage and sizes in, no
// Tensors: the op in core/ops checks shapes and records the gradient, the
// backend only computes. The CPU entries are in backend/cpu/cpu_elementwise.cpp.
#pragma once

#include <cstdint>
#include <vector>

#include "backend/storage.h"

namespace ganvas {

// y = f(x) with up to two parameters p0, p1 (unused ones are ignored).
enum class UnaryOp {
    add_scalar,  // x + p0
    mul_scalar,  // x * p0
    pow,         // x^p0; exactly x * x when p0 == 2
    sqrt,
    exp,
    log,
    abs,
    sign,            // -1, 0 or 1 (0 for NaN)
    clamp,           // min(max(x, p0), p1)
    clamp_mask,      // 1 where p0 <= x <= p1, else 0: clamp's gradient
    gelu_curvature,  // GELU''(x) = phi(x) (2 - x^2), phi the standard normal density
};

// out = a (op) b.
enum class BinaryOp { add, sub, mul, div };

// The activations, with their derivatives in activation_backward.
enum class ActivationOp {
    relu,        // max(x, 0)
    leaky_relu,  // x > 0 ? x : slope x; slope 0 computes as relu
    tanh,
    sigmoid,  // 1 / (1 + exp(-x))
    gelu,     // x Phi(x), the exact form of torch.nn.GELU()
};

// How the operands of a binary op map onto its output: element (i_0, ..., i_r-1)
// of the output, C-ordered with `sizes`, reads a at sum_d i_d a_strides[d] and b
// at sum_d i_d b_strides[d]. A stride is 0 along a dimension its operand is
// broadcast over (NumPy's rule); all three vectors have the output's rank.
struct BroadcastGeometry {
    std::vector<int64_t> sizes;
    std::vector<int64_t> a_strides, b_strides;

    int64_t numel() const {
        int64_t n = 1;
        for (int64_t s : sizes) n *= s;
        return n;
    }
};

class ElementwiseKernels {
public:
    virtual ~ElementwiseKernels() = default;

    // y[i] = op(x[i]; p0, p1) for i < n.
    virtual void unary(UnaryOp op, float p0, float p1, const Storage& x, Storage& y,
                       int64_t n) const = 0;

    // out = a (op) b over the broadcast geometry `g` (out holds g.numel() floats).
    virtual void binary(BinaryOp op, const BroadcastGeometry& g, const Storage& a, const Storage& b,
                        Storage& out) const = 0;

    // y[i] = f(x[i]) for i < n; `slope` is leaky_relu's negative slope.
    virtual void activation_forward(ActivationOp f, float slope, const Storage& x, Storage& y,
                                    int64_t n) const = 0;
    // dx[i] = g[i] * f'(.) for i < n, the derivative read from `saved`: the
    // forward input x for relu, leaky_relu and gelu, the forward output y for
    // tanh and sigmoid (whose derivatives are cheapest in y). relu's is a true
    // 0 where x <= 0, so an inf or NaN gradient there gives 0, as in torch.
    virtual void activation_backward(ActivationOp f, float slope, const Storage& g,
                                     const Storage& saved, Storage& dx, int64_t n) const = 0;
};

}  // namespace ganvas
