#include "ops/attention.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "backend/reduce_kernels.h"
#include "ops/dispatch.h"
#include "ops/elementwise.h"
#include "ops/matmul.h"
#include "ops/shape_ops.h"
#include "ops/softmax.h"

namespace ganvas {
namespace {

// causal_mask(T) on `device`, so the attention scores never leave it.
Tensor causal_mask_on(Device device, int64_t T) {
    Tensor m = Tensor::empty({T, T}, DType::f32, device);  // (T, T)
    Backend& be = dispatch("causal_mask", {m});
    be.reduce().causal_mask(T, m.storage());
    return m;
}

}  // namespace

Tensor causal_mask(int64_t T) {
    return causal_mask_on(Device::cpu, T);
}

Tensor causal_self_attention(const Tensor& qkv, int64_t heads, Tensor* probabilities) {
    if (qkv.dim() != 3 || qkv.size(2) % 3 != 0)
        throw std::invalid_argument("causal_self_attention: qkv must be (B, T, 3C), got " +
                                    shape_str(qkv.shape()));
    const int64_t B = qkv.size(0), T = qkv.size(1), C = qkv.size(2) / 3;
    if (heads < 1 || C % heads != 0)
        throw std::invalid_argument("causal_self_attention: " + std::to_string(C) +
                                    " channels do not split into " + std::to_string(heads) +
                                    " heads");
    const int64_t D = C / heads;
    // (B, T, C) -> (B, T, H, D) -> (B, H, T, D) -> (B*H, T, D)
    auto split_heads = [&](int64_t part) {
        Tensor t = reshape(narrow(qkv, 2, part * C, C), {B, T, heads, D});
        return reshape(permute(t, {0, 2, 1, 3}), {B * heads, T, D});
    };
    Tensor q = split_heads(0), k = split_heads(1), v = split_heads(2);
    const float scale = 1.0f / std::sqrt(static_cast<float>(D));
    Tensor scores = mul_scalar(matmul(q, transpose(k, 1, 2)), scale);        // (B*H, T, T)
    Tensor att = softmax(add(scores, causal_mask_on(qkv.device(), T)), -1);  // (B*H, T, T)
    if (probabilities) *probabilities = reshape(att.detach(), {B, heads, T, T});
    Tensor y = matmul(att, v);                                // (B*H, T, D)
    y = permute(reshape(y, {B, heads, T, D}), {0, 2, 1, 3});  // (B, T, H, D)
    return reshape(y, {B, T, C});
}

}  // namespace ganvas
