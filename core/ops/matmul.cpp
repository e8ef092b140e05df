#include "ops/matmul.h"

#include <stdexcept>

#include "backend/linear_kernels.h"
#include "ops/dispatch.h"
#include "ops/elementwise.h"
#include "ops/reduce.h"
#include "ops/shape_ops.h"
#include "tape/tape.h"

namespace ganvas {
namespace {

// op(a) op(b) with op = transpose where asked; 2-D, or 3-D batched over dim 0.
// Its gradients are products of the same kind, so it is closed under autograd.
Tensor mm(const Tensor& a, const Tensor& b, bool ta, bool tb) {
    if (a.dtype() != DType::f32 || b.dtype() != DType::f32)
        throw std::invalid_argument("matmul: expects float32");
    const bool batched = a.dim() == 3;
    if (a.dim() != b.dim() || (a.dim() != 2 && a.dim() != 3))
        throw std::invalid_argument("matmul: expects two 2-D or two 3-D tensors, got " +
                                    shape_str(a.shape()) + " and " + shape_str(b.shape()));
    const int64_t batch = batched ? a.size(0) : 1;
    if (batched && b.size(0) != batch)
        throw std::invalid_argument("matmul: batch sizes differ: " + shape_str(a.shape()) +
                                    " and " + shape_str(b.shape()));
    const int64_t ar = a.size(-2), ac = a.size(-1), br = b.size(-2), bc = b.size(-1);
    const int64_t M = ta ? ac : ar, K = ta ? ar : ac, Kb = tb ? bc : br, N = tb ? br : bc;
    if (K != Kb)
        throw std::invalid_argument("matmul: inner sizes differ: " + shape_str(a.shape()) +
                                    " and " + shape_str(b.shape()));
    Shape out_shape = batched ? Shape{batch, M, N} : Shape{M, N};
    Backend& be = dispatch("matmul", {a, b});
    Tensor out = empty_on(a, out_shape);
    be.linear().matmul({batch, M, N, K, ta, tb}, a.storage(), b.storage(), out.storage());
    return record("matmul", out, {a, b},
                  [a, b, ta, tb](const Tensor& g, const std::vector<bool>& need) {
                      Tensor ga, gb;
                      if (!ta && !tb) {
                          if (need[0]) ga = mm(g, b, false, true);
                          if (need[1]) gb = mm(a, g, true, false);
                      } else if (ta && !tb) {
                          if (need[0]) ga = mm(b, g, false, true);
                          if (need[1]) gb = mm(a, g, false, false);
                      } else if (!ta && tb) {
                          if (need[0]) ga = mm(g, b, false, false);
                          if (need[1]) gb = mm(g, a, true, false);
                      } else {
                          if (need[0]) ga = mm(b, g, true, true);
                          if (need[1]) gb = mm(g, a, true, true);
                      }
                      return std::vector<Tensor>{ga, gb};
                  });
}

// linear as matmul and add: a backend without the fused layer, or a bias that
// only broadcasts to (out).
Tensor composed_linear(const Tensor& x2, const Tensor& weight, const Tensor& bias) {
    Tensor y = mm(x2, weight, false, true);  // (rows, out)
    return bias.defined() ? add(y, bias) : y;
}

bool fused_linear_applies(const Tensor& x2, const Tensor& weight, const Tensor& bias) {
    if (x2.dtype() != DType::f32 || weight.dtype() != DType::f32) return false;
    if (bias.defined() && (bias.dtype() != DType::f32 || bias.dim() != 1 ||
                           bias.size(0) != weight.size(0) || bias.device() != x2.device()))
        return false;
    // A device mismatch or a missing backend: the composed path's dispatch names it.
    if (x2.device() != weight.device() || !backend_available(x2.device())) return false;
    return backend_for(x2.device()).linear().has_linear();
}

// x2 (rows, in), weight (out, in), bias (out) or undefined -> (rows, out), in
// one kernel; the backward gives the input gradient as a product and the
// parameters' gradients in one kernel too, or as ops when a graph of the
// gradient is being recorded (the gradient penalty's double backward).
Tensor fused_linear(const Tensor& x2, const Tensor& weight, const Tensor& bias) {
    const LinearShape s{x2.size(0), x2.size(1), weight.size(0)};
    Backend& be = dispatch("linear", {x2, weight, bias});
    Tensor y = empty_on(x2, {s.rows, s.out});
    be.linear().linear_forward(s, x2.storage(), weight.storage(), optional_storage(bias),
                               y.storage());
    return record("linear", y, {x2, weight, bias},
                  [x2, weight, s](const Tensor& g, const std::vector<bool>& need) {
                      Tensor gx, gw, gb;
                      if (need[0]) gx = mm(g, weight, false, false);  // (rows, in)
                      if (grad_mode_enabled() || !need[1]) {
                          if (need[1]) gw = mm(g, x2, true, false);  // (out, in)
                          if (need[2]) gb = sum(g, {0});             // (out)
                      } else {
                          Backend& be = dispatch("linear_backward", {g, x2});
                          gw = empty_on(x2, weight.shape());
                          if (need[2]) gb = empty_on(x2, {s.out});
                          Storage* gb_storage = need[2] ? &gb.storage() : nullptr;
                          be.linear().linear_backward_params(s, x2.storage(), g.storage(),
                                                             gw.storage(), gb_storage);
                      }
                      return std::vector<Tensor>{gx, gw, gb};
                  });
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) {
    return mm(a, b, false, false);
}

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
    if (weight.dim() != 2)
        throw std::invalid_argument("linear: weight must be 2-D, got " + shape_str(weight.shape()));
    if (x.dim() < 1 || x.size(-1) != weight.size(1))
        throw std::invalid_argument("linear: input " + shape_str(x.shape()) +
                                    " does not match weight " + shape_str(weight.shape()));
    Shape out_shape = x.shape();
    out_shape.back() = weight.size(0);
    Tensor x2 = x.dim() == 2 ? x : reshape(x, {-1, weight.size(1)});
    Tensor y = fused_linear_applies(x2, weight, bias) ? fused_linear(x2, weight, bias)
                                                      : composed_linear(x2, weight, bias);
    return x.dim() == 2 ? y : reshape(y, out_shape);
}

}  // namespace ganvas
