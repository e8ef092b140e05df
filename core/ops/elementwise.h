// Element-wise arithmetic with NumPy/PyTorch broadcasting, and unary maths.
#pragma once

#include "tensor/tensor.h"

namespace ganvas {

// Binary ops broadcast their shapes as PyTorch does (align from the right).
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);

Tensor add_scalar(const Tensor& a, float s);
Tensor mul_scalar(const Tensor& a, float s);
Tensor neg(const Tensor& a);
Tensor pow_scalar(const Tensor& a, float p);  // a^p
Tensor sqrt(const Tensor& a);
Tensor exp(const Tensor& a);
Tensor log(const Tensor& a);
Tensor abs(const Tensor& a);
Tensor sign(const Tensor& a);  // no gradient (zero almost everywhere)
Tensor clamp(const Tensor& a, float lo, float hi);

Shape broadcast_shapes(const Shape& a, const Shape& b);  // throws on mismatch

inline Tensor operator+(const Tensor& a, const Tensor& b) {
    return add(a, b);
}
inline Tensor operator-(const Tensor& a, const Tensor& b) {
    return sub(a, b);
}
inline Tensor operator*(const Tensor& a, const Tensor& b) {
    return mul(a, b);
}
inline Tensor operator/(const Tensor& a, const Tensor& b) {
    return div(a, b);
}
inline Tensor operator-(const Tensor& a) {
    return neg(a);
}
inline Tensor operator+(const Tensor& a, float s) {
    return add_scalar(a, s);
}
inline Tensor operator-(const Tensor& a, float s) {
    return add_scalar(a, -s);
}
inline Tensor operator*(const Tensor& a, float s) {
    return mul_scalar(a, s);
}
inline Tensor operator*(float s, const Tensor& a) {
    return mul_scalar(a, s);
}

}  // namespace ganvas
