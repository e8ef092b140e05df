// Indexing ops: embedding lookup, argmin, gather and its adjoint scatter_add.
//
// Indices are int64 tensors and never receive gradients. The backward of a
// lookup is a scatter-add of the output gradient into the looked-up tensor's
// shape, and the backward of that scatter-add is the lookup again, so both
// stay differentiable (create_graph works through them).
#pragma once

#include "tensor/tensor.h"

namespace ganvas {

// weight (V, D), idx int64 of any shape -> (*idx.shape, D): out[..., :] = weight[idx[...], :].
// An index outside [0, V) throws std::invalid_argument naming it.
Tensor embedding(const Tensor& weight, const Tensor& idx);

// Index of the smallest value along `dim` (removed from the shape), int64, no gradient.
// Ties go to the first index and a NaN counts as the smallest, as torch.argmin.
Tensor argmin(const Tensor& x, int64_t dim);

// torch.gather: out[i][j][k] = x[i][idx[i][j][k]][k] for dim = 1 (and so on for other
// dims). idx has x's rank; idx.size(d) <= x.size(d) for every d != dim; out has idx's shape.
Tensor gather(const Tensor& x, int64_t dim, const Tensor& idx);

// torch.scatter_add (out of place): self + src's values added at self[..idx..] along dim.
// idx and src have one shape, of self's rank, no larger than self's except along dim.
Tensor scatter_add(const Tensor& self, int64_t dim, const Tensor& idx, const Tensor& src);

}  // namespace ganvas
