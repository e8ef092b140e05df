// UpdateKernels: In-place weight writes: optimizer steps, weight clipping, EMA codebook updates,
// dead-code restarts, spectral-norm power iteration.
//
// Storage and sizes in, no Tensors: the op in core/ops checks shapes and
// records the gradient, the backend only computes. Every backend implements
// every entry; the CPU one in backend/cpu/cpu_update.cpp.
#pragma once

#include <cstdint>

#include "backend/storage.h"

namespace ganvas {

class UpdateKernels {
public:
    virtual ~UpdateKernels() = default;
};

}  // namespace ganvas
