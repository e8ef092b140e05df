// Softmax, log-softmax, cross-entropy and argmax, as torch.nn.functional.
//
// Forward passes and plain backward passes are fused kernels; with grad mode
// on (create_graph) the backward rules are built from differentiable ops, so
// second derivatives come out exactly.
#pragma once

#include "tensor/tensor.h"

namespace ganvas {

// exp(x - max) / sum(exp(x - max)) along `dim`; any dim, negative counts from the end.
Tensor softmax(const Tensor& x, int64_t dim = -1);
// x - max - log(sum(exp(x - max))) along `dim`: finite wherever softmax underflows to 0.
Tensor log_softmax(const Tensor& x, int64_t dim = -1);

// logits (N, C) float32, target (N) int64 in [0, C) -> () the mean over N of
// -log_softmax(logits)[n, target[n]] (reduction "mean"; no ignore_index, no
// class weights). A target outside [0, C) throws std::invalid_argument naming it.
Tensor cross_entropy(const Tensor& logits, const Tensor& target);

// The index of the largest value along `dim` (that dim removed), int64, no
// gradient. Ties go to the first index and NaN counts as the largest, as torch.
Tensor argmax(const Tensor& x, int64_t dim);

}  // namespace ganvas
