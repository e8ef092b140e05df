#include "ops/dispatch.h"

#include <stdexcept>
#include <string>

#include "backend/op_profile.h"

namespace ganvas {

Backend& dispatch(const char* op, std::initializer_list<Tensor> tensors) {
    const Tensor* first = nullptr;
    for (const Tensor& t : tensors) {
        if (!t.defined()) continue;
        if (!first) {
            first = &t;
        } else if (t.device() != first->device()) {
            throw std::invalid_argument(std::string(op) + ": tensors on different devices (" +
                                        device_name(first->device()) + " and " +
                                        device_name(t.device()) + ")");
        }
    }
    set_current_op(op);
    note_op_start(op);
    return backend_for(first ? first->device() : Device::cpu);
}

Tensor empty_on(const Tensor& like, const Shape& shape, DType dtype) {
    return Tensor::empty(shape, dtype, like.device());
}

Tensor zeros_on(const Tensor& like, const Shape& shape, DType dtype) {
    return Tensor::zeros(shape, dtype, like.device());
}

}  // namespace ganvas
