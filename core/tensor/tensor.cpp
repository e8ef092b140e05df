#include "tensor/tensor.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <sstream>
#include <stdexcept>

#include "backend/backend.h"
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
    // Whole numbers in full, as a user typed them ("between 1 and 1000000", not
    // "1e+06"), while doubles still hold them exactly; the rest in %g.
    if (v == std::trunc(v) && std::fabs(v) < 1e15)
        std::snprintf(buf, sizeof buf, "%.0f", v);
    else
        std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

size_t dtype_size(DType d) {
    return d == DType::f32 ? 4 : 8;
}
const char* dtype_name(DType d) {
    return d == DType::f32 ? "float32" : "int64";
}

// -- construction -----------------------------------------------------------

Tensor Tensor::empty(const Shape& shape, DType dtype, Device device) {
    auto impl = std::make_shared<TensorImpl>();
    impl->shape = shape;
    impl->dtype = dtype;
    impl->device = device;
    impl->numel = check_tensor_shape(shape);  // before the allocation it sizes
    impl->storage =
        backend_for(device).allocate(static_cast<size_t>(impl->numel) * dtype_size(dtype));
    return Tensor(std::move(impl));
}

Tensor Tensor::zeros(const Shape& shape, DType dtype, Device device) {
    Tensor t = empty(shape, dtype, device);
    backend_for(device).zero(t.storage(), t.numel() * dtype_size(dtype));
    return t;
}

Tensor Tensor::ones(const Shape& shape, Device device) {
    return full(shape, 1.0f, device);
}

Tensor Tensor::full(const Shape& shape, float value, Device device) {
    Tensor t = empty(shape, DType::f32, device);
    t.fill_(value);
    return t;
}

Tensor Tensor::scalar(float value, Device device) {
    return full({}, value, device);
}

Tensor Tensor::from_vector(const Shape& shape, const std::vector<float>& values, Device device) {
    Tensor t = empty(shape, DType::f32, device);
    if (static_cast<int64_t>(values.size()) != t.numel())
        throw std::invalid_argument("from_vector: " + std::to_string(values.size()) +
                                    " values for shape " + shape_str(shape));
    backend_for(device).upload(t.storage(), 0, values.data(), values.size() * sizeof(float));
    return t;
}

Tensor Tensor::from_vector_i64(const Shape& shape, const std::vector<int64_t>& values,
                               Device device) {
    Tensor t = empty(shape, DType::i64, device);
    if (static_cast<int64_t>(values.size()) != t.numel())
        throw std::invalid_argument("from_vector_i64: " + std::to_string(values.size()) +
                                    " values for shape " + shape_str(shape));
    backend_for(device).upload(t.storage(), 0, values.data(), values.size() * sizeof(int64_t));
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
    if (!t.defined() || t.dtype() != DType::f32) return "";
    const std::vector<float> values = t.to_vector();
    const float* p = values.data();
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

Storage& Tensor::storage() {
    return *checked(impl_).storage;
}
const Storage& Tensor::storage() const {
    return *checked(impl_).storage;
}

float Tensor::item() const {
    if (numel() != 1)
        throw std::logic_error("item(): tensor has " + std::to_string(numel()) + " elements");
    if (dtype() == DType::f32) return to_vector()[0];
    return static_cast<float>(to_vector_i64()[0]);
}

std::vector<float> Tensor::to_vector() const {
    if (dtype() != DType::f32) throw std::logic_error("to_vector(): tensor is not float32");
    std::vector<float> out(static_cast<size_t>(numel()));
    backend_for(device()).download(storage(), 0, out.data(), out.size() * sizeof(float));
    return out;
}

std::vector<int64_t> Tensor::to_vector_i64() const {
    if (dtype() != DType::i64) throw std::logic_error("to_vector_i64(): tensor is not int64");
    std::vector<int64_t> out(static_cast<size_t>(numel()));
    backend_for(device()).download(storage(), 0, out.data(), out.size() * sizeof(int64_t));
    return out;
}

Tensor Tensor::clone() const {
    Tensor t = empty(shape(), dtype(), device());
    backend_for(device()).copy(storage(), t.storage(), numel() * dtype_size(dtype()));
    return t;
}

Tensor Tensor::detach() const {
    return make_view(*this, shape());
}

// dst = src, byte for byte, wherever the two live.
static void transfer(const Storage& src, Storage& dst, size_t bytes) {
    if (&src == &dst || bytes == 0) return;
    if (src.device() == dst.device()) {
        backend_for(src.device()).copy(src, dst, bytes);
    } else if (src.device() == Device::cpu) {
        backend_for(dst.device()).upload(dst, 0, src.data(), bytes);
    } else if (dst.device() == Device::cpu) {
        backend_for(src.device()).download(src, 0, dst.data(), bytes);
    } else {
        std::vector<char> host(bytes);
        backend_for(src.device()).download(src, 0, host.data(), bytes);
        backend_for(dst.device()).upload(dst, 0, host.data(), bytes);
    }
}

void Tensor::copy_(const Tensor& src) {
    if (src.numel() != numel() || src.dtype() != dtype())
        throw std::invalid_argument("copy_: " + shape_str(src.shape()) + " " +
                                    dtype_name(src.dtype()) + " into " + shape_str(shape()) + " " +
                                    dtype_name(dtype()));
    transfer(src.storage(), storage(), numel() * dtype_size(dtype()));
}

void Tensor::fill_(float value) {
    if (dtype() != DType::f32) throw std::logic_error("fill_(): tensor is not float32");
    backend_for(device()).fill(storage(), value, static_cast<size_t>(numel()));
}

Tensor Tensor::to(Device target) const {
    if (device() == target) return *this;
    Tensor t = empty(shape(), dtype(), target);
    transfer(storage(), t.storage(), numel() * dtype_size(dtype()));
    return t;
}

void Tensor::to_(Device target) {
    if (device() == target) return;
    if (!is_leaf()) throw std::logic_error("to_(): only leaf tensors move in place");
    Tensor moved = to(target);
    impl_->storage = moved.impl_->storage;
    impl_->device = target;
    if (impl_->grad.defined()) impl_->grad = impl_->grad.to(target);
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

// Tensor::backward is defined with the engine, in autograd/autograd.cpp.

std::string Tensor::str(int max_values) const {
    if (!defined()) return "Tensor(undefined)";
    std::ostringstream os;
    os << "Tensor" << shape_str(shape()) << " " << dtype_name(dtype());
    if (device() != Device::cpu) os << " " << device_name(device());
    os << " [";
    const Tensor host = to(Device::cpu);
    for (int64_t i = 0; i < numel() && i < max_values; ++i) {
        if (i) os << ", ";
        if (dtype() == DType::f32)
            os << host.data()[i];
        else
            os << host.data_i64()[i];
    }
    if (numel() > max_values) os << ", ...";
    os << "]";
    return os.str();
}

}  // namespace ganvas
