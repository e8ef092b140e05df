// Limits on what a file or a setting may ask Ganvas to allocate, checked before the
// allocation. The README's "Limits" paragraph lists them; keep the two in step.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ganvas {

// Values in one tensor: 2^28 (1 GiB of float32) unless the environment variable
// GANVAS_MAX_TENSOR_VALUES raises it, up to kMaxTensorValuesCeiling, where byte
// offsets (values x 8) still fit in int64 with room to spare.
constexpr int64_t kDefaultMaxTensorValues = int64_t(1) << 28;
constexpr int64_t kMaxTensorValuesCeiling = int64_t(1) << 40;
int64_t max_tensor_values();

// Height and width of one image, decoded or declared by a record.
constexpr int64_t kMaxImageSide = 8192;

// Bytes decompressed from one data file (a gzipped IDX or TFRecord file): 2^30 unless
// GANVAS_MAX_FILE_BYTES raises it (up to 2^40). A few megabytes of gzip can expand to
// gigabytes; this stops them before the memory is taken.
constexpr int64_t kDefaultMaxFileBytes = int64_t(1) << 30;
int64_t max_file_bytes();

// Throws std::invalid_argument when `shape` has more values than max_tensor_values()
// (zero-sized axes aside: see checked_extent), "shape (..) has N values, more than
// the limit of M (GANVAS_MAX_TENSOR_VALUES raises it)"; std::invalid_argument for a
// negative dimension. Returns the number of values.
int64_t check_tensor_shape(const std::vector<int64_t>& shape);

}  // namespace ganvas
