#include "ops/softmax.h"

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "backend/reduce_kernels.h"
#include "ops/dispatch.h"
#include "ops/elementwise.h"
#include "ops/reduce.h"
#include "tape/tape.h"

namespace ganvas {
namespace {

void require_f32(const Tensor& t, const char* op) {
    if (!t.defined()) throw std::invalid_argument(std::string(op) + ": undefined tensor");
    if (t.dtype() != DType::f32)
        throw std::invalid_argument(std::string(op) + ": expects float32, got " +
                                    dtype_name(t.dtype()));
}

// `dim` in [0, rank); a 0-d tensor counts as rank 1 (one row of one value), as torch.
int64_t wrap_dim(int64_t dim, const Tensor& x, const char* op) {
    const int64_t rank = std::max<int64_t>(x.dim(), 1);
    const int64_t d = dim < 0 ? dim + rank : dim;
    if (d < 0 || d >= rank)
        throw std::invalid_argument(std::string(op) + ": dimension " + std::to_string(dim) +
                                    " out of range for input " + shape_str(x.shape()));
    return d;
}

// x seen as (outer, n, inner) around dimension d: the values along d sit `inner` apart.
AxisShape layout_of(const Tensor& x, int64_t d) {
    AxisShape l;
    if (x.dim() == 0) return l;
    l.n = x.size(d);
    for (int64_t i = 0; i < d; ++i) l.outer *= x.size(i);
    for (int64_t i = d + 1; i < x.dim(); ++i) l.inner *= x.size(i);
    return l;
}

// The fused backward of softmax or log-softmax from its output y.
Tensor softmax_backward_fused(SoftmaxMode mode, const Tensor& g, const Tensor& y,
                              const AxisShape& l) {
    Backend& be = dispatch("softmax_backward", {g, y});
    Tensor gx = empty_on(y, y.shape());  // y's shape
    be.reduce().softmax_backward(mode, l, g.storage(), y.storage(), gx.storage());
    return gx;
}

Tensor softmax_op(const Tensor& x, int64_t dim, bool log) {
    const char* op = log ? "log_softmax" : "softmax";
    require_f32(x, op);
    const int64_t d = wrap_dim(dim, x, op);
    const AxisShape l = layout_of(x, d);
    const SoftmaxMode mode = log ? SoftmaxMode::log_softmax : SoftmaxMode::softmax;
    Backend& be = dispatch(op, {x});
    Tensor y = empty_on(x, x.shape());  // x's shape
    be.reduce().softmax_forward(mode, l, x.storage(), y.storage());
    return record(op, y, {x},
                  [x, d, l, log, mode, y = y.detach()](const Tensor& g, const std::vector<bool>&) {
                      if (!grad_mode_enabled())
                          return std::vector<Tensor>{softmax_backward_fused(mode, g, y, l)};
                      // create_graph: the probabilities are recomputed with a graph, so the
                      // gradient is differentiable in x as well as in g.
                      if (x.dim() == 0) return std::vector<Tensor>{mul_scalar(g, 0.0f)};
                      Tensor p = softmax(x, d);  // x's shape
                      if (log) return std::vector<Tensor>{sub(g, mul(p, sum(g, {d}, true)))};
                      return std::vector<Tensor>{mul(p, sub(g, sum(mul(g, p), {d}, true)))};
                  });
}

void check_cross_entropy_args(const Tensor& logits, const Tensor& target) {
    const char* op = "cross_entropy";
    require_f32(logits, op);
    if (!target.defined()) throw std::invalid_argument("cross_entropy: undefined target");
    if (logits.dim() != 2 || target.dtype() != DType::i64 || target.dim() != 1 ||
        target.size(0) != logits.size(0))
        throw std::invalid_argument(
            "cross_entropy: expects logits (N, C) float32 and target (N) int64, got logits " +
            shape_str(logits.shape()) + " and target " + shape_str(target.shape()) + " " +
            dtype_name(target.dtype()));
    const int64_t n = logits.size(0), c = logits.size(1);
    // The first bad target and its value, found where the targets live, read back once.
    Backend& be = dispatch(op, {logits, target});
    Tensor found = empty_on(target, {2}, DType::i64);  // (index, value)
    be.reduce().first_out_of_range(n, target.storage(), c, found.storage());
    const std::vector<int64_t> bad = found.to_vector_i64();
    if (bad[0] >= 0)
        throw std::invalid_argument("cross_entropy: target " + std::to_string(bad[1]) +
                                    " at index " + std::to_string(bad[0]) +
                                    " is out of range for " + std::to_string(c) +
                                    " classes (logits " + shape_str(logits.shape()) + ")");
}

// (N) int64 -> (N, C) float32 rows of 0 with a 1 at the target: a constant, no graph.
Tensor one_hot(const Tensor& target, int64_t classes) {
    Backend& be = dispatch("one_hot", {target});
    Tensor out = empty_on(target, {target.size(0), classes});  // (N, C)
    be.reduce().one_hot(target.size(0), classes, target.storage(), out.storage());
    return out;
}

// gx = g * scale * (exp(x - lse) - onehot(target)), row by row.
Tensor cross_entropy_backward_fused(const Tensor& logits, const Tensor& target, const Tensor& lse,
                                    const Tensor& g, float scale) {
    Backend& be = dispatch("cross_entropy_backward", {logits, target, lse, g});
    Tensor gx = empty_on(logits, logits.shape());  // (N, C)
    be.reduce().cross_entropy_backward(logits.size(0), logits.size(1), logits.storage(),
                                       target.storage(), lse.storage(), g.storage(), scale,
                                       gx.storage());
    return gx;
}

}  // namespace

Tensor softmax(const Tensor& x, int64_t dim) {
    return softmax_op(x, dim, false);
}

Tensor log_softmax(const Tensor& x, int64_t dim) {
    return softmax_op(x, dim, true);
}

Tensor cross_entropy(const Tensor& logits, const Tensor& target) {
    check_cross_entropy_args(logits, target);
    const int64_t n = logits.size(0), c = logits.size(1);
    Backend& be = dispatch("cross_entropy", {logits, target});
    Tensor lse = empty_on(logits, {n});  // (N) the rows' log-sum-exp, for the backward
    Tensor out = empty_on(logits, {});   // ()
    be.reduce().cross_entropy_forward(n, c, logits.storage(), target.storage(), lse.storage(),
                                      out.storage());
    const float inv_n = n > 0 ? 1.0f / static_cast<float>(n) : 0.0f;
    return record("cross_entropy", out, {logits},
                  [logits, target, lse, inv_n](const Tensor& g, const std::vector<bool>&) {
                      if (!grad_mode_enabled())
                          return std::vector<Tensor>{
                              cross_entropy_backward_fused(logits, target, lse, g, inv_n)};
                      // (softmax - onehot) * g / N, differentiable in logits and in g.
                      Tensor p = softmax(logits, 1);  // (N, C)
                      return std::vector<Tensor>{
                          mul(sub(p, one_hot(target, logits.size(1))), mul_scalar(g, inv_n))};
                  });
}

Tensor argmax(const Tensor& x, int64_t dim) {
    require_f32(x, "argmax");
    const int64_t d = wrap_dim(dim, x, "argmax");
    const AxisShape l = layout_of(x, d);
    if (l.n == 0)
        throw std::invalid_argument("argmax: dimension " + std::to_string(dim) + " of input " +
                                    shape_str(x.shape()) + " is empty");
    Shape shape = x.shape();
    if (!shape.empty()) shape.erase(shape.begin() + d);
    Backend& be = dispatch("argmax", {x});
    Tensor out = empty_on(x, shape, DType::i64);  // x's shape without dim d
    be.reduce().argmax(l, x.storage(), out.storage());
    return out;
}

}  // namespace ganvas
