// ganvas: the entry point. Subcommands live in app/cli/; with no subcommand
// (or only window flags) it opens the window. Each command's --help comes from
// its own flag table (cli/args.h); this file adds the summaries and the list.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/commands.h"
#include "io/printable.h"

namespace {

using namespace ganvas::cli;

struct Command {
    const char* name;
    int (*run)(const Argv& args);
    const char* summary;  // a line in `ganvas --help`, and the first of `ganvas NAME --help`
};

const Command kCommands[] = {
    {"train", run_train, "train a model; checkpoint, samples and metrics.csv go to --out"},
    {"sample", run_sample, "draw images from a generator's checkpoint"},
    {"bench", run_bench, "time the reference training steps"},
    {"eval", run_eval, "score generated images: FFD, precision and recall"},
    {"rf", run_rf, "receptive fields, layer by layer"},
    {"upsample", run_upsample, "upsample images with one of PyTorch's modes"},
    {"reconstruct", run_reconstruct, "a vqgan28's reconstructions of images, and their codes"},
    {"columns", run_columns, "TensorFlow feature columns on tf.Example records, and the dense row"},
};

const char* kWindowSummary =
    "the window; without a display, the default experiment headless\n"
    "(dcgan28 on Fashion-MNIST for 3000 steps, in runs/default)";

const Command* find_command(const std::string& name) {
    for (const Command& c : kCommands)
        if (name == c.name) return &c;
    return nullptr;
}

std::string command_names() {
    std::string names;
    for (const Command& c : kCommands) names += std::string(names.empty() ? "" : ", ") + c.name;
    return names;
}

void print_commands() {
    std::printf("commands (ganvas CMD --help lists a command's flags):\n");
    for (const Command& c : kCommands) std::printf("  %-13s%s\n", c.name, c.summary);
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && args[0] == "help") {  // `ganvas help [CMD]` is `ganvas [CMD] --help`
        args.erase(args.begin());
        args.resize(std::min<size_t>(args.size(), 1));
        args.push_back("--help");
    }
    const bool window = args.empty() || args[0].rfind("-", 0) == 0;
    const Command* command = window ? nullptr : find_command(args[0]);
    if (!window && !command) {
        std::fprintf(stderr, "ganvas: unknown command '%s' (commands: %s; ganvas --help)\n",
                     args[0].c_str(), command_names().c_str());
        return 2;
    }
    // "ganvas train" in messages; plain "ganvas" for the window.
    const std::string who = window ? "ganvas" : std::string("ganvas ") + command->name;
    try {
        return window ? run_window(args) : command->run(Argv(args.begin() + 1, args.end()));
    } catch (const HelpRequested& help) {
        std::printf("%s: %s\n\n%s", who.c_str(), window ? kWindowSummary : command->summary,
                    help.text.c_str());
        if (window) print_commands();
        return 0;
    } catch (const UsageError& e) {
        std::fprintf(stderr, "%s: %s\n", who.c_str(), e.what());
        return 2;
    } catch (const std::exception& e) {
        // The last guard: whatever a message quotes from a file reaches the terminal as one line.
        std::fprintf(stderr, "%s: %s\n", who.c_str(), ganvas::one_line(e.what()).c_str());
        return 1;
    }
}
