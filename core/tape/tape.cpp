#include "tape/tape.h"

namespace ganvas {
namespace {

thread_local bool g_grad_mode = true;

}  // namespace

bool grad_mode_enabled() {
    return g_grad_mode;
}

NoGradGuard::NoGradGuard() : previous_(g_grad_mode) {
    g_grad_mode = false;
}
NoGradGuard::~NoGradGuard() {
    g_grad_mode = previous_;
}
GradModeGuard::GradModeGuard(bool enabled) : previous_(g_grad_mode) {
    g_grad_mode = enabled;
}
GradModeGuard::~GradModeGuard() {
    g_grad_mode = previous_;
}

bool needs_grad(std::initializer_list<const Tensor*> inputs) {
    if (!g_grad_mode) return false;
    for (const Tensor* t : inputs)
        if (t && t->defined() && t->requires_grad()) return true;
    return false;
}

bool needs_grad(const std::vector<Tensor>& inputs) {
    if (!g_grad_mode) return false;
    for (const Tensor& t : inputs)
        if (t.defined() && t.requires_grad()) return true;
    return false;
}

Tensor record(const char* name, Tensor out, std::vector<Tensor> inputs, BackwardFn backward) {
    if (!needs_grad(inputs)) return out;
    auto node = std::make_shared<Node>();
    node->name = name;
    node->inputs = std::move(inputs);
    node->backward = std::move(backward);
    out.set_grad_fn(std::move(node));
    return out;
}

}  // namespace ganvas
