#include "nn/layer_trace.h"

namespace ganvas {
namespace {

thread_local LayerTrace* active_trace = nullptr;

}  // namespace

LayerTrace::LayerTrace(bool keep_outputs) : keep_outputs_(keep_outputs), outer_(active_trace) {
    active_trace = this;
}

LayerTrace::~LayerTrace() {
    active_trace = outer_;
}

Shape LayerTrace::first_output(const Module* layer) const {
    for (auto& [m, shape] : outputs_)
        if (m == layer) return shape;
    return {};
}

void LayerTrace::record(const Module* layer, const Tensor& output) {
    if (!active_trace) return;
    active_trace->outputs_.emplace_back(layer, output.shape());
    if (active_trace->keep_outputs_) active_trace->tensors_.push_back(output);
}

}  // namespace ganvas
