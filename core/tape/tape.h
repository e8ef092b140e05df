// The autograd tape: the Nodes ops record as they run, and grad mode.
//
// This is the half of autograd that ops need; the engine that walks the tape
// (backward, grad) sits above the ops in autograd/autograd.h.
//
// Every op that produces a tensor from inputs that require grad records a
// Node holding those inputs and a backward rule. Backward rules are written
// with the same ops as forward code, so running them with grad mode on
// (create_graph) records a graph of the gradient itself: second derivatives,
// as WGAN-GP's gradient penalty needs, come out exactly.
//
// A rule may take a fused fast path when grad mode is off (the common
// backward()); with grad mode on it must use differentiable ops.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace ganvas {

// The backward rule: gradient of the output in, one gradient per input out
// (an undefined Tensor where an input gets none). `needed[i]` says whether
// input i's gradient is wanted at all; a rule skips the work where it is not
// (a convolution's weight gradient costs as much as its forward pass).
using BackwardFn =
    std::function<std::vector<Tensor>(const Tensor& grad_output, const std::vector<bool>& needed)>;

struct Node {
    std::string name;            // op name, for error messages and graph dumps
    std::vector<Tensor> inputs;  // the op's tensor inputs (those that may need grad)
    BackwardFn backward;
};

// Whether ops record the graph. Off inside NoGradGuard and while running
// backward without create_graph.
bool grad_mode_enabled();

class NoGradGuard {
public:
    NoGradGuard();
    ~NoGradGuard();
    NoGradGuard(const NoGradGuard&) = delete;
    NoGradGuard& operator=(const NoGradGuard&) = delete;

private:
    bool previous_;
};

class GradModeGuard {  // sets grad mode to a given value for a scope
public:
    explicit GradModeGuard(bool enabled);
    ~GradModeGuard();
    GradModeGuard(const GradModeGuard&) = delete;
    GradModeGuard& operator=(const GradModeGuard&) = delete;

private:
    bool previous_;
};

// True if grad mode is on and any input requires grad: the op must record.
bool needs_grad(std::initializer_list<const Tensor*> inputs);
bool needs_grad(const std::vector<Tensor>& inputs);

// Attaches a Node to `out` if any of `inputs` requires grad (and grad mode is on).
// Returns `out` for chaining: `return record("relu", out, {x}, [=](auto& g) {...});`
Tensor record(const char* name, Tensor out, std::vector<Tensor> inputs, BackwardFn backward);

}  // namespace ganvas
