#include "autograd/autograd.h"

#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "backend/op_profile.h"
#include "ops/elementwise.h"

namespace ganvas {
namespace {

// Tensors reachable from `outputs` through grad_fn edges, inputs before users.
std::vector<Tensor> topological_order(const std::vector<Tensor>& outputs) {
    std::vector<Tensor> order;
    std::unordered_set<const TensorImpl*> visited;
    struct Frame {
        Tensor t;
        size_t next;
    };
    std::vector<Frame> stack;
    for (const Tensor& out : outputs) {
        if (!out.requires_grad() || visited.count(out.id())) continue;
        visited.insert(out.id());
        stack.push_back({out, 0});
        while (!stack.empty()) {
            Frame& f = stack.back();
            const auto& fn = f.t.grad_fn();
            if (fn && f.next < fn->inputs.size()) {
                const Tensor& in = fn->inputs[f.next++];
                if (in.defined() && in.requires_grad() && !visited.count(in.id())) {
                    visited.insert(in.id());
                    stack.push_back({in, 0});
                }
                continue;
            }
            order.push_back(f.t);
            stack.pop_back();
        }
    }
    return order;
}

// Runs the backward pass. `wanted` decides which tensors' gradients matter:
// a node's rule is only run when one of its inputs leads to a wanted tensor.
// Returns the full gradient of every tensor in `targets`.
std::unordered_map<const TensorImpl*, Tensor> run_backward(
    const std::vector<Tensor>& outputs, const std::vector<Tensor>& grad_outputs,
    const std::unordered_set<const TensorImpl*>& targets, bool targets_are_leaves,
    bool create_graph) {
    if (!grad_outputs.empty() && grad_outputs.size() != outputs.size())
        throw std::invalid_argument("backward: " + std::to_string(grad_outputs.size()) +
                                    " gradients for " + std::to_string(outputs.size()) +
                                    " outputs");
    std::vector<Tensor> order = topological_order(outputs);

    // A tensor leads to a target if it is one, or if one of its inputs does.
    std::unordered_set<const TensorImpl*> leads;
    for (const Tensor& t : order) {
        bool hit = targets_are_leaves ? t.is_leaf() : targets.count(t.id()) > 0;
        if (!hit && t.grad_fn())
            for (const Tensor& in : t.grad_fn()->inputs)
                if (in.defined() && leads.count(in.id())) {
                    hit = true;
                    break;
                }
        if (hit) leads.insert(t.id());
    }

    GradModeGuard mode(create_graph);
    std::unordered_map<const TensorImpl*, Tensor> grads;
    auto accumulate = [&](const Tensor& t, const Tensor& g) {
        auto [it, inserted] = grads.try_emplace(t.id(), g);
        if (!inserted) it->second = add(it->second, g);
    };
    for (size_t i = 0; i < outputs.size(); ++i) {
        const Tensor& out = outputs[i];
        if (!out.requires_grad()) continue;
        Tensor g;
        if (grad_outputs.empty()) {
            if (out.numel() != 1)
                throw std::invalid_argument(
                    "backward: gradient can be implicit only for a scalar output, got " +
                    shape_str(out.shape()));
            g = Tensor::ones(out.shape(), out.device());
        } else {
            g = grad_outputs[i];
            if (g.shape() != out.shape())
                throw std::invalid_argument("backward: gradient shape " + shape_str(g.shape()) +
                                            " does not match output " + shape_str(out.shape()));
        }
        accumulate(out, g);
    }

    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        const Tensor& t = *it;
        const auto& fn = t.grad_fn();
        if (!fn || !leads.count(t.id())) continue;
        auto found = grads.find(t.id());
        if (found == grads.end()) continue;  // no path from the outputs carries gradient here
        Tensor g = found->second;
        if (!targets.count(t.id())) grads.erase(found);  // free memory early
        std::vector<bool> needed(fn->inputs.size());
        for (size_t i = 0; i < needed.size(); ++i)
            needed[i] = fn->inputs[i].defined() && fn->inputs[i].requires_grad() &&
                        leads.count(fn->inputs[i].id());
        std::vector<Tensor> in_grads = fn->backward(g, needed);
        if (in_grads.size() != fn->inputs.size())
            throw std::logic_error(fn->name + " backward returned " +
                                   std::to_string(in_grads.size()) + " gradients for " +
                                   std::to_string(fn->inputs.size()) + " inputs");
        for (size_t i = 0; i < in_grads.size(); ++i) {
            if (!needed[i] || !in_grads[i].defined()) continue;
            if (in_grads[i].shape() != fn->inputs[i].shape())
                throw std::logic_error(fn->name + " backward: gradient " +
                                       shape_str(in_grads[i].shape()) + " for input " +
                                       shape_str(fn->inputs[i].shape()));
            if (!create_graph && in_grads[i].requires_grad()) in_grads[i] = in_grads[i].detach();
            accumulate(fn->inputs[i], in_grads[i]);
        }
    }
    return grads;
}

}  // namespace

void backward(const std::vector<Tensor>& outputs, const std::vector<Tensor>& grad_outputs) {
    PhaseScope phase(Phase::backward);
    std::unordered_set<const TensorImpl*> leaves;
    for (const Tensor& t : topological_order(outputs))
        if (t.is_leaf()) leaves.insert(t.id());
    auto grads = run_backward(outputs, grad_outputs, leaves, true, false);
    for (const Tensor& t : topological_order(outputs)) {
        if (!t.is_leaf()) continue;
        auto it = grads.find(t.id());
        if (it == grads.end()) continue;
        Tensor leaf = t;
        Tensor g = it->second.detach();
        if (leaf.grad().defined()) {
            NoGradGuard no_grad;
            leaf.set_grad(add(leaf.grad(), g));
        } else {
            // Own the memory: the gradient may share storage with a graph buffer.
            leaf.set_grad(g.clone());
        }
    }
}

std::vector<Tensor> grad(const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                         const std::vector<Tensor>& grad_outputs, bool create_graph) {
    PhaseScope phase(Phase::backward);
    std::unordered_set<const TensorImpl*> targets;
    for (const Tensor& t : inputs) {
        if (!t.requires_grad()) throw std::invalid_argument("grad: an input does not require grad");
        targets.insert(t.id());
    }
    auto grads = run_backward(outputs, grad_outputs, targets, false, create_graph);
    std::vector<Tensor> result;
    for (const Tensor& t : inputs) {
        auto it = grads.find(t.id());
        result.push_back(it != grads.end() ? it->second
                                           : Tensor::zeros(t.shape(), DType::f32, t.device()));
    }
    return result;
}

void Tensor::backward(const Tensor& gradient) const {
    ganvas::backward({*this},
                     gradient.defined() ? std::vector<Tensor>{gradient} : std::vector<Tensor>{});
}

}  // namespace ganvas
