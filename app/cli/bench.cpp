// ganvas bench: ms per reference training step, in the JSON format of
// shared/BENCHMARKS.md, to compare with torch_reference.py bench on one machine.
#include <chrono>
#include <cstdio>
#include <sstream>

#include "backend/cpu/thread_pool.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "models/model.h"

namespace ganvas::cli {

int run_bench(const Argv& argv) {
    Args args(argv, "ganvas bench [--model M] [--steps N] [--threads T] [--json]",
              {{"model", "M", "time this model only (default: every reference model)"},
               {"steps", "N", "timed training steps a model (default 20)"},
               {"warmup", "N", "untimed steps first (default 3)"},
               {"threads", "T", "CPU threads (default: one a core)"},
               {"device", "cpu", "where to run (only cpu for now)"},
               {"json", "", "print JSON, in the format of torch_reference.py bench"}});
    const int64_t steps = args.integer("steps", 20, 1, 100000);
    const int64_t warmup = args.integer("warmup", 3, 0, 1000);
    const std::string device = args.str("device", "cpu");
    if (device != "cpu")
        throw UsageError("--device " + device + " is not available yet (only cpu)");
    if (args.has("threads"))
        cpu::set_num_threads(static_cast<int>(args.integer("threads", 1, 1, 256)));
    std::vector<std::string> models = benchmark_model_names();
    if (args.has("model")) models = {args.required("model")};

    Rng data_rng(0);
    Tensor real = data_rng.rand({64, 1, 28, 28});  // uniform in [-1, 1), as the reference
    for (int64_t i = 0; i < real.numel(); ++i) real.data()[i] = real.data()[i] * 2.0f - 1.0f;
    Tensor labels = Tensor::empty({64}, DType::i64);  // for models that classify
    for (int64_t i = 0; i < 64; ++i) labels.data_i64()[i] = data_rng.randint(10);
    Tensor codes = Tensor::empty({64, 1, 7, 7});  // a code prior's: random grids, as the reference
    for (int64_t i = 0; i < codes.numel(); ++i)
        codes.data()[i] = static_cast<float>(data_rng.randint(256));

    std::ostringstream json;
    json << "{\"device\": \"cpu\", \"threads\": " << cpu::num_threads() << ", \"ms_per_step\": {";
    bool first = true;
    for (const std::string& name : models) {
        Rng rng(0);
        auto model = make_model(name, rng);
        Batch batch{model->code_prior() ? codes : real, labels};
        for (int64_t i = 0; i < warmup; ++i) model->step(batch, rng);
        auto t0 = std::chrono::steady_clock::now();
        for (int64_t i = 0; i < steps; ++i) model->step(batch, rng);
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                        .count() /
                    steps;
        std::fprintf(stderr, "%-10s %9.3f ms/step  (%8.1f steps/s)\n", name.c_str(), ms,
                     1000.0 / ms);
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.3f", ms);
        json << (first ? "" : ", ") << "\"" << name << "\": " << buf;
        first = false;
    }
    json << "}}";
    if (args.has("json")) std::printf("%s\n", json.str().c_str());
    return 0;
}

}  // namespace ganvas::cli
