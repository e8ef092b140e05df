// How an op reaches its kernels: the backend of the device its tensors share.
//
//   Backend& be = dispatch("conv2d", {x, w, b});
//   Tensor y = empty_like_device(x, shape);        // on the same device
//   be.linear().conv2d_forward(g, x.storage(), w.storage(), optional(b), y.storage());
#pragma once

#include <initializer_list>

#include "backend/backend.h"
#include "tensor/tensor.h"

namespace ganvas {

// Checks that the defined tensors among `tensors` live on one device (throws
// std::invalid_argument naming `op` and both devices where not), notes `op`
// as the current op for messages, and returns that device's backend (the
// CPU's when none is defined).
Backend& dispatch(const char* op, std::initializer_list<Tensor> tensors);

// A new f32 tensor of `shape` on `like`'s device.
Tensor empty_on(const Tensor& like, const Shape& shape, DType dtype = DType::f32);
Tensor zeros_on(const Tensor& like, const Shape& shape, DType dtype = DType::f32);

// A defined tensor's storage, or null: for kernels' optional operands (a bias).
inline const Storage* optional_storage(const Tensor& t) {
    return t.defined() ? &t.storage() : nullptr;
}

}  // namespace ganvas
