// The rows of a model's layer table: every module of every network with its
// type, output shape (from a traced forward pass) and parameter count.
#pragma once

#include <string>
#include <vector>

#include "models/model.h"

namespace ganvas {

struct LayerRow {
    std::string name;    // "G.up1"; a network's own row is its prefix, "G"
    std::string type;    // "ConvTranspose2d"
    Shape output;        // for one example; empty when the layer did not run
    int64_t parameters;  // the module's own and its children's
    int depth;           // 0 for a network, 1 for its layers, ...
};

// Runs model.trace_forward(example) under a LayerTrace.
std::vector<LayerRow> layer_table(Model& model, const Batch& example);

}  // namespace ganvas
