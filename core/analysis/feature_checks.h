// Input checks shared by the sample-quality metrics: every metric takes a
// (rows, columns) float32 matrix of features or probabilities, and a NaN that
// slips through silently turns into a plausible-looking score.
#pragma once

#include <string>

#include "tensor/tensor.h"

namespace ganvas::analysis_detail {

// Throws std::invalid_argument unless `t` is a defined, CPU, float32, 2-D
// tensor with at least `min_rows` rows, at least one column and only finite
// values. Messages read "<fn>: <what> <shape> ...".
void check_matrix(const Tensor& t, const std::string& fn, const std::string& what,
                  int64_t min_rows);

// Throws unless `a` and `b` have the same number of columns.
void check_same_width(const Tensor& a, const Tensor& b, const std::string& fn,
                      const std::string& what_a, const std::string& what_b);

}  // namespace ganvas::analysis_detail
