// ganvas rf: receptive fields layer by layer, for every network in Ganvas (read
// from the model itself), TF-slim's vgg16 and alexnet_v2, or a JSON layer list.
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "analysis/model_receptive_field.h"
#include "analysis/receptive_field_file.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "models/model.h"

namespace ganvas::cli {
namespace {

// "dcgan28" (every network) or "dcgan28:D" (one of them).
std::vector<rf::Network> model_arch(const std::string& arch) {
    const size_t colon = arch.find(':');
    const std::string model = arch.substr(0, colon);
    std::vector<rf::Network> nets = rf::model_networks(model);
    if (colon == std::string::npos) return nets;
    const std::string which = arch.substr(colon + 1);
    std::string known;
    for (auto& n : nets) {
        if (n.name == which) return {n};
        known += (known.empty() ? "" : ", ") + n.name;
    }
    throw UsageError(model + " has no network '" + which + "' (it has " + known + ")");
}

bool is_model(const std::string& arch) {
    const std::string model = arch.substr(0, arch.find(':'));
    for (auto& m : model_names())
        if (m == model) return true;
    return false;
}

std::string known_archs() {
    std::string s;
    for (auto& m : model_names()) s += (s.empty() ? "" : ", ") + m;
    for (auto& b : rf::builtin_architecture_names()) s += ", " + b;
    return s;
}

}  // namespace

int run_rf(const Argv& argv) {
    Args args(argv, "ganvas rf --arch NAME[:NET]|FILE.json [--input-size N] [--json]",
              {{"arch", "NAME[:NET]|FILE.json", "a model (dcgan28:D), a built-in net or layers"},
               {"input-size", "N", "the input's side in pixels (default: the network's)"},
               {"json", "", "print JSON instead of a table"}});
    const std::string arch = args.required("arch");
    std::vector<rf::Network> nets;
    if (auto builtin = rf::builtin_architecture(arch)) {
        nets = {*builtin};
    } else if (is_model(arch)) {
        nets = model_arch(arch);
    } else if (std::filesystem::path(arch).extension() == ".json") {
        nets = {rf::load_network(arch)};
    } else {
        throw UsageError("unknown architecture '" + arch + "' (known: " + known_archs() +
                         ", or a FILE.json layer list)");
    }
    if (args.has("input-size")) {
        const int64_t n = args.integer("input-size", 0, 1, 100000);
        for (auto& net : nets) net.input_size = rf::Pair{n, n};
    }
    std::vector<rf::NamedFields> all;
    for (auto& net : nets) {
        std::vector<rf::LayerField> fields;
        try {
            fields = rf::compute(net);
        } catch (const std::invalid_argument& e) {
            throw std::runtime_error(arch + ": " + e.what());
        }
        const std::string prefix = nets.size() > 1 ? net.name + "." : "";
        if (!args.has("json")) {
            std::string title = nets.size() > 1 ? arch + ":" + net.name : arch;
            if (!net.input_note.empty()) title += " — " + net.input_note;
            if (net.input_size)
                title += ", input " + std::to_string((*net.input_size)[0]) + "x" +
                         std::to_string((*net.input_size)[1]);
            std::printf("%s\n", title.c_str());
            std::printf("%s\n", rf::fields_table(net, fields).c_str());
        }
        all.push_back({prefix, net.input_size, std::move(fields)});
    }
    if (args.has("json")) std::printf("%s\n", rf::fields_json(all).c_str());
    return 0;
}

}  // namespace ganvas::cli
