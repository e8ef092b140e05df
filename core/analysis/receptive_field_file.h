// Receptive-field networks as JSON, the `ganvas rf` file format (README,
// "Receptive fields"): reading a layer list and writing the computed fields.
#pragma once

#include <string>
#include <vector>

#include "analysis/receptive_field.h"

namespace ganvas::rf {

// Parses {"input_size": N | [h, w] (optional), "layers": [{"name": "conv1", "type": "conv",
// "kernel": 3, "stride": 1, "padding": 1, "dilation": 1}, ...]}. Throws
// std::runtime_error naming `source`, the layer and the problem.
Network parse_network(const std::string& text, const std::string& source);
Network load_network(const std::string& path);

// {"layers": [{"name", "type", "receptive_field", "effective_stride", "effective_padding",
// "first_unit_field", "output_size", "phases"?}, ...]} with numbers, or [h, w] where the
// axes differ. `prefix` goes in front of every name ("D." for one network of several).
// A dense layer's field is the whole input: `input_size` when known, else "all".
struct NamedFields {
    std::string prefix;
    std::optional<Pair> input_size;
    std::vector<LayerField> fields;
};
std::string fields_json(const std::vector<NamedFields>& nets);

// The text table: layer, type, output size, field, stride, padding, first unit's field.
std::string fields_table(const Network& net, const std::vector<LayerField>& fields);

// Short cell texts shared by the table, the CLI and the window.
std::string field_text(const LayerField& f,
                       std::optional<Pair> input_size);  // "10", "10x6", "2|3 (2 phases)"
std::string stride_text(const LayerField& f);            // "4", "1/2", "4x2"
std::string padding_text(const LayerField& f);           // "3"

}  // namespace ganvas::rf
