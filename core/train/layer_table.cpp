#include "train/layer_table.h"

#include "nn/layer_trace.h"

namespace ganvas {
namespace {

void add_rows(const Module& m, const std::string& name, int depth, const LayerTrace& trace,
              std::vector<LayerRow>& rows) {
    rows.push_back({name, m.type_name(), trace.first_output(&m), m.parameter_count(), depth});
    for (auto& [child_name, child] : m.children())
        add_rows(*child, name + "." + child_name, depth + 1, trace, rows);
}

}  // namespace

std::vector<LayerRow> layer_table(Model& model, const Batch& example) {
    LayerTrace trace;
    model.trace_forward(example);
    std::vector<LayerRow> rows;
    for (auto& [prefix, net] : model.networks()) add_rows(*net, prefix, 0, trace, rows);
    return rows;
}

}  // namespace ganvas
