// Receptive-field networks as JSON (`ganvas rf FILE`): parsing, then everything the
// command does with the network: the fields, the JSON and the table.
#include "analysis/receptive_field_file.h"
#include "fuzz/harness.h"

namespace ganvas::fuzz {

void fuzz_rf_json(std::string_view bytes) {
    rf::Network net = rf::parse_network(std::string(bytes), "fuzz");
    std::vector<rf::LayerField> fields = rf::compute(net);
    rf::fields_json({{"", net.input_size, fields}});
    rf::fields_table(net, fields);
}

}  // namespace ganvas::fuzz
