// How well a conditional generator draws the class it is asked for, judged by
// classifier28: the share of each class's samples the classifier puts in that class
// (agreement), and the FFD of each class's samples to the real images of that class.
#pragma once

#include <cstdint>
#include <vector>

#include "models/classifier28.h"

namespace ganvas {

struct ClassAgreement {
    std::vector<int64_t> count;     // samples requested of each class
    std::vector<double> agreement;  // per class: share classified as requested (NaN: none)
    std::vector<double> ffd;        // per class: FFD to its real images (NaN: < 2 samples)
    double overall = 0;             // share of all samples classified as requested
};

// `fake` (N, 1, 28, 28) in [-1, 1] drawn for `requested` (N,) int64; `real` (M, 1, 28, 28)
// with `real_labels` (M,). Classes are classifier28's ten (Fashion-MNIST's); a requested
// class outside 0..9 throws std::invalid_argument.
ClassAgreement class_agreement(Classifier28& classifier, const Tensor& fake,
                               const Tensor& requested, const Tensor& real,
                               const Tensor& real_labels);

}  // namespace ganvas
