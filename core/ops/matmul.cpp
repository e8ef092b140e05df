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
    Tensor y = mm(x2, weight, false, true);  // (N, out)
    if (bias.defined()) y = add(y, bias);
    return x.dim() == 2 ? y : reshape(y, out_shape);
}

}  // namespace ganvas
