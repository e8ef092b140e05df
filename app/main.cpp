// ganvas: the entry point. Subcommands live in app/cli/; with no subcommand it
// runs the default experiment (the window comes with the GUI issue).
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/commands.h"

namespace {

const char* kUsage =
    "usage:\n"
    "  ganvas                      the default experiment: dcgan28 on Fashion-MNIST, 3000 steps\n"
    "  ganvas train  --model M [--data D] --steps N [--batch B] [--seed S] [--device cpu] [--out "
    "DIR] [--resume]\n"
    "                [--sample-every K] [--threads T]\n"
    "  ganvas sample --checkpoint FILE (--z Z.npy | --n N --seed S) --out OUT.png|OUT.npy\n"
    "  ganvas bench  [--model M] [--steps N] [--threads T] [--json]\n"
    "  ganvas eval   (--checkpoint FILE | --samples X.npy) [--n N] [--seed S] [--json] "
    "[--neighbours OUT.png]\n";

}  // namespace

int main(int argc, char** argv) {
    using namespace ganvas::cli;
    std::vector<std::string> args(argv + 1, argv + argc);
    std::string command = args.empty() ? "" : args[0];
    if (command == "--help" || command == "-h" || command == "help") {
        std::fputs(kUsage, stdout);
        return 0;
    }
    try {
        if (command.empty()) {
            // Continues (or just reports) an earlier default run rather than refusing it.
            const bool earlier = std::filesystem::exists("runs/default/checkpoint.safetensors");
            std::fprintf(stderr,
                         "ganvas: no window in this build yet; %s the default experiment "
                         "(dcgan28 on Fashion-MNIST, 3000 steps, in runs/default)\n",
                         earlier ? "continuing" : "running");
            Argv defaults = {"--model", "dcgan28", "--steps", "3000", "--out", "runs/default"};
            if (earlier) defaults.push_back("--resume");
            return run_train(defaults);
        }
        Argv rest(args.begin() + 1, args.end());
        if (command == "train") return run_train(rest);
        if (command == "sample") return run_sample(rest);
        if (command == "bench") return run_bench(rest);
        if (command == "eval") return run_eval(rest);
        std::fprintf(stderr, "ganvas: unknown command '%s'\n%s", command.c_str(), kUsage);
        return 2;
    } catch (const UsageError& e) {
        std::fprintf(stderr, "ganvas %s: %s\n", command.c_str(), e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ganvas %s: %s\n", command.c_str(), e.what());
        return 1;
    }
}
