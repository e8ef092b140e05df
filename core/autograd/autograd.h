// The autograd engine: walks the tape that ops record (tape/tape.h) backwards.
//
// It sits above the ops because it sums gradients with them; ops include only
// the tape, so tensor -> tape -> ops -> engine has no include pointing back up.
#pragma once

#include <vector>

#include "tape/tape.h"

namespace ganvas {

// Accumulates d(sum of outputs * grad_outputs)/d(leaf) into each leaf's .grad.
void backward(const std::vector<Tensor>& outputs, const std::vector<Tensor>& grad_outputs = {});

// Returns d(sum of outputs * grad_outputs)/d(input) for each input, without
// touching .grad. With create_graph the results are themselves differentiable.
// An input the outputs do not depend on gets zeros (allow_unused semantics).
std::vector<Tensor> grad(const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                         const std::vector<Tensor>& grad_outputs = {}, bool create_graph = false);

}  // namespace ganvas
