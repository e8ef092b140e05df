// NormKernels: Batch and layer normalization, forward and backward.
//
// Storage and sizes in, no Tensors: the op in core/ops checks shapes and
// records the gradient, the backend only computes. Every backend implements
// every entry; the CPU one in backend/cpu/cpu_norm.cpp.
#pragma once

#include <cstdint>

#include "backend/storage.h"

namespace ganvas {

class NormKernels {
public:
    virtual ~NormKernels() = default;
};

}  // namespace ganvas
