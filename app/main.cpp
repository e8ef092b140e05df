// ganvas: the entry point. Subcommands live in app/cli/; with no subcommand
// (or only window flags) it opens the window.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/commands.h"

namespace {

const char* kUsage =
    "usage:\n"
    "  ganvas                      the window (without a display: the default experiment,\n"
    "                              dcgan28 on Fashion-MNIST for 3000 steps, headless)\n"
    "  ganvas --screenshot FILE.png [--frames N] [--tab NAME] [--train-steps K] [--size WxH]\n"
    "                              [--model M] [--data D] [--timing FILE.json|-] [--continuous]\n"
    "                              [--checkpoint RUN/checkpoint.safetensors] [--set NAME=V,...]\n"
    "                              [--lab SPEC]\n"
    "                              render the window, save it as a PNG, exit\n"
    "  ganvas train  --model M [--data D] --steps N [--batch B] [--seed S] [--device cpu]\n"
    "                [--out DIR] [--resume] [--sample-every K] [--checkpoint-every K] [--threads "
    "T]\n"
    "                [--set NAME=V,...] [--ffd-every K] [--ffd-n N] [--weights-out FILE]\n"
    "                [--vq VQ.safetensors] [--eval-every K] [--quiet]\n"
    "  ganvas sample --checkpoint FILE (--z Z.npy | --n N --seed S)\n"
    "                --out OUT.png|OUT.npy|OUT.tfrecord\n"
    "                [--nrow R] [--model M]; for prior49: --vq VQ.safetensors [--temperature T]\n"
    "                [--top-k K] [--top-p P] [--codes-out CODES.npy]\n"
    "  ganvas bench  [--model M] [--steps N] [--threads T] [--json]\n"
    "  ganvas eval   (--checkpoint FILE | --samples X.npy) [--n N] [--seed S] [--json]\n"
    "                [--neighbours OUT.png] [--classifier FILE] [--k K]\n"
    "  ganvas rf     --arch NAME[:NET]|FILE.json [--input-size N] [--json]\n"
    "  ganvas upsample --in X.npy|X.png --mode M (--scale S | --size HxW) [--align-corners]\n"
    "                --out Y.npy|Y.png   M: nearest, nearest-exact, bilinear, bicubic, area,\n"
    "                pixelshuffle\n"
    "  ganvas reconstruct --checkpoint VQ.safetensors --in X.npy --out REC.npy [--codes "
    "CODES.npy]\n";

// "ganvas train" in messages; plain "ganvas" for the window.
std::string who(const std::string& command) {
    return command.empty() || command.rfind("--", 0) == 0 ? "ganvas" : "ganvas " + command;
}

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
        if (command.empty() || command.rfind("--", 0) == 0) {
            return run_window(args);
        }
        Argv rest(args.begin() + 1, args.end());
        if (command == "train") return run_train(rest);
        if (command == "sample") return run_sample(rest);
        if (command == "bench") return run_bench(rest);
        if (command == "eval") return run_eval(rest);
        if (command == "upsample") return run_upsample(rest);
        if (command == "rf") return run_rf(rest);
        if (command == "reconstruct") return run_reconstruct(rest);
        std::fprintf(stderr, "ganvas: unknown command '%s'\n%s", command.c_str(), kUsage);
        return 2;
    } catch (const UsageError& e) {
        std::fprintf(stderr, "%s: %s\n", who(command).c_str(), e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", who(command).c_str(), e.what());
        return 1;
    }
}
