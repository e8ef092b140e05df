// LayoutKernels: Copies that move elements: permute, cat, slice, gather/scatter, embedding lookup,
// nearest-code quantization.
//
// Storage and sizes in, no Tensors: the op in core/ops checks shapes and
// records the gradient, the backend only computes. Every backend implements
// every entry; the CPU one in backend/cpu/cpu_layout.cpp.
#pragma once

#include <cstdint>

#include "backend/storage.h"

namespace ganvas {

class LayoutKernels {
public:
    virtual ~LayoutKernels() = default;
};

}  // namespace ganvas
