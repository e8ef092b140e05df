// The CPU backend's element-wise kernels: plain loops split over the thread
// pool, and Eigen's packet maths for the transcendental activations.
#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <stdexcept>

#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/thread_pool.h"
#include "backend/elementwise_kernels.h"

namespace ganvas::cpu {
namespace {

constexpr int64_t kGrain = 1 << 15;

// po[i] = f(pa[i]), one pass, split over the thread pool.
template <typename F>
void map1(const float* pa, float* po, int64_t n, F f) {
    parallel_for(n, kGrain, [&](int64_t s, int64_t e) {
        const F fn = f;  // a local copy: captured constants stay in registers, the loop vectorizes
        for (int64_t i = s; i < e; ++i) po[i] = fn(pa[i]);
    });
}

// po[i] = f(pa[i], pb[i]) for two buffers of one length.
template <typename F>
void map2(const float* pa, const float* pb, float* po, int64_t n, F f) {
    parallel_for(n, kGrain, [&](int64_t s, int64_t e) {
        const F fn = f;
        for (int64_t i = s; i < e; ++i) po[i] = fn(pa[i], pb[i]);
    });
}

using ArrayMap = Eigen::Map<Eigen::ArrayXf>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf>;

// f(in, out) on chunks seen as Eigen arrays: Eigen's packet maths gives
// vectorized tanh and exp, which loops over std::tanh / std::exp do not get.
template <typename F>
void map_eigen(const float* pa, float* po, int64_t n, F f) {
    parallel_for(n, kGrain, [&](int64_t s, int64_t e) {
        ArrayMap o(po + s, e - s);
        f(ConstArrayMap(pa + s, e - s), o);
    });
}

// c ? a : b by bit masks. GCC turns the plain ternary into a branch here, which
// random signs mispredict half the time; this form vectorizes.
inline float blend(bool c, float a, float b) {
    const uint32_t keep = 0u - static_cast<uint32_t>(c);
    return std::bit_cast<float>((std::bit_cast<uint32_t>(a) & keep) |
                                (std::bit_cast<uint32_t>(b) & ~keep));
}

// GELU's derivative is Phi(x) + x phi(x); its derivative in turn is phi(x) (2 - x^2).
// Eigen's packet erf and exp vectorize; std::erf per element was 8% of a prior49 step.
constexpr float kRsqrt2 = 0.70710678118654752f, kRsqrt2Pi = 0.3989422804014327f;

// The number of elements an operand holds: the product of the output sizes
// along the dimensions it is not broadcast over.
int64_t operand_numel(const BroadcastGeometry& g, const std::vector<int64_t>& strides) {
    int64_t n = 1;
    for (size_t d = 0; d < g.sizes.size(); ++d)
        if (strides[d] != 0) n *= g.sizes[d];
    return n;
}

// out[i] = f(a[ia], b[ib]) over the broadcast geometry. Fast paths for equal
// shapes and a scalar side; otherwise rows of the last dimension, with each
// operand's row start found from its broadcast strides.
template <typename F>
void broadcast_binary(const BroadcastGeometry& g, const float* pa, const float* pb, float* po,
                      F f) {
    const int64_t n = g.numel();
    const int64_t a_numel = operand_numel(g, g.a_strides), b_numel = operand_numel(g, g.b_strides);
    if (a_numel == n && b_numel == n) {
        parallel_for(n, kGrain, [&](int64_t s, int64_t e) {
            for (int64_t i = s; i < e; ++i) po[i] = f(pa[i], pb[i]);
        });
        return;
    }
    if (b_numel == 1 && a_numel == n) {
        const float vb = pb[0];
        parallel_for(n, kGrain, [&](int64_t s, int64_t e) {
            for (int64_t i = s; i < e; ++i) po[i] = f(pa[i], vb);
        });
        return;
    }
    if (a_numel == 1 && b_numel == n) {
        const float va = pa[0];
        parallel_for(n, kGrain, [&](int64_t s, int64_t e) {
            for (int64_t i = s; i < e; ++i) po[i] = f(va, pb[i]);
        });
        return;
    }
    const std::vector<int64_t>& sizes = g.sizes;
    const std::vector<int64_t>&sa = g.a_strides, &sb = g.b_strides;
    const int64_t rank = static_cast<int64_t>(sizes.size());
    const int64_t inner = rank ? sizes[rank - 1] : 1;
    const int64_t rows = inner ? n / inner : 0;
    const int64_t ia_step = rank ? sa[rank - 1] : 0, ib_step = rank ? sb[rank - 1] : 0;
    parallel_for(rows, std::max<int64_t>(1, kGrain / std::max<int64_t>(inner, 1)),
                 [&](int64_t r0, int64_t r1) {
                     for (int64_t r = r0; r < r1; ++r) {
                         int64_t oa = 0, ob = 0, rem = r;
                         for (int64_t d = rank - 2; d >= 0; --d) {
                             int64_t idx = rem % sizes[d];
                             rem /= sizes[d];
                             oa += idx * sa[d];
                             ob += idx * sb[d];
                         }
                         float* o = po + r * inner;
                         const float *a = pa + oa, *b = pb + ob;
                         // Contiguous or repeated rows (a bias row, a per-row
                         // scale) get loops GCC vectorizes.
                         if (ia_step == 1 && ib_step == 1) {
                             for (int64_t i = 0; i < inner; ++i) o[i] = f(a[i], b[i]);
                         } else if (ia_step == 1 && ib_step == 0) {
                             const float vb = b[0];
                             for (int64_t i = 0; i < inner; ++i) o[i] = f(a[i], vb);
                         } else if (ia_step == 0 && ib_step == 1) {
                             const float va = a[0];
                             for (int64_t i = 0; i < inner; ++i) o[i] = f(va, b[i]);
                         } else {
                             for (int64_t i = 0; i < inner; ++i)
                                 o[i] = f(a[i * ia_step], b[i * ib_step]);
                         }
                     }
                 });
}

class CpuElementwiseKernels final : public ElementwiseKernels {
public:
    void unary(UnaryOp op, float p0, float p1, const Storage& x, Storage& y,
               int64_t n) const override {
        const float* px = f32(x);
        float* py = f32(y);
        switch (op) {
            case UnaryOp::add_scalar:
                return map1(px, py, n, [p0](float v) { return v + p0; });
            case UnaryOp::mul_scalar:
                return map1(px, py, n, [p0](float v) { return v * p0; });
            case UnaryOp::pow:
                if (p0 == 2.0f) return map1(px, py, n, [](float v) { return v * v; });
                return map1(px, py, n, [p0](float v) { return std::pow(v, p0); });
            case UnaryOp::sqrt:
                return map1(px, py, n, [](float v) { return std::sqrt(v); });
            case UnaryOp::exp:
                return map1(px, py, n, [](float v) { return std::exp(v); });
            case UnaryOp::log:
                return map1(px, py, n, [](float v) { return std::log(v); });
            case UnaryOp::abs:
                return map1(px, py, n, [](float v) { return std::fabs(v); });
            case UnaryOp::sign:
                return map1(px, py, n,
                            [](float v) { return static_cast<float>((v > 0.0f) - (v < 0.0f)); });
            case UnaryOp::clamp:
                return map1(px, py, n, [p0, p1](float v) { return std::min(std::max(v, p0), p1); });
            case UnaryOp::clamp_mask:
                return map1(px, py, n,
                            [p0, p1](float v) { return v >= p0 && v <= p1 ? 1.0f : 0.0f; });
            case UnaryOp::gelu_curvature:
                return map_eigen(px, py, n, [](const ConstArrayMap& v, ArrayMap& o) {
                    o = kRsqrt2Pi * (-0.5f * v * v).exp() * (2.0f - v * v);
                });
        }
        throw std::invalid_argument("unary: unknown op");
    }

