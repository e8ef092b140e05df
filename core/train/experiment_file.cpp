#include "train/experiment_file.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "io/atomic_file.h"

namespace ganvas {

using json = nlohmann::json;
namespace fs = std::filesystem;

std::string checkpoint_path_for(const std::string& experiment_path) {
    return fs::path(experiment_path).replace_extension(".safetensors").string();
}

std::string history_path_for(const std::string& experiment_path) {
    return fs::path(experiment_path).replace_extension(".history").string();
}

void write_experiment(const std::string& path, const Experiment& e) {
    json j = {{"format", "ganvas-experiment"},
              {"version", 1},
              {"model", e.config.model},
              {"data", e.config.data},
              {"batch", e.config.batch},
              {"seed", e.config.seed},
              {"budget", e.budget},
              {"hyper", e.hyper},
              {"checkpoint", fs::path(e.checkpoint).filename().string()}};
    if (!e.history.empty()) j["history"] = fs::path(e.history).filename().string();
    write_file_atomic(path, [&](std::ostream& out) { out << j.dump(2) << "\n"; });
}

Experiment read_experiment(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error(path + ": cannot open experiment file");
    json j;
    try {
        j = json::parse(in);
    } catch (const json::exception& ex) {
        throw std::runtime_error(path + ": not valid JSON (" + std::string(ex.what()) + ")");
    }
    if (!j.is_object() || j.value("format", "") != "ganvas-experiment")
        throw std::runtime_error(path + ": not a Ganvas experiment file");
    auto field = [&](const char* key) -> const json& {
        if (!j.contains(key)) throw std::runtime_error(path + ": missing field '" + key + "'");
        return j.at(key);
    };
    Experiment e;
    try {
        e.config.model = field("model").get<std::string>();
        e.config.data = field("data").get<std::string>();
        e.config.batch = field("batch").get<int64_t>();
        e.config.seed = field("seed").get<uint64_t>();
        e.budget = field("budget").get<int64_t>();
        e.hyper = field("hyper").get<std::map<std::string, double>>();
        std::string ckpt = field("checkpoint").get<std::string>();
        fs::path p(ckpt);
        e.checkpoint = p.is_absolute() ? ckpt : (fs::path(path).parent_path() / p).string();
        if (j.contains("history")) {
            fs::path h(j.at("history").get<std::string>());
            e.history = h.is_absolute() ? h.string() : (fs::path(path).parent_path() / h).string();
        }
    } catch (const json::exception& ex) {
        throw std::runtime_error(path + ": a field has the wrong type (" + std::string(ex.what()) +
                                 ")");
    }
    if (e.config.batch < 1) throw std::runtime_error(path + ": batch must be at least 1");
    if (e.budget < 0) throw std::runtime_error(path + ": budget must not be negative");
    return e;
}

}  // namespace ganvas
