// safetensors files: Ganvas checkpoints, so weights move both ways between Ganvas and PyTorch.
//
// Layout (https://github.com/huggingface/safetensors): an 8-byte little-endian
// header length N, N bytes of JSON
//   {"NAME": {"dtype": "F32"|"I64", "shape": [...], "data_offsets": [begin, end]}, ...,
//    "__metadata__": {"key": "value", ...}}      (optional, strings only)
// padded with spaces, then the raw tensor bytes; offsets count from the end of the header.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tensor/tensor.h"

namespace ganvas {

// Order matters to callers (a checkpoint lists parameters in module order), hence a vector.
using NamedTensors = std::vector<std::pair<std::string, Tensor>>;
using StringMap = std::map<std::string, std::string>;

struct SafetensorsFile {
    NamedTensors tensors;  // in the order of their data in the file
    StringMap metadata;    // "__metadata__": step counts, model names, ...
};

// Writes float32 and int64 tensors (device tensors read back first), their data in the
// given order. Names must be unique and not "__metadata__". Atomic: on failure nothing is left at
// `path`.
void save_safetensors(const std::string& path, const NamedTensors& tensors,
                      const StringMap& metadata = {});

// Reads a whole file. Throws std::runtime_error naming `path` when the file is missing,
// the header length is past the end or over 100 MB, the JSON is invalid, a dtype is not
// F32/I64, or data offsets disagree with a shape, overlap, leave holes or leave the file.
SafetensorsFile read_safetensors(const std::string& path);

// The tensors only, in file order.
NamedTensors load_safetensors(const std::string& path);

// The tensors only, by name: for loading a state dict.
std::map<std::string, Tensor> load_safetensors_map(const std::string& path);

}  // namespace ganvas
