// Tensor: a shared, contiguous storage with a shape, a dtype and a device.
//
// Copying a Tensor copies a handle (like torch.Tensor); clone() copies data.
// Every tensor is contiguous in C order, so reshape shares storage and
// permute copies. Autograd state (requires_grad, grad, grad_fn) lives in the
// shared impl, so all handles to one tensor see the same gradient.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "backend/device.h"
#include "backend/storage.h"

namespace ganvas {

enum class DType { f32, i64 };

using Shape = std::vector<int64_t>;

int64_t shape_numel(const Shape& s);
std::string shape_str(const Shape& s);  // "(64, 1, 28, 28)"
// A number for messages, as short as printf's %g: 1e-06, 0.1, 3, 1e+06 (not 0.000001).
std::string number_str(double v);
size_t dtype_size(DType d);
const char* dtype_name(DType d);

struct Node;  // tape/tape.h
struct TensorImpl;

class Tensor {
public:
    Tensor() = default;  // undefined tensor (no impl): "no gradient" in backward rules

    // -- construction -------------------------------------------------------
    static Tensor empty(const Shape& shape, DType dtype = DType::f32, Device device = Device::cpu);
    static Tensor zeros(const Shape& shape, DType dtype = DType::f32, Device device = Device::cpu);
    static Tensor ones(const Shape& shape, Device device = Device::cpu);
    static Tensor full(const Shape& shape, float value, Device device = Device::cpu);
    static Tensor scalar(float value, Device device = Device::cpu);  // shape ()
    static Tensor from_vector(const Shape& shape, const std::vector<float>& values,
                              Device device = Device::cpu);
    static Tensor from_vector_i64(const Shape& shape, const std::vector<int64_t>& values,
                                  Device device = Device::cpu);

    // -- metadata -----------------------------------------------------------
    bool defined() const { return impl_ != nullptr; }
    const Shape& shape() const;
    int64_t dim() const { return static_cast<int64_t>(shape().size()); }
    int64_t size(int64_t d) const;  // negative d counts from the end
    int64_t numel() const;
    DType dtype() const;
    Device device() const;

    // -- data ---------------------------------------------------------------
    // Host pointers: CPU tensors only (a GPU tensor's throws, naming the op).
    // item(), to_vector(), str() and the copies below work on every device.
    float* data();  // f32 only
    const float* data() const;
    int64_t* data_i64();  // i64 only
    const int64_t* data_i64() const;
    void* raw();
    const void* raw() const;
    float item() const;                          // one-element tensor, read back from its device
    std::vector<float> to_vector() const;        // f32, read back from its device
    std::vector<int64_t> to_vector_i64() const;  // i64, read back from its device
    Tensor clone() const;           // deep copy on the same device, no autograd history
    Tensor detach() const;          // shares data, no autograd history
    void copy_(const Tensor& src);  // in-place data copy, same numel and dtype, any devices
    void fill_(float value);
    // A copy on `device` (this tensor itself, shared, when it is already there),
    // with no autograd history.
    Tensor to(Device device) const;
    // Moves this tensor's data to `device` in place: every handle to it follows,
    // so optimizers and modules holding it stay valid. Leaves only.
    void to_(Device device);
    Storage& storage();  // for kernels
    const Storage& storage() const;

    // -- autograd -----------------------------------------------------------
    bool requires_grad() const;
    Tensor& requires_grad_(bool on = true);  // leaves only
    Tensor grad() const;                     // accumulated by backward(); undefined if none
    void set_grad(const Tensor& g);
    void zero_grad();  // drops the gradient (set_to_none)
    const std::shared_ptr<Node>& grad_fn() const;
    void set_grad_fn(std::shared_ptr<Node> fn);
    bool is_leaf() const;
    void backward(const Tensor& gradient = Tensor()) const;  // gradient defaults to 1 for scalars

    // -- identity -----------------------------------------------------------
    const TensorImpl* id() const { return impl_.get(); }
    bool same(const Tensor& o) const { return impl_ == o.impl_; }
    std::shared_ptr<TensorImpl> impl() const { return impl_; }
    explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

    std::string str(int max_values = 8) const;  // for messages and debugging

private:
    std::shared_ptr<TensorImpl> impl_;
};

struct TensorImpl {
    Shape shape;
    DType dtype = DType::f32;
    Device device = Device::cpu;  // always storage->device()
    std::shared_ptr<Storage> storage;
    int64_t numel = 0;

    bool requires_grad = false;
    Tensor grad;
    std::shared_ptr<Node> grad_fn;
};

// Wraps existing storage in a new shape (numel must match): reshape without a copy.
Tensor make_view(const Tensor& base, const Shape& shape);

// Where the first NaN or infinity of an f32 tensor sits, for messages about
// loaded files: "NaN at index (5, 0, 3, 7)"; "" when every value is finite.
std::string first_non_finite(const Tensor& t);

}  // namespace ganvas
