// LayerTrace: while one is alive on a thread, every layer's forward() reports
// its output shape. Layer tables and receptive-field views read the shapes of
// a real forward pass instead of restating each network's arithmetic.
#pragma once

#include <utility>
#include <vector>

#include "tensor/tensor.h"

namespace ganvas {

class Module;

class LayerTrace {
public:
    // Becomes the thread's active trace (nesting restores the outer one). With
    // keep_outputs the outputs themselves are kept too, graph and all, so an
    // analysis can differentiate a layer's output (the effective receptive field).
    explicit LayerTrace(bool keep_outputs = false);
    ~LayerTrace();
    LayerTrace(const LayerTrace&) = delete;
    LayerTrace& operator=(const LayerTrace&) = delete;

    // Output shapes in call order; a layer called twice appears twice.
    const std::vector<std::pair<const Module*, Shape>>& outputs() const { return outputs_; }
    // The kept outputs, parallel to outputs(); empty unless keep_outputs.
    const std::vector<Tensor>& tensors() const { return tensors_; }
    // The first output shape `layer` produced, or an empty shape if it never ran.
    Shape first_output(const Module* layer) const;

    // Called by layers; a no-op unless a trace is active on this thread.
    static void record(const Module* layer, const Tensor& output);

private:
    std::vector<std::pair<const Module*, Shape>> outputs_;
    std::vector<Tensor> tensors_;
    bool keep_outputs_;
    LayerTrace* outer_;
};

}  // namespace ganvas