    void binary(BinaryOp op, const BroadcastGeometry& g, const Storage& a, const Storage& b,
                Storage& out) const override {
        const float* pa = f32(a);
        const float* pb = f32(b);
        float* po = f32(out);
        switch (op) {
            case BinaryOp::add:
                return broadcast_binary(g, pa, pb, po, [](float u, float v) { return u + v; });
            case BinaryOp::sub:
                return broadcast_binary(g, pa, pb, po, [](float u, float v) { return u - v; });
            case BinaryOp::mul:
                return broadcast_binary(g, pa, pb, po, [](float u, float v) { return u * v; });
            case BinaryOp::div:
                return broadcast_binary(g, pa, pb, po, [](float u, float v) { return u / v; });
        }
        throw std::invalid_argument("binary: unknown op");
    }

    void activation_forward(ActivationOp f, float slope, const Storage& x, Storage& y,
                            int64_t n) const override {
        const float* px = f32(x);
        float* py = f32(y);
        switch (f) {
            case ActivationOp::relu:
            case ActivationOp::leaky_relu:
                // max(v, 0) + slope * min(v, 0) is exactly v > 0 ? v : slope * v (NaN stays
                // NaN), written so that GCC vectorizes it; the ternary form compiles to a
                // branch. relu gets plain max so that relu(-inf) is 0, not 0 * -inf.
                if (f == ActivationOp::relu || slope == 0.0f)
                    return map1(px, py, n, [](float v) { return std::max(v, 0.0f); });
                return map1(px, py, n, [slope](float v) {
                    return std::max(v, 0.0f) + slope * std::min(v, 0.0f);
                });
            case ActivationOp::tanh:
                return map_eigen(px, py, n,
                                 [](const ConstArrayMap& v, ArrayMap& o) { o = v.tanh(); });
            case ActivationOp::sigmoid:
                // For very negative x, exp(-x) overflows to inf and the result is 0, the
                // right limit; elsewhere 1 + exp(-x) keeps the relative precision of tiny
                // outputs, so no split by sign (and no per-element select, which Eigen 3.4
                // does not vectorize) is needed.
                return map_eigen(px, py, n, [](const ConstArrayMap& v, ArrayMap& o) {
                    o = (1.0f + (-v).exp()).inverse();
                });
            case ActivationOp::gelu:
                return map_eigen(px, py, n, [](const ConstArrayMap& v, ArrayMap& o) {
                    o = 0.5f * v * (1.0f + (v * kRsqrt2).erf());
                });
        }
        throw std::invalid_argument("activation_forward: unknown activation");
    }

