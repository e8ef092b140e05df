#include "ops/activation.h"

#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "backend/cpu/thread_pool.h"
#include "ops/elementwise.h"
#include "tape/tape.h"

namespace ganvas {
namespace {

constexpr int64_t kGrain = 1 << 15;

void require_f32(const Tensor& t, const char* op) {
    if (!t.defined()) throw std::invalid_argument(std::string(op) + ": undefined tensor");
    if (t.dtype() != DType::f32)
        throw std::invalid_argument(std::string(op) + ": expects float32, got " +
                                    dtype_name(t.dtype()));
}

// out[i] = f(a[i]), one pass, split over the thread pool.
template <typename F>
Tensor map1(const Tensor& a, F f) {
    Tensor out = Tensor::empty(a.shape());
    const float* pa = a.data();
    float* po = out.data();
    cpu::parallel_for(a.numel(), kGrain, [&](int64_t s, int64_t e) {
        const F fn = f;  // a local copy: captured constants stay in registers, the loop vectorizes
        for (int64_t i = s; i < e; ++i) po[i] = fn(pa[i]);
    });
    return out;
}

using ArrayMap = Eigen::Map<Eigen::ArrayXf>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf>;

// f(in, out) on chunks seen as Eigen arrays: Eigen's packet maths gives
// vectorized tanh and exp, which loops over std::tanh / std::exp do not get.
template <typename F>
Tensor map_eigen(const Tensor& a, F f) {
    Tensor out = Tensor::empty(a.shape());
    const float* pa = a.data();
    float* po = out.data();
    cpu::parallel_for(a.numel(), kGrain, [&](int64_t s, int64_t e) {
        ArrayMap o(po + s, e - s);
        f(ConstArrayMap(pa + s, e - s), o);
    });
    return out;
}

// out[i] = f(a[i], b[i]) for two tensors of one shape.
template <typename F>
Tensor map2(const Tensor& a, const Tensor& b, F f) {
    Tensor out = Tensor::empty(a.shape());
    const float* pa = a.data();
    const float* pb = b.data();
    float* po = out.data();
    cpu::parallel_for(a.numel(), kGrain, [&](int64_t s, int64_t e) {
        const F fn = f;
        for (int64_t i = s; i < e; ++i) po[i] = fn(pa[i], pb[i]);
    });
    return out;
}

// c ? a : b by bit masks. GCC turns the plain ternary into a branch here, which
// random signs mispredict half the time; this form vectorizes.
inline float blend(bool c, float a, float b) {
    const uint32_t keep = 0u - static_cast<uint32_t>(c);
    return std::bit_cast<float>((std::bit_cast<uint32_t>(a) & keep) |
                                (std::bit_cast<uint32_t>(b) & ~keep));
}

// g * (x > 0 ? 1 : slope). Linear in g with a mask that is constant almost
// everywhere in x, so its own gradient is the same op applied to the incoming
// gradient (w.r.t. g) and nothing w.r.t. x: second derivatives through
// leaky_relu come out exactly, to any order.
Tensor leaky_relu_backward(const Tensor& g, const Tensor& x, float slope) {
    if (g.shape() != x.shape())
        throw std::invalid_argument("leaky_relu_backward: gradient " + shape_str(g.shape()) +
                                    " does not match input " + shape_str(x.shape()));
    // relu's mask selects a true 0, so an inf or NaN gradient on the dead side gives 0 as torch.
    Tensor out =
        slope == 0.0f
            ? map2(g, x, [](float gi, float xi) { return blend(xi > 0.0f, gi, 0.0f); })
            : map2(g, x, [slope](float gi, float xi) { return blend(xi > 0.0f, gi, gi * slope); });
    return record("leaky_relu_backward", out, {g, x},
                  [x, slope](const Tensor& gg, const std::vector<bool>& need) {
                      Tensor dg = need[0] ? leaky_relu_backward(gg, x, slope) : Tensor();
                      return std::vector<Tensor>{dg, Tensor()};
                  });
}

// relu is leaky_relu with slope 0; only the node's name differs.
Tensor leaky_relu_named(const Tensor& x, float slope, const char* name) {
    require_f32(x, name);
    // max(v, 0) + slope * min(v, 0) is exactly v > 0 ? v : slope * v (NaN stays NaN),
    // written so that GCC vectorizes it; the ternary form compiles to a branch.
    // relu gets plain max so that relu(-inf) is 0, not 0 * -inf.
    Tensor out =
        slope == 0.0f
            ? map1(x, [](float v) { return std::max(v, 0.0f); })
            : map1(x, [slope](float v) { return std::max(v, 0.0f) + slope * std::min(v, 0.0f); });
    return record(name, out, {x}, [x, slope](const Tensor& g, const std::vector<bool>&) {
        return std::vector<Tensor>{leaky_relu_backward(g, x, slope)};
    });
}

// 1 / (1 + exp(-x)): for very negative x, exp(-x) overflows to inf and the
// result is 0, the right limit; elsewhere 1 + exp(-x) keeps the relative
// precision of tiny outputs, so no split by sign (and no per-element select,
// which Eigen 3.4 does not vectorize) is needed.
Tensor sigmoid_kernel(const Tensor& x) {
    return map_eigen(
        x, [](const ConstArrayMap& v, ArrayMap& o) { o = (1.0f + (-v).exp()).inverse(); });
}

// GELU's derivative is Phi(x) + x phi(x); its derivative in turn is phi(x) (2 - x^2).
// Eigen's packet erf and exp vectorize; std::erf per element was 8% of a prior49 step.
constexpr float kRsqrt2 = 0.70710678118654752f, kRsqrt2Pi = 0.3989422804014327f;

// g * GELU'(x). Linear in g, so its gradient in g is the same op; its gradient
// in x is gg * g * phi(x) (2 - x^2).
Tensor gelu_backward(const Tensor& g, const Tensor& x) {
    if (g.shape() != x.shape())
        throw std::invalid_argument("gelu_backward: gradient " + shape_str(g.shape()) +
                                    " does not match input " + shape_str(x.shape()));
    Tensor out = Tensor::empty(x.shape());
    const float* pg = g.data();
    const float* px = x.data();
    float* po = out.data();
    cpu::parallel_for(x.numel(), kGrain, [&](int64_t s, int64_t e) {
        ConstArrayMap gv(pg + s, e - s), xv(px + s, e - s);
        ArrayMap o(po + s, e - s);
        o = gv * (0.5f * (1.0f + (xv * kRsqrt2).erf()) + xv * kRsqrt2Pi * (-0.5f * xv * xv).exp());
    });
    return record(
        "gelu_backward", out, {g, x}, [g, x](const Tensor& gg, const std::vector<bool>& need) {
            Tensor dg = need[0] ? gelu_backward(gg, x) : Tensor();
            Tensor dx;
            if (need[1]) {
                Tensor curvature = map_eigen(x.detach(), [](const ConstArrayMap& v, ArrayMap& o) {
                    o = kRsqrt2Pi * (-0.5f * v * v).exp() * (2.0f - v * v);
                });
                dx = mul(mul(gg, g), curvature);
            }
            return std::vector<Tensor>{dg, dx};
        });
}

}  // namespace

Tensor gelu(const Tensor& x) {
    require_f32(x, "gelu");
    Tensor y = map_eigen(x, [](const ConstArrayMap& v, ArrayMap& o) {
        o = 0.5f * v * (1.0f + (v * kRsqrt2).erf());
    });
    return record("gelu", y, {x}, [x](const Tensor& g, const std::vector<bool>&) {
        return std::vector<Tensor>{gelu_backward(g, x)};
    });
}

Tensor relu(const Tensor& x) {
    return leaky_relu_named(x, 0.0f, "relu");
}

Tensor leaky_relu(const Tensor& x, float negative_slope) {
    return leaky_relu_named(x, negative_slope, "leaky_relu");
}

Tensor tanh(const Tensor& x) {
    require_f32(x, "tanh");
    Tensor y = map_eigen(x, [](const ConstArrayMap& v, ArrayMap& o) { o = v.tanh(); });
    return record("tanh", y, {x}, [x, y = y.detach()](const Tensor& g, const std::vector<bool>&) {
        if (!grad_mode_enabled())  // plain backward(): one fused pass, g * (1 - y^2)
            return std::vector<Tensor>{
                map2(g, y, [](float gi, float yi) { return gi * (1.0f - yi * yi); })};
        // create_graph: recompute y with a graph so the gradient is differentiable in x.
        Tensor yy = tanh(x);
        return std::vector<Tensor>{mul(g, add_scalar(neg(mul(yy, yy)), 1.0f))};
    });
}

Tensor sigmoid(const Tensor& x) {
    require_f32(x, "sigmoid");
    Tensor y = sigmoid_kernel(x);
    return record("sigmoid", y, {x},
                  [x, y = y.detach()](const Tensor& g, const std::vector<bool>&) {
                      if (!grad_mode_enabled())  // g * y * (1 - y) in one pass
                          return std::vector<Tensor>{
                              map2(g, y, [](float gi, float yi) { return gi * yi * (1.0f - yi); })};
                      Tensor yy = sigmoid(x);
                      return std::vector<Tensor>{mul(g, mul(yy, add_scalar(neg(yy), 1.0f)))};
                  });
}

}  // namespace ganvas
