// NumPy .npy files: the interchange format for arrays (noise z, samples, golden outputs).
//
// Written files are version 1.0 and byte-for-byte what numpy 1.24's np.save writes,
// so they diff cleanly against files made by Python. Reading accepts versions
// 1.0, 2.0 and 3.0.
#pragma once

#include <string>

#include "tensor/tensor.h"

namespace ganvas {

// Writes a float32 ('<f4') or int64 ('<i8') tensor, C order, any shape including ().
// Atomic: on failure nothing is left at `path` (see io/atomic_file.h).
void save_npy(const std::string& path, const Tensor& t);

// Reads '<f4' as float32, '<i8' as int64 and '<f8' (numpy's default float) as
// float32. C order only. Throws std::runtime_error naming `path` for a missing
// file, bad magic, unsupported version or dtype, Fortran order, a malformed
// header, or data that is shorter or longer than the header promises.
Tensor load_npy(const std::string& path);

}  // namespace ganvas