    void activation_backward(ActivationOp f, float slope, const Storage& g, const Storage& saved,
                             Storage& dx, int64_t n) const override {
        const float* pg = f32(g);
        const float* ps = f32(saved);
        float* po = f32(dx);
        switch (f) {
            case ActivationOp::relu:
            case ActivationOp::leaky_relu:
                if (f == ActivationOp::relu || slope == 0.0f)
                    return map2(pg, ps, po, n,
                                [](float gi, float xi) { return blend(xi > 0.0f, gi, 0.0f); });
                return map2(pg, ps, po, n, [slope](float gi, float xi) {
                    return blend(xi > 0.0f, gi, gi * slope);
                });
            case ActivationOp::tanh:
                return map2(pg, ps, po, n,
                            [](float gi, float yi) { return gi * (1.0f - yi * yi); });
            case ActivationOp::sigmoid:
                return map2(pg, ps, po, n,
                            [](float gi, float yi) { return gi * yi * (1.0f - yi); });
            case ActivationOp::gelu:
                parallel_for(n, kGrain, [&](int64_t s, int64_t e) {
                    ConstArrayMap gv(pg + s, e - s), xv(ps + s, e - s);
                    ArrayMap o(po + s, e - s);
                    o = gv * (0.5f * (1.0f + (xv * kRsqrt2).erf()) +
                              xv * kRsqrt2Pi * (-0.5f * xv * xv).exp());
                });
                return;
        }
        throw std::invalid_argument("activation_backward: unknown activation");
    }
};

}  // namespace

const ElementwiseKernels& cpu_elementwise_kernels() {
    static const CpuElementwiseKernels kernels;
    return kernels;
}

}  // namespace ganvas::cpu
