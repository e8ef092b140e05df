// SpatialKernels: Pooling, interpolation and pixel shuffle on NCHW images.
//
// Storage and sizes in, no Tensors: the op in core/ops checks shapes and
// records the gradient, the backend only computes. Every backend implements
// every entry; the CPU one in backend/cpu/cpu_spatial.cpp.
#pragma once

#include <cstdint>

#include "backend/storage.h"

namespace ganvas {

class SpatialKernels {
public:
    virtual ~SpatialKernels() = default;
};

}  // namespace ganvas
