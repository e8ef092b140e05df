#include "ops/elementwise.h"

#include <cmath>
#include <stdexcept>

#include "backend/cpu/thread_pool.h"
#include "ops/reduce.h"
#include "tape/tape.h"

namespace ganvas {
namespace {

constexpr int64_t kGrain = 1 << 15;

void require_f32(const Tensor& t, const char* op) {
    if (!t.defined()) throw std::invalid_argument(std::string(op) + ": undefined tensor");
    if (t.dtype() != DType::f32) throw std::invalid_argument(std::string(op) + ": expects float32");
}

// out[i] = f(a[ia], b[ib]) over the broadcast shape. Fast paths for equal
// shapes and a scalar side; otherwise rows of the last dimension, with each
// operand's row start found from its broadcast strides.
template <typename F>
Tensor broadcast_binary(const Tensor& a, const Tensor& b, const char* op, F f) {
    require_f32(a, op);
    require_f32(b, op);
    Shape out_shape = broadcast_shapes(a.shape(), b.shape());
    Tensor out = Tensor::empty(out_shape);
    const float* pa = a.data();
    const float* pb = b.data();
    float* po = out.data();
    const int64_t n = out.numel();
    if (a.numel() == n && b.numel() == n) {
        cpu::parallel_for(n, kGrain, [&](int64_t s, int64_t e) {
            for (int64_t i = s; i < e; ++i) po[i] = f(pa[i], pb[i]);
        });
        return out;
    }
    if (b.numel() == 1 && a.numel() == n) {
        const float vb = pb[0];
        cpu::parallel_for(n, kGrain, [&](int64_t s, int64_t e) {
            for (int64_t i = s; i < e; ++i) po[i] = f(pa[i], vb);
        });
        return out;
    }
    if (a.numel() == 1 && b.numel() == n) {
        const float va = pa[0];
        cpu::parallel_for(n, kGrain, [&](int64_t s, int64_t e) {
            for (int64_t i = s; i < e; ++i) po[i] = f(va, pb[i]);
        });
        return out;
    }
    const int64_t rank = static_cast<int64_t>(out_shape.size());
    auto strides_for = [&](const Shape& s) {
        std::vector<int64_t> st(rank, 0);
        int64_t stride = 1;
        for (int64_t i = rank - 1, j = static_cast<int64_t>(s.size()) - 1; j >= 0; --i, --j) {
            st[i] = s[j] == 1 ? 0 : stride;
            stride *= s[j];
        }
        return st;
    };
    std::vector<int64_t> sa = strides_for(a.shape()), sb = strides_for(b.shape());
    const int64_t inner = rank ? out_shape[rank - 1] : 1;
    const int64_t rows = inner ? n / inner : 0;
    const int64_t ia_step = rank ? sa[rank - 1] : 0, ib_step = rank ? sb[rank - 1] : 0;
    cpu::parallel_for(rows, std::max<int64_t>(1, kGrain / std::max<int64_t>(inner, 1)),
                      [&](int64_t r0, int64_t r1) {
                          for (int64_t r = r0; r < r1; ++r) {
                              int64_t oa = 0, ob = 0, rem = r;
                              for (int64_t d = rank - 2; d >= 0; --d) {
                                  int64_t idx = rem % out_shape[d];
                                  rem /= out_shape[d];
                                  oa += idx * sa[d];
                                  ob += idx * sb[d];
                              }
                              float* o = po + r * inner;
                              for (int64_t i = 0; i < inner; ++i)
                                  o[i] = f(pa[oa + i * ia_step], pb[ob + i * ib_step]);
                          }
                      });
    return out;
}

template <typename F>
Tensor map_unary(const Tensor& a, const char* op, F f) {
    require_f32(a, op);
    Tensor out = Tensor::empty(a.shape());
    const float* pa = a.data();
    float* po = out.data();
    cpu::parallel_for(a.numel(), kGrain, [&](int64_t s, int64_t e) {
        for (int64_t i = s; i < e; ++i) po[i] = f(pa[i]);
    });
    return out;
}

}  // namespace

Shape broadcast_shapes(const Shape& a, const Shape& b) {
    const size_t rank = std::max(a.size(), b.size());
    Shape out(rank);
    for (size_t i = 0; i < rank; ++i) {
        int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
        int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
        if (da != db && da != 1 && db != 1)
            throw std::invalid_argument("shapes " + shape_str(a) + " and " + shape_str(b) +
                                        " cannot be broadcast together");
        out[i] = da == 1 ? db : da;
    }
    return out;
}

Tensor add(const Tensor& a, const Tensor& b) {
    Tensor out = broadcast_binary(a, b, "add", [](float x, float y) { return x + y; });
    return record("add", out, {a, b},
                  [sa = a.shape(), sb = b.shape()](const Tensor& g, const std::vector<bool>& need) {
                      return std::vector<Tensor>{need[0] ? sum_to(g, sa) : Tensor(),
                                                 need[1] ? sum_to(g, sb) : Tensor()};
                  });
}

Tensor sub(const Tensor& a, const Tensor& b) {
    Tensor out = broadcast_binary(a, b, "sub", [](float x, float y) { return x - y; });
    return record("sub", out, {a, b},
                  [sa = a.shape(), sb = b.shape()](const Tensor& g, const std::vector<bool>& need) {
                      return std::vector<Tensor>{need[0] ? sum_to(g, sa) : Tensor(),
                                                 need[1] ? sum_to(neg(g), sb) : Tensor()};
                  });
}

Tensor mul(const Tensor& a, const Tensor& b) {
    Tensor out = broadcast_binary(a, b, "mul", [](float x, float y) { return x * y; });
    return record("mul", out, {a, b}, [a, b](const Tensor& g, const std::vector<bool>& need) {
        return std::vector<Tensor>{need[0] ? sum_to(mul(g, b), a.shape()) : Tensor(),
                                   need[1] ? sum_to(mul(g, a), b.shape()) : Tensor()};
    });
}

Tensor div(const Tensor& a, const Tensor& b) {
    Tensor out = broadcast_binary(a, b, "div", [](float x, float y) { return x / y; });
    return record("div", out, {a, b}, [a, b](const Tensor& g, const std::vector<bool>& need) {
        Tensor ga, gb;
        if (need[0]) ga = sum_to(div(g, b), a.shape());
        if (need[1]) gb = sum_to(neg(div(mul(g, a), mul(b, b))), b.shape());
        return std::vector<Tensor>{ga, gb};
    });
}

Tensor add_scalar(const Tensor& a, float s) {
    Tensor out = map_unary(a, "add_scalar", [s](float x) { return x + s; });
    return record("add_scalar", out, {a},
                  [](const Tensor& g, const std::vector<bool>&) { return std::vector<Tensor>{g}; });
}

Tensor mul_scalar(const Tensor& a, float s) {
    Tensor out = map_unary(a, "mul_scalar", [s](float x) { return x * s; });
    return record("mul_scalar", out, {a}, [s](const Tensor& g, const std::vector<bool>&) {
        return std::vector<Tensor>{mul_scalar(g, s)};
    });
}

Tensor neg(const Tensor& a) {
    return mul_scalar(a, -1.0f);
}

Tensor pow_scalar(const Tensor& a, float p) {
    Tensor out = p == 2.0f ? map_unary(a, "pow", [](float x) { return x * x; })
                           : map_unary(a, "pow", [p](float x) { return std::pow(x, p); });
    return record("pow", out, {a}, [a, p](const Tensor& g, const std::vector<bool>&) {
        Tensor d = p == 2.0f ? mul_scalar(a, 2.0f) : mul_scalar(pow_scalar(a, p - 1.0f), p);
        return std::vector<Tensor>{mul(g, d)};
    });
}

Tensor sqrt(const Tensor& a) {
    Tensor out = map_unary(a, "sqrt", [](float x) { return std::sqrt(x); });
    return record("sqrt", out, {a},
                  [out = out.detach(), a](const Tensor& g, const std::vector<bool>&) {
                      // d sqrt(a) = 1 / (2 sqrt(a)); recomputed from `a` when the graph must go on.
                      Tensor s = grad_mode_enabled() ? sqrt(a) : out;
                      return std::vector<Tensor>{div(g, mul_scalar(s, 2.0f))};
                  });
}

Tensor exp(const Tensor& a) {
    Tensor out = map_unary(a, "exp", [](float x) { return std::exp(x); });
    return record("exp", out, {a},
                  [out = out.detach(), a](const Tensor& g, const std::vector<bool>&) {
                      Tensor e = grad_mode_enabled() ? exp(a) : out;
                      return std::vector<Tensor>{mul(g, e)};
                  });
}

Tensor log(const Tensor& a) {
    Tensor out = map_unary(a, "log", [](float x) { return std::log(x); });
    return record("log", out, {a}, [a](const Tensor& g, const std::vector<bool>&) {
        return std::vector<Tensor>{div(g, a)};
    });
}

Tensor abs(const Tensor& a) {
    Tensor out = map_unary(a, "abs", [](float x) { return std::fabs(x); });
    return record("abs", out, {a}, [a](const Tensor& g, const std::vector<bool>&) {
        return std::vector<Tensor>{mul(g, sign(a))};
    });
}

Tensor sign(const Tensor& a) {
    return map_unary(a, "sign",
                     [](float x) { return static_cast<float>((x > 0.0f) - (x < 0.0f)); });
}

Tensor clamp(const Tensor& a, float lo, float hi) {
    Tensor out = map_unary(a, "clamp", [lo, hi](float x) { return std::min(std::max(x, lo), hi); });
    return record("clamp", out, {a}, [a, lo, hi](const Tensor& g, const std::vector<bool>&) {
        // Gradient passes where lo <= a <= hi, as torch.clamp.
        Tensor inside = map_unary(a, "clamp_mask",
                                  [lo, hi](float x) { return x >= lo && x <= hi ? 1.0f : 0.0f; });
        return std::vector<Tensor>{mul(g, inside)};
    });
}

}  // namespace ganvas
