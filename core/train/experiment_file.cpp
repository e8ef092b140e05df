#include "train/experiment_file.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "io/atomic_file.h"
#include "io/printable.h"
#include "io/regular_file.h"

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

namespace {

constexpr int kVersion = 1;

[[noreturn]] void bad_field(const std::string& path, const std::string& key,
                            const std::string& problem) {
    throw std::runtime_error(path + ": \"" + key + "\" " + problem);
}

// A JSON number that must be a whole number in [lo, hi]: 1.5, 6.18e21 and -1 are
// refused here rather than cast with undefined or wrapped results.
int64_t whole_number(const json& v, const std::string& path, const std::string& key, int64_t lo,
                     int64_t hi) {
    const std::string wanted =
        "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
    if (!v.is_number()) bad_field(path, key, wanted + ", not a " + std::string(v.type_name()));
    const std::string shown = printable(v.dump());
    if (v.is_number_unsigned()) {
        const uint64_t u = v.get<uint64_t>();
        if (u > static_cast<uint64_t>(hi) || static_cast<int64_t>(u) < lo)
            bad_field(path, key, wanted + ", not " + shown);
        return static_cast<int64_t>(u);
    }
    if (v.is_number_integer()) {
        const int64_t i = v.get<int64_t>();
        if (i < lo || i > hi) bad_field(path, key, wanted + ", not " + shown);
        return i;
    }
    const double d = v.get<double>();
    // 2^63 is the first double past every int64; comparing against it keeps the cast defined.
    if (!std::isfinite(d) || d != std::trunc(d) || d < static_cast<double>(lo) ||
        d > static_cast<double>(hi) || d >= 9223372036854775808.0)
        bad_field(path, key, wanted + ", not " + shown);
    return static_cast<int64_t>(d);
}

std::string text_field(const json& v, const std::string& path, const std::string& key) {
    if (!v.is_string()) bad_field(path, key, "must be text, not a " + std::string(v.type_name()));
    return v.get<std::string>();
}

}  // namespace

Experiment read_experiment(const std::string& path) {
    if (const std::string why = why_not_readable(path); !why.empty())
        throw std::runtime_error(path + ": cannot open experiment file: " + why);
    std::ifstream in(path);
    json j;
    try {
        j = json::parse(in);
    } catch (const json::exception& ex) {
        throw std::runtime_error(path + ": not valid JSON (" + one_line(ex.what()) + ")");
    }
    if (!j.is_object() || !j.contains("format") || j["format"] != "ganvas-experiment")
        throw std::runtime_error(path + ": not a Ganvas experiment file");
    auto field = [&](const char* key) -> const json& {
        if (!j.contains(key)) throw std::runtime_error(path + ": missing field '" + key + "'");
        return j.at(key);
    };
    const int64_t version =
        whole_number(field("version"), path, "version", 0, std::numeric_limits<int64_t>::max());
    if (version != kVersion)
        throw std::runtime_error(path + ": experiment file version " + std::to_string(version) +
                                 " is not one this Ganvas reads (it reads version " +
                                 std::to_string(kVersion) + ")");
    Experiment e;
    e.config.model = text_field(field("model"), path, "model");
    e.config.data = text_field(field("data"), path, "data");
    e.config.batch = whole_number(field("batch"), path, "batch", 1, 65536);
    e.config.seed = static_cast<uint64_t>(
        whole_number(field("seed"), path, "seed", 0, std::numeric_limits<int64_t>::max()));
    e.budget = whole_number(field("budget"), path, "budget", 0, 1'000'000'000'000);
    const json& hyper = field("hyper");
    if (!hyper.is_object())
        bad_field(path, "hyper", "must be an object, not a " + std::string(hyper.type_name()));
    for (const auto& [name, value] : hyper.items()) {
        if (!value.is_number() || !std::isfinite(value.get<double>()))
            bad_field(path, "hyper." + printable(name),
                      "must be a finite number, not " + printable(value.dump()));
        e.hyper[name] = value.get<double>();
    }
    const std::string ckpt = text_field(field("checkpoint"), path, "checkpoint");
    fs::path p(ckpt);
    e.checkpoint = p.is_absolute() ? ckpt : (fs::path(path).parent_path() / p).string();
    if (j.contains("history")) {
        fs::path h(text_field(j.at("history"), path, "history"));
        e.history = h.is_absolute() ? h.string() : (fs::path(path).parent_path() / h).string();
    }
    return e;
}

}  // namespace ganvas
