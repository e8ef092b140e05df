// ElementwiseKernels: Element-wise arithmetic with broadcasting, unary maths and activations,
// forward and backward.
//
// Storage and sizes in, no Tensors: the op in core/ops checks shapes and
// records the gradient, the backend only computes. Every backend implements
// every entry; the CPU one in backend/cpu/cpu_elementwise.cpp.
#pragma once

#include <cstdint>

#include "backend/storage.h"

namespace ganvas {

class ElementwiseKernels {
public:
    virtual ~ElementwiseKernels() = default;
};

}  // namespace ganvas
