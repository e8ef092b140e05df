// IDX files, the format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/).
//
// Layout: two zero bytes, a type code (0x08 = unsigned byte), the rank, then one
// big-endian u32 per dimension, then the values in C order. Files may be gzipped;
// zlib's gzread reads both plain and gzipped files, so no extension sniffing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace ganvas {

// The raw payload: datasets decide how bytes become pixels or labels.
struct IdxArray {
    Shape shape;                 // e.g. (60000, 28, 28) images or (60000,) labels
    std::vector<uint8_t> bytes;  // shape_numel(shape) values, C order
};

// Reads an unsigned-byte IDX file of rank 1 to 4, plain or gzipped. Throws
// std::runtime_error naming `path` for a missing file, bad magic, another type code,
// a bad rank, corrupt gzip data, or data shorter or longer than the header declares.
IdxArray read_idx(const std::string& path);

}  // namespace ganvas
