#include "ops/attention.h"

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "backend/linear_kernels.h"
#include "backend/reduce_kernels.h"
#include "ops/dispatch.h"
#include "ops/elementwise.h"
#include "ops/matmul.h"
#include "ops/reduce.h"
#include "ops/shape_ops.h"
#include "ops/softmax.h"
#include "tape/tape.h"

namespace ganvas {
namespace {

// causal_mask(T) on `device`, so the attention scores never leave it.
Tensor causal_mask_on(Device device, int64_t T) {
    Tensor m = Tensor::empty({T, T}, DType::f32, device);  // (T, T)
    Backend& be = dispatch("causal_mask", {m});
    be.reduce().causal_mask(T, m.storage());
    return m;
}

AttentionShape attention_shape(const Tensor& qkv, int64_t heads) {
    if (qkv.dim() != 3 || qkv.size(2) % 3 != 0)
        throw std::invalid_argument("causal_self_attention: qkv must be (B, T, 3C), got " +
                                    shape_str(qkv.shape()));
    const int64_t C = qkv.size(2) / 3;
    if (heads < 1 || C % heads != 0)
        throw std::invalid_argument("causal_self_attention: " + std::to_string(C) +
                                    " channels do not split into " + std::to_string(heads) +
                                    " heads");
    AttentionShape s;
    s.B = qkv.size(0);
    s.T = qkv.size(1);
    s.H = heads;
    s.D = C / heads;
    s.scale = 1.0f / std::sqrt(static_cast<float>(s.D));
    return s;
}

// (B, T, 3C) -> one of q, k, v as (B*H, T, D).
Tensor split_head(const Tensor& qkv, const AttentionShape& s, int64_t part) {
    const int64_t C = s.H * s.D;
    Tensor t = reshape(narrow(qkv, 2, part * C, C), {s.B, s.T, s.H, s.D});
    return reshape(permute(t, {0, 2, 1, 3}), {s.B * s.H, s.T, s.D});
}

// (B*H, T, D) -> (B, T, H*D)
Tensor merge_heads(const Tensor& y, const AttentionShape& s) {
    return reshape(permute(reshape(y, {s.B, s.H, s.T, s.D}), {0, 2, 1, 3}), {s.B, s.T, s.H * s.D});
}

// softmax(scale * q k^T + mask) as ops: (B*H, T, T).
Tensor probabilities_of(const Tensor& q, const Tensor& k, const AttentionShape& s, Device device) {
    Tensor scores = mul_scalar(matmul(q, transpose(k, 1, 2)), s.scale);  // (B*H, T, T)
    return softmax(add(scores, causal_mask_on(device, s.T)), -1);
}

// The fused kernel's gradient written as ops, for create_graph: every term
// recomputed from qkv with a graph, so the result is differentiable in qkv
// as well as in g.
Tensor attention_gradient_as_ops(const Tensor& qkv, const AttentionShape& s, const Tensor& g) {
    Tensor q = split_head(qkv, s, 0), k = split_head(qkv, s, 1), v = split_head(qkv, s, 2);
    Tensor p = probabilities_of(q, k, s, qkv.device());  // (B*H, T, T)
    Tensor gy =
        reshape(permute(reshape(g, {s.B, s.T, s.H, s.D}), {0, 2, 1, 3}), {s.B * s.H, s.T, s.D});
    Tensor dv = matmul(transpose(p, 1, 2), gy);  // (B*H, T, D)
    Tensor dp = matmul(gy, transpose(v, 1, 2));  // (B*H, T, T)
    Tensor ds = mul_scalar(mul(p, sub(dp, sum(mul(dp, p), {2}, true))), s.scale);
    Tensor dq = matmul(ds, k), dk = matmul(transpose(ds, 1, 2), q);
    return cat({merge_heads(dq, s), merge_heads(dk, s), merge_heads(dv, s)}, 2);  // (B, T, 3C)
}

}  // namespace

Tensor causal_mask(int64_t T) {
    return causal_mask_on(Device::cpu, T);
}

Tensor causal_self_attention_unfused(const Tensor& qkv, int64_t heads, Tensor* probabilities) {
    const AttentionShape s = attention_shape(qkv, heads);
    Tensor q = split_head(qkv, s, 0), k = split_head(qkv, s, 1), v = split_head(qkv, s, 2);
    Tensor att = probabilities_of(q, k, s, qkv.device());  // (B*H, T, T)
    if (probabilities) *probabilities = reshape(att.detach(), {s.B, heads, s.T, s.T});
    return merge_heads(matmul(att, v), s);  // (B, T, C)
}

Tensor causal_self_attention(const Tensor& qkv, int64_t heads, Tensor* probabilities) {
    const AttentionShape s = attention_shape(qkv, heads);
    if (qkv.dtype() != DType::f32)
        throw std::invalid_argument("causal_self_attention: qkv must be float32");
    Backend& be = dispatch("causal_self_attention", {qkv});
    if (!be.linear().has_causal_attention())
        return causal_self_attention_unfused(qkv, heads, probabilities);
    Tensor y = empty_on(qkv, {s.B, s.T, s.H * s.D});
    Tensor p = empty_on(qkv, {s.B, s.H, s.T, s.T});
    be.linear().causal_attention_forward(s, qkv.storage(), y.storage(), p.storage());
    if (probabilities) *probabilities = p;
    return record("causal_self_attention", y, {qkv},
                  [qkv, s, p](const Tensor& g, const std::vector<bool>&) {
                      if (grad_mode_enabled())
                          return std::vector<Tensor>{attention_gradient_as_ops(qkv, s, g)};
                      Backend& be = dispatch("causal_self_attention_backward", {g, qkv});
                      Tensor dqkv = empty_on(qkv, qkv.shape());  // (B, T, 3C)
                      be.linear().causal_attention_backward(s, qkv.storage(), p.storage(),
                                                            g.storage(), dqkv.storage());
                      return std::vector<Tensor>{dqkv};
                  });
}

}  // namespace ganvas
