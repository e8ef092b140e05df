#include "ops/elementwise.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "backend/elementwise_kernels.h"
#include "ops/dispatch.h"
#include "ops/reduce.h"
#include "tape/tape.h"

namespace ganvas {
namespace {

void require_f32(const Tensor& t, const char* op) {
    if (!t.defined()) throw std::invalid_argument(std::string(op) + ": undefined tensor");
    if (t.dtype() != DType::f32) throw std::invalid_argument(std::string(op) + ": expects float32");
}

// Where each element of `shape` sits when broadcast to the output's rank:
// C-order strides, 0 along the dimensions it has size 1 in or lacks.
std::vector<int64_t> broadcast_strides(const Shape& shape, size_t rank) {
    std::vector<int64_t> st(rank, 0);
    int64_t stride = 1;
    for (int64_t i = static_cast<int64_t>(rank) - 1, j = static_cast<int64_t>(shape.size()) - 1;
         j >= 0; --i, --j) {
        st[i] = shape[j] == 1 ? 0 : stride;
        stride *= shape[j];
    }
    return st;
}

// a (op) b over the broadcast shape, on the operands' device.
Tensor binary_op(const Tensor& a, const Tensor& b, const char* name, BinaryOp op) {
    require_f32(a, name);
    require_f32(b, name);
    Backend& be = dispatch(name, {a, b});
    BroadcastGeometry g;
    g.sizes = broadcast_shapes(a.shape(), b.shape());
    g.a_strides = broadcast_strides(a.shape(), g.sizes.size());
    g.b_strides = broadcast_strides(b.shape(), g.sizes.size());
    Tensor out = empty_on(a, g.sizes);
    be.elementwise().binary(op, g, a.storage(), b.storage(), out.storage());
    return out;
}

Tensor unary_op(const Tensor& a, const char* name, UnaryOp op, float p0 = 0.0f, float p1 = 0.0f) {
    require_f32(a, name);
    Backend& be = dispatch(name, {a});
    Tensor out = empty_on(a, a.shape());
    be.elementwise().unary(op, p0, p1, a.storage(), out.storage(), a.numel());
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
    Tensor out = binary_op(a, b, "add", BinaryOp::add);
    return record("add", out, {a, b},
                  [sa = a.shape(), sb = b.shape()](const Tensor& g, const std::vector<bool>& need) {
                      return std::vector<Tensor>{need[0] ? sum_to(g, sa) : Tensor(),
                                                 need[1] ? sum_to(g, sb) : Tensor()};
                  });
}

Tensor sub(const Tensor& a, const Tensor& b) {
    Tensor out = binary_op(a, b, "sub", BinaryOp::sub);
    return record("sub", out, {a, b},
                  [sa = a.shape(), sb = b.shape()](const Tensor& g, const std::vector<bool>& need) {
                      return std::vector<Tensor>{need[0] ? sum_to(g, sa) : Tensor(),
                                                 need[1] ? sum_to(neg(g), sb) : Tensor()};
                  });
}

Tensor mul(const Tensor& a, const Tensor& b) {
    Tensor out = binary_op(a, b, "mul", BinaryOp::mul);
    return record("mul", out, {a, b}, [a, b](const Tensor& g, const std::vector<bool>& need) {
        return std::vector<Tensor>{need[0] ? sum_to(mul(g, b), a.shape()) : Tensor(),
                                   need[1] ? sum_to(mul(g, a), b.shape()) : Tensor()};
    });
}

Tensor div(const Tensor& a, const Tensor& b) {
    Tensor out = binary_op(a, b, "div", BinaryOp::div);
    return record("div", out, {a, b}, [a, b](const Tensor& g, const std::vector<bool>& need) {
        Tensor ga, gb;
        if (need[0]) ga = sum_to(div(g, b), a.shape());
        if (need[1]) gb = sum_to(neg(div(mul(g, a), mul(b, b))), b.shape());
        return std::vector<Tensor>{ga, gb};
    });
}

Tensor add_scalar(const Tensor& a, float s) {
    Tensor out = unary_op(a, "add_scalar", UnaryOp::add_scalar, s);
    return record("add_scalar", out, {a},
                  [](const Tensor& g, const std::vector<bool>&) { return std::vector<Tensor>{g}; });
}

Tensor mul_scalar(const Tensor& a, float s) {
    Tensor out = unary_op(a, "mul_scalar", UnaryOp::mul_scalar, s);
    return record("mul_scalar", out, {a}, [s](const Tensor& g, const std::vector<bool>&) {
        return std::vector<Tensor>{mul_scalar(g, s)};
    });
}

Tensor neg(const Tensor& a) {
    return mul_scalar(a, -1.0f);
}

Tensor pow_scalar(const Tensor& a, float p) {
    Tensor out = unary_op(a, "pow", UnaryOp::pow, p);
    return record("pow", out, {a}, [a, p](const Tensor& g, const std::vector<bool>&) {
        Tensor d = p == 2.0f ? mul_scalar(a, 2.0f) : mul_scalar(pow_scalar(a, p - 1.0f), p);
        return std::vector<Tensor>{mul(g, d)};
    });
}

Tensor sqrt(const Tensor& a) {
    Tensor out = unary_op(a, "sqrt", UnaryOp::sqrt);
    return record("sqrt", out, {a},
                  [out = out.detach(), a](const Tensor& g, const std::vector<bool>&) {
                      // d sqrt(a) = 1 / (2 sqrt(a)); recomputed from `a` when the graph must go on.
                      Tensor s = grad_mode_enabled() ? sqrt(a) : out;
                      return std::vector<Tensor>{div(g, mul_scalar(s, 2.0f))};
                  });
}

Tensor exp(const Tensor& a) {
    Tensor out = unary_op(a, "exp", UnaryOp::exp);
    return record("exp", out, {a},
                  [out = out.detach(), a](const Tensor& g, const std::vector<bool>&) {
                      Tensor e = grad_mode_enabled() ? exp(a) : out;
                      return std::vector<Tensor>{mul(g, e)};
                  });
}

Tensor log(const Tensor& a) {
    Tensor out = unary_op(a, "log", UnaryOp::log);
    return record("log", out, {a}, [a](const Tensor& g, const std::vector<bool>&) {
        return std::vector<Tensor>{div(g, a)};
    });
}

Tensor abs(const Tensor& a) {
    Tensor out = unary_op(a, "abs", UnaryOp::abs);
    return record("abs", out, {a}, [a](const Tensor& g, const std::vector<bool>&) {
        return std::vector<Tensor>{mul(g, sign(a))};
    });
}

Tensor sign(const Tensor& a) {
    return unary_op(a, "sign", UnaryOp::sign);
}

Tensor clamp(const Tensor& a, float lo, float hi) {
    Tensor out = unary_op(a, "clamp", UnaryOp::clamp, lo, hi);
    return record("clamp", out, {a}, [a, lo, hi](const Tensor& g, const std::vector<bool>&) {
        // Gradient passes where lo <= a <= hi, as torch.clamp.
        Tensor inside = unary_op(a, "clamp_mask", UnaryOp::clamp_mask, lo, hi);
        return std::vector<Tensor>{mul(g, inside)};
    });
}

}  // namespace ganvas
