// ganvas bench: ms per reference training step, in the JSON format of
// shared/BENCHMARKS.md, to compare with torch_reference.py bench on one machine;
// with --profile, where those steps' time goes by op and phase.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "backend/backend.h"
#include "backend/cpu/thread_pool.h"
#include "backend/op_profile.h"
#include "cli/args.h"
#include "cli/bench_profile.h"
#include "cli/commands.h"
#include "models/model.h"

namespace ganvas::cli {
namespace {

OpProfile profile_steps(Model& model, const Batch& batch, Rng& rng, int64_t steps, Device device) {
    OpProfileOptions options;
    // A GPU runs an op's kernels after its dispatch returned: finishing them before the
    // next op starts charges them to the op that queued them.
    if (device != Device::cpu)
        options.at_boundary = [device] { backend_for(device).synchronize(); };
    start_op_profile(std::move(options));
    try {
        for (int64_t i = 0; i < steps; ++i) model.step(batch, rng);
    } catch (...) {
        try {
            stop_op_profile();
        } catch (...) {  // the step's error is the one to report
        }
        throw;
    }
    return stop_op_profile();
}

}  // namespace

int run_bench(const Argv& argv) {
    Args args(
        argv, "ganvas bench [--model M] [--steps N] [--threads T] [--profile] [--json]",
        {{"model", "M", "time this model only (default: every reference model)"},
         {"steps", "N", "timed training steps a model (default 20)"},
         {"warmup", "N", "untimed steps first (default 3)"},
         {"threads", "T", "CPU threads (default: one a core)"},
         {"device", "cpu|gpu", "where to run (gpu: OpenGL 4.3 compute; default cpu)"},
         {"profile", "", "then time as many steps again by op kind and phase (a table on stderr)"},
         {"json", "", "print JSON, in the format of torch_reference.py bench"}});
    const int64_t steps = args.integer("steps", 20, 1, 100000);
    const int64_t warmup = args.integer("warmup", 3, 0, 1000);
    const Device device = args.device();
    if (args.has("threads"))
        cpu::set_num_threads(static_cast<int>(args.integer("threads", 1, 1, 256)));
    std::vector<std::string> models = benchmark_model_names();
    if (args.has("model")) models = {args.required("model")};

    Backend& backend = backend_for(device);
    std::ostringstream json;
    json << "{\"device\": \"" << device_name(device) << "\", ";
    if (device != Device::cpu)
        json << "\"renderer\": " << nlohmann::json(backend.describe()).dump() << ", ";
    json << "\"threads\": " << cpu::num_threads() << ", \"ms_per_step\": {";
    nlohmann::ordered_json profiles = nlohmann::ordered_json::object(),
                           profile_ms = nlohmann::ordered_json::object();
    bool first = true;
    for (const std::string& name : models) {
        Rng rng(0);
        auto model = make_model(name, rng);
        Rng data_rng(0);  // the same batch for every model, as the reference
        const Batch batch = reference_batch(*model, data_rng).to(device);
        model->to(device);
        for (int64_t i = 0; i < warmup; ++i) model->step(batch, rng);
        auto t0 = std::chrono::steady_clock::now();
        for (int64_t i = 0; i < steps; ++i) model->step(batch, rng);
        backend.synchronize();  // a GPU's queued kernels count
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                        .count() /
                    steps;
        std::fprintf(stderr, "%-10s %9.3f ms/step  (%8.1f steps/s)\n", name.c_str(), ms,
                     1000.0 / ms);
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.3f", ms);
        json << (first ? "" : ", ") << "\"" << name << "\": " << buf;
        first = false;
        if (args.has("profile")) {
            // Steps of their own, so the figure above carries no profiling cost.
            const OpProfile profile = profile_steps(*model, batch, rng, steps, device);
            std::fprintf(stderr, "%s\n", profile_table(name, profile, steps).c_str());
            profiles[name] = profile_json(profile, steps);
            profile_ms[name] = std::round(profile.wall_seconds * 1e6 / steps) / 1e3;
        }
    }
    json << "}";
    if (args.has("profile"))
        json << ", \"profile\": " << profiles.dump()
             << ", \"profile_ms_per_step\": " << profile_ms.dump();
    json << "}";
    if (args.has("json")) std::printf("%s\n", json.str().c_str());
    return 0;
}

}  // namespace ganvas::cli
