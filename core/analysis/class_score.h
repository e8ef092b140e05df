// Scores from a classifier's class probabilities on generated samples: an
// inception-style score (with our Fashion-MNIST classifier instead of
// Inception) and how the samples spread over the classes.
#pragma once

#include <cstdint>
#include <vector>

#include "tensor/tensor.h"

namespace ganvas {

// exp(E_x KL(p(y|x) || p(y))) with p(y) the mean of the rows: between 1 (every
// sample gets the same prediction) and C (confident and evenly spread). probs
// (N, C) float32 rows of softmax probabilities, N >= 1, each row >= 0 and
// summing to 1 within 1e-3 (logits are rejected).
//
// Salimans et al. (2016) and most reported Inception Scores split the samples
// into 10 parts and give the mean (and std) of the 10 scores; we report one
// score over all N samples. The entropy of p(y) is concave, so p(y) estimated
// from a tenth of the samples tends to give a slightly lower score per split.
double inception_score(const Tensor& probs);

// Number of rows whose argmax is each class (C,); ties go to the lower class.
std::vector<int64_t> class_histogram(const Tensor& probs);

}  // namespace ganvas
