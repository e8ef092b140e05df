#include "ops/norm.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "backend/norm_kernels.h"
#include "ops/dispatch.h"
#include "ops/elementwise.h"
#include "ops/reduce.h"
#include "tape/tape.h"

namespace ganvas {
namespace {

// A defined tensor's storage, or null: for the gradients a kernel may skip.
Storage* mutable_storage(Tensor& t) {
    return t.defined() ? &t.storage() : nullptr;
}

// An (N, C, ...) tensor seen as (N, C, S), S the product of the trailing dims.
ChannelLayout channel_layout(const Shape& shape) {
    const int64_t n = shape[0], c = shape[1];
    return {n, c, shape_numel(shape) / std::max<int64_t>(1, n * c)};
}

// -- differentiable per-channel primitives ------------------------------------
// Fused kernels closed under autograd (each one's gradient is built from the
// three), so the create_graph paths of batch norm stay fast and second order.

Tensor channel_sum(const Tensor& t);
Tensor channel_broadcast(const Tensor& v, const Shape& shape);

// x * scale[c] + shift[c] over (N, C, ...); scale, shift (C) or undefined (1, 0).
Tensor channel_affine(const Tensor& x, const Tensor& scale, const Tensor& shift) {
    Backend& be = dispatch("channel_affine", {x, scale, shift});
    Tensor out = empty_on(x, x.shape());
    be.norm().channel_affine(channel_layout(x.shape()), x.storage(), optional_storage(scale),
                             optional_storage(shift), out.storage());
    return record("channel_affine", out, {x, scale, shift},
                  [x, scale](const Tensor& g, const std::vector<bool>& need) {
                      Tensor gx = need[0] ? channel_affine(g, scale, Tensor()) : Tensor();
                      Tensor gs = need[1] ? channel_sum(mul(g, x)) : Tensor();
                      Tensor gb = need[2] ? channel_sum(g) : Tensor();
                      return std::vector<Tensor>{gx, gs, gb};
                  });
}

// (N, C, ...) -> (C): the sum over every dimension but the channel one.
Tensor channel_sum(const Tensor& t) {
    Backend& be = dispatch("channel_sum", {t});
    Tensor out = empty_on(t, {t.size(1)});
    be.norm().channel_sum(channel_layout(t.shape()), t.storage(), out.storage());
    return record("channel_sum", out, {t},
                  [shape = t.shape()](const Tensor& g, const std::vector<bool>&) {
                      return std::vector<Tensor>{channel_broadcast(g, shape)};
                  });
}

// (C) -> shape (N, C, ...): v[c] repeated over every other dimension.
Tensor channel_broadcast(const Tensor& v, const Shape& shape) {
    Backend& be = dispatch("channel_broadcast", {v});
    Tensor out = empty_on(v, shape);
    be.norm().channel_broadcast(channel_layout(shape), v.storage(), out.storage());
    return record("channel_broadcast", out, {v}, [](const Tensor& g, const std::vector<bool>&) {
        return std::vector<Tensor>{channel_sum(g)};
    });
}

// -- batch norm, training mode ------------------------------------------------

// The classic fused backward from the saved statistics, for first-order gradients.
std::vector<Tensor> bn_train_backward_fused(const Tensor& g, const Tensor& x, const Tensor& weight,
                                            const Tensor& mean, const Tensor& invstd,
                                            const std::vector<bool>& need) {
    Backend& be = dispatch("batch_norm backward", {g, x, weight, mean, invstd});
    const ChannelLayout l = channel_layout(x.shape());
    Tensor gx = need[0] ? empty_on(x, x.shape()) : Tensor();
    Tensor gw = need[1] ? empty_on(x, {l.channels}) : Tensor();
    Tensor gb = need[2] ? empty_on(x, {l.channels}) : Tensor();
    be.norm().backward(NormMode::batch, l, g.storage(), x.storage(), optional_storage(weight),
                       mean.storage(), invstd.storage(), mutable_storage(gx), mutable_storage(gw),
                       mutable_storage(gb));
    return {gx, gw, gb};
}

// The same gradients built from differentiable ops, for create_graph. The batch
// statistics are recomputed with a graph, since they depend on x.
std::vector<Tensor> bn_train_backward_composed(const Tensor& g, const Tensor& x,
                                               const Tensor& weight, float eps,
                                               const std::vector<bool>& need) {
    const ChannelLayout l = channel_layout(x.shape());
    const float inv_count = 1.0f / static_cast<float>(l.outer * l.inner);
    Tensor mu = mul_scalar(channel_sum(x), inv_count);             // (C)
    Tensor xc = channel_affine(x, Tensor(), neg(mu));              // (N, C, ...)
    Tensor var = mul_scalar(channel_sum(mul(xc, xc)), inv_count);  // (C)
    Tensor invstd = pow_scalar(add_scalar(var, eps), -0.5f);       // (C)
    Tensor xhat = channel_affine(xc, invstd, Tensor());            // (N, C, ...)
    Tensor gx, gw, gb;
    if (need[1]) gw = channel_sum(mul(g, xhat));
    if (need[2]) gb = channel_sum(g);
    if (need[0]) {
        Tensor gxhat = weight.defined() ? channel_affine(g, weight, Tensor()) : g;  // (N, C, ...)
        Tensor m1 = mul_scalar(channel_sum(gxhat), inv_count);                      // (C)
        Tensor m2 = mul_scalar(channel_sum(mul(gxhat, xhat)), inv_count);           // (C)
        // invstd * (gxhat - m1 - xhat * m2)
        gx = sub(channel_affine(gxhat, invstd, neg(mul(invstd, m1))),
                 channel_affine(xhat, mul(invstd, m2), Tensor()));
    }
    return {gx, gw, gb};
}

void check_channel_vector(const Tensor& t, int64_t channels, const Tensor& x, const char* what) {
    if (!t.defined()) return;
    if (t.dtype() != DType::f32 || t.shape() != Shape{channels})
        throw std::invalid_argument(std::string("batch_norm: ") + what + " " +
                                    shape_str(t.shape()) + " does not match the " +
                                    std::to_string(channels) + " channels of input " +
                                    shape_str(x.shape()) + " (expects float32 (C))");
}

// -- layer norm ---------------------------------------------------------------

// x (..., D) as (R, D, 1): R rows of D values each.
ChannelLayout row_layout(const Tensor& x) {
    return {x.numel() / x.size(-1), x.size(-1), 1};
}

// Per row, with xhat = (x - mean) * rstd and gh = g * w:
//   gx = rstd * (gh - mean(gh) - xhat * mean(gh * xhat)), gw = sum of g * xhat, gb = sum of g.
std::vector<Tensor> ln_backward_fused(const Tensor& g, const Tensor& x, const Tensor& weight,
                                      const Tensor& mean, const Tensor& rstd,
                                      const std::vector<bool>& need) {
    Backend& be = dispatch("layer_norm backward", {g, x, weight, mean, rstd});
    const ChannelLayout l = row_layout(x);
    Tensor gx = need[0] ? empty_on(x, x.shape()) : Tensor();
    Tensor gw = need[1] ? empty_on(x, {l.channels}) : Tensor();
    Tensor gb = need[2] ? empty_on(x, {l.channels}) : Tensor();
    be.norm().backward(NormMode::layer, l, g.storage(), x.storage(), optional_storage(weight),
                       mean.storage(), rstd.storage(), mutable_storage(gx), mutable_storage(gw),
                       mutable_storage(gb));
    return {gx, gw, gb};
}

std::vector<Tensor> ln_backward_composed(const Tensor& g, const Tensor& x, const Tensor& weight,
                                         float eps, const std::vector<bool>& need) {
    const int64_t d = x.size(-1);
    Tensor mu = mean(x, {-1}, true);  // (..., 1)
    Tensor xc = sub(x, mu);           // (..., D)
    Tensor rstd = pow_scalar(add_scalar(mean(mul(xc, xc), {-1}, true), eps), -0.5f);
    Tensor xhat = mul(xc, rstd);
    Tensor gx, gw, gb;
    if (need[1]) gw = sum_to(mul(g, xhat), {d});
    if (need[2]) gb = sum_to(g, {d});
    if (need[0]) {
        Tensor gh = weight.defined() ? mul(g, weight) : g;
        Tensor m1 = mean(gh, {-1}, true);
        Tensor m2 = mean(mul(gh, xhat), {-1}, true);
        gx = mul(rstd, sub(sub(gh, m1), mul(xhat, m2)));
    }
    return {gx, gw, gb};
}

}  // namespace

Tensor batch_norm(const Tensor& x, Tensor running_mean, Tensor running_var, const Tensor& weight,
                  const Tensor& bias, bool training, float momentum, float eps) {
    if (!x.defined() || x.dtype() != DType::f32)
        throw std::invalid_argument("batch_norm: expects a defined float32 input");
    if (x.dim() < 2)
        throw std::invalid_argument("batch_norm: expects input (N, C) or (N, C, H, W), got " +
                                    shape_str(x.shape()));
    const int64_t channels = x.size(1);
    check_channel_vector(weight, channels, x, "weight");
    check_channel_vector(bias, channels, x, "bias");
    check_channel_vector(running_mean, channels, x, "running_mean");
    check_channel_vector(running_var, channels, x, "running_var");

    if (!training) {
        if (!running_mean.defined() || !running_var.defined())
            throw std::invalid_argument("batch_norm: eval mode needs running_mean and running_var");
        // Running statistics are buffers: no gradient flows into them.
        Tensor inv = pow_scalar(add_scalar(running_var.detach(), eps), -0.5f);  // (C)
        Tensor scale = weight.defined() ? mul(weight, inv) : inv;               // (C)
        Tensor shift = neg(mul(running_mean.detach(), scale));                  // (C)
        if (bias.defined()) shift = add(shift, bias);
        return channel_affine(x, scale, shift);
    }

    const ChannelLayout l = channel_layout(x.shape());
    if (l.outer * l.inner <= 1)
        throw std::invalid_argument(
            "batch_norm: expected more than 1 value per channel when training, got input " +
            shape_str(x.shape()));
    Backend& be = dispatch("batch_norm", {x, running_mean, running_var, weight, bias});
    Tensor y = empty_on(x, x.shape());
    Tensor mean = empty_on(x, {channels}), invstd = empty_on(x, {channels});  // (C), (C)
    // The running buffers are updated in place by the kernel, on their device.
    const RunningStats running{mutable_storage(running_mean), mutable_storage(running_var),
                               momentum};
    be.norm().forward(NormMode::batch, l, x.storage(), optional_storage(weight),
                      optional_storage(bias), eps, &running, y.storage(), mean.storage(),
                      invstd.storage());
    return record("batch_norm", y, {x, weight, bias},
                  [x, weight, mean, invstd, eps](const Tensor& g, const std::vector<bool>& need) {
                      if (!grad_mode_enabled())
                          return bn_train_backward_fused(g, x, weight, mean, invstd, need);
                      return bn_train_backward_composed(g, x, weight, eps, need);
                  });
}

Tensor layer_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, float eps) {
    if (!x.defined() || x.dtype() != DType::f32)
        throw std::invalid_argument("layer_norm: expects a defined float32 input");
    if (x.dim() < 1 || x.size(-1) == 0)
        throw std::invalid_argument("layer_norm: expects input (..., C) with C > 0, got " +
                                    shape_str(x.shape()));
    const ChannelLayout l = row_layout(x);
    for (const Tensor* t : {&weight, &bias})
        if (t->defined() && (t->dtype() != DType::f32 || t->shape() != Shape{l.channels}))
            throw std::invalid_argument(
                "layer_norm: " + std::string(t == &weight ? "weight " : "bias ") +
                shape_str(t->shape()) + " does not match the last dimension of input " +
                shape_str(x.shape()));
    Backend& be = dispatch("layer_norm", {x, weight, bias});
    Tensor y = empty_on(x, x.shape());
    Tensor mean = empty_on(x, {l.outer}), rstd = empty_on(x, {l.outer});  // (R), (R)
    be.norm().forward(NormMode::layer, l, x.storage(), optional_storage(weight),
                      optional_storage(bias), eps, nullptr, y.storage(), mean.storage(),
                      rstd.storage());
    return record("layer_norm", y, {x, weight, bias},
                  [x, weight, mean, rstd, eps](const Tensor& g, const std::vector<bool>& need) {
                      if (!grad_mode_enabled())
                          return ln_backward_fused(g, x, weight, mean, rstd, need);
                      return ln_backward_composed(g, x, weight, eps, need);
                  });
}

}  // namespace ganvas
