#include "tensor/tensor.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <sstream>
#include <stdexcept>

#include "autograd/autograd.h"
#include "tensor/checked_math.h"
#include "tensor/limits.h"

namespace ganvas {

int64_t shape_numel(const Shape& s) {
    try {
        return checked_numel(s);
    } catch (const std::exception& e) {
        throw std::invalid_argument(std::string(e.what()) + " in shape " + shape_str(s));
    }
}

std::string shape_str(const Shape& s) {
    std::string out = "(";
    for (size_t i = 0; i < s.size(); ++i) {
        if (i) out += ", ";
        out += std::to_string(s[i]);
    }
    if (s.size() == 1) out += ",";
    return out + ")";
}

std::string number_str(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

size_t dtype_size(DType d) {
    return d == DType::f32 ? 4 : 8;
}
const char* dtype_name(DType d) {
    return d == DType::f32 ? "float32" : "int64";
}

Storage::Storage(size_t bytes) : bytes_(bytes) {
    size_t rounded = (bytes + 63) / 64 * 64;
    data_ = std::aligned_alloc(64, rounded == 0 ? 64 : rounded);
    if (!data_) throw std::bad_alloc();
}

Storage::~Storage() {
    std::free(data_);
}

// -- construction -----------------------------------------------------------

Tensor Tensor::empty(const Shape& shape, DType dtype) {
    auto impl = std::make_shared<TensorImpl>();
    impl->shape = shape;
    impl->dtype = dtype;
    impl->numel = check_tensor_shape(shape);  // before the allocation it sizes
    impl->storage = std::make_shared<Storage>(static_cast<size_t>(impl->numel) * dtype_size(dtype));
    return Tensor(std::move(impl));
}

Tensor Tensor::zeros(const Shape& shape, DType dtype) {
    Tensor t = empty(shape, dtype);
    std::memset(t.raw(), 0, t.numel() * dtype_size(dtype));
    return t;
}

Tensor Tensor::ones(const Shape& shape) {
    return full(shape, 1.0f);
}

Tensor Tensor::full(const Shape& shape, float value) {
    Tensor t = empty(shape);
    t.fill_(value);
    return t;
}

Tensor Tensor::scalar(float value) {
    return full({}, value);
}

Tensor Tensor::from_vector(const Shape& shape, const std::vector<float>& values) {
    Tensor t = empty(shape);
    if (static_cast<int64_t>(values.size()) != t.numel())
        throw std::invalid_argument("from_vector: " + std::to_string(values.size()) +
                                    " values for shape " + shape_str(shape));
    if (!values.empty()) std::memcpy(t.data(), values.data(), values.size() * sizeof(float));
    return t;
}

Tensor Tensor::from_vector_i64(const Shape& shape, const std::vector<int64_t>& values) {
    Tensor t = empty(shape, DType::i64);
    if (static_cast<int64_t>(values.size()) != t.numel())
        throw std::invalid_argument("from_vector_i64: " + std::to_string(values.size()) +
                                    " values for shape " + shape_str(shape));
    if (!values.empty()) std::memcpy(t.data_i64(), values.data(), values.size() * sizeof(int64_t));
    return t;
}

Tensor make_view(const Tensor& base, const Shape& shape) {
    if (shape_numel(shape) != base.numel())
        throw std::invalid_argument("cannot view shape " + shape_str(base.shape()) + " as " +
                                    shape_str(shape));
    auto impl = std::make_shared<TensorImpl>();
    impl->shape = shape;
    impl->dtype = base.dtype();
    impl->device = base.device();
    impl->numel = base.numel();
    impl->storage = base.impl()->storage;
    return Tensor(std::move(impl));
}

std::string first_non_finite(const Tensor& t) {
    if (!t.defined() || t.dtype() != DType::f32 || t.device() != Device::cpu) return "";
    const float* p = t.data();
    for (int64_t i = 0; i < t.numel(); ++i) {
        if (std::isfinite(p[i])) continue;
        Shape index(t.shape().size());
        for (int64_t d = static_cast<int64_t>(index.size()) - 1, rest = i; d >= 0; --d) {
            index[d] = rest % t.size(d);
            rest /= t.size(d);
        }
        const char* what = std::isnan(p[i]) ? "NaN" : p[i] > 0 ? "inf" : "-inf";
        return std::string(what) + " at index " + (index.empty() ? "()" : shape_str(index));
    }
    return "";
}

// -- metadata ---------------------------------------------------------------

static TensorImpl& checked(const std::shared_ptr<TensorImpl>& impl) {
    if (!impl) throw std::logic_error("use of an undefined tensor");
    return *impl;
}

const Shape& Tensor::shape() const {
    return checked(impl_).shape;
}

int64_t Tensor::size(int64_t d) const {
    int64_t n = dim();
    if (d < 0) d += n;
    if (d < 0 || d >= n)
        throw std::out_of_range("dimension " + std::to_string(d) + " out of range for shape " +
                                shape_str(shape()));
    return shape()[d];
}

int64_t Tensor::numel() const {
    return checked(impl_).numel;
}
DType Tensor::dtype() const {
    return checked(impl_).dtype;
}
Device Tensor::device() const {
    return checked(impl_).device;
}

// -- data -------------------------------------------------------------------

float* Tensor::data() {
    if (dtype() != DType::f32) throw std::logic_error("data(): tensor is not float32");
    return static_cast<float*>(impl_->storage->data());
}
const float* Tensor::data() const {
    return const_cast<Tensor*>(this)->data();
}

int64_t* Tensor::data_i64() {
    if (dtype() != DType::i64) throw std::logic_error("data_i64(): tensor is not int64");
    return static_cast<int64_t*>(impl_->storage->data());
}
const int64_t* Tensor::data_i64() const {
    return const_cast<Tensor*>(this)->data_i64();
}

void* Tensor::raw() {
    return checked(impl_).storage->data();
}
const void* Tensor::raw() const {
    return checked(impl_).storage->data();
}

float Tensor::item() const {
    if (numel() != 1)
        throw std::logic_error("item(): tensor has " + std::to_string(numel()) + " elements");
    return dtype() == DType::f32 ? data()[0] : static_cast<float>(data_i64()[0]);
}

std::vector<float> Tensor::to_vector() const {
    const float* p = data();
    return std::vector<float>(p, p + numel());
}

Tensor Tensor::clone() const {
    Tensor t = empty(shape(), dtype());
    std::memcpy(t.raw(), raw(), numel() * dtype_size(dtype()));
    return t;
}

Tensor Tensor::detach() const {
    return make_view(*this, shape());
}

void Tensor::copy_(const Tensor& src) {
    if (src.numel() != numel() || src.dtype() != dtype())
        throw std::invalid_argument("copy_: " + shape_str(src.shape()) + " " +
                                    dtype_name(src.dtype()) + " into " + shape_str(shape()) + " " +
                                    dtype_name(dtype()));
    if (src.raw() != raw()) std::memcpy(raw(), src.raw(), numel() * dtype_size(dtype()));
}

void Tensor::fill_(float value) {
    float* p = data();
    for (int64_t i = 0, n = numel(); i < n; ++i) p[i] = value;
}

// -- autograd ---------------------------------------------------------------

bool Tensor::requires_grad() const {
    return checked(impl_).requires_grad;
}

Tensor& Tensor::requires_grad_(bool on) {
    if (checked(impl_).grad_fn && !on)
        throw std::logic_error("requires_grad_(false) on a non-leaf tensor; use detach()");
    if (on && dtype() != DType::f32) throw std::logic_error("only float tensors can require grad");
    impl_->requires_grad = on;
    return *this;
}

Tensor Tensor::grad() const {
    return checked(impl_).grad;
}
void Tensor::set_grad(const Tensor& g) {
    checked(impl_).grad = g;
}
void Tensor::zero_grad() {
    checked(impl_).grad = Tensor();
}
const std::shared_ptr<Node>& Tensor::grad_fn() const {
    return checked(impl_).grad_fn;
}

void Tensor::set_grad_fn(std::shared_ptr<Node> fn) {
    checked(impl_).grad_fn = std::move(fn);
    impl_->requires_grad = impl_->grad_fn != nullptr;
}

bool Tensor::is_leaf() const {
    return checked(impl_).grad_fn == nullptr;
}

void Tensor::backward(const Tensor& gradient) const {
    ganvas::backward({*this},
                     gradient.defined() ? std::vector<Tensor>{gradient} : std::vector<Tensor>{});
}

std::string Tensor::str(int max_values) const {
    if (!defined()) return "Tensor(undefined)";
    std::ostringstream os;
    os << "Tensor" << shape_str(shape()) << " " << dtype_name(dtype()) << " [";
    for (int64_t i = 0; i < numel() && i < max_values; ++i) {
        if (i) os << ", ";
        if (dtype() == DType::f32)
            os << data()[i];
        else
            os << data_i64()[i];
    }
    if (numel() > max_values) os << ", ...";
    os << "]";
    return os.str();
}

}  // namespace ganvas
