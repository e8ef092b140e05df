// ReduceKernels: Reductions (sum, mean, max over dimensions), softmax, losses and attention.
//
// Storage and sizes in, no Tensors: the op in core/ops checks shapes and
// records the gradient, the backend only computes. Every backend implements
// every entry; the CPU one in backend/cpu/cpu_reduce.cpp.
#pragma once

#include <cstdint>

#include "backend/storage.h"

namespace ganvas {

class ReduceKernels {
public:
    virtual ~ReduceKernels() = default;
};

}  // namespace ganvas
