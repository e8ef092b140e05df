// The command line's flags (app/cli/args.h, on CLI11): `ganvas CMD --help` lists every
// flag a command takes with a line of help and exits 0; usage mistakes are one line,
// "ganvas CMD: message", exit 2; `--flag=value` is `--flag value`.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "io/npy.h"
#include "support/cli_runner.h"

using namespace ganvas;
using ganvas::testing::CliResult;
using ganvas::testing::read_bytes;
using ganvas::testing::run_command;
using ganvas::testing::run_ganvas;
using ganvas::testing::temp_dir;

namespace {

// The flags each command takes: the contract README's "Command line" states.
const std::map<std::string, std::vector<std::string>> kFlags = {
    {"train", {"model",   "data",   "columns",    "steps",        "batch",
               "seed",    "out",    "resume",     "sample-every", "checkpoint-every",
               "threads", "device", "set",        "weights-out",  "ffd-every",
               "ffd-n",   "vq",     "eval-every", "tensorboard",  "quiet"}},
    {"sample",
     {"checkpoint", "out", "z", "n", "seed", "nrow", "model", "vq", "temperature", "top-k", "top-p",
      "codes-out", "class", "classes", "device"}},
    {"bench", {"model", "steps", "warmup", "threads", "device", "profile", "json"}},
    {"eval",
     {"checkpoint", "samples", "range", "n", "seed", "k", "classifier", "neighbours", "json"}},
    {"rf", {"arch", "input-size", "json"}},
    {"upsample", {"in", "mode", "scale", "size", "align-corners", "out"}},
    {"reconstruct", {"checkpoint", "in", "out", "codes"}},
    {"columns", {"columns", "data", "n", "seed", "json"}},
    {"", {"screenshot",   "frames", "tab",         "train-steps", "size",  "timing",
          "continuous",   "model",  "data",        "columns",     "set",   "checkpoint",
          "lab",          "lang",   "tensorboard", "workspace",   "scale", "presentation",
          "audit-layout", "lesson", "lesson-step", "device",      "theme"}},  // the window
};

// Flag -> its help text, from the help's lines "  --name [VALUE]   help".
std::map<std::string, std::string> listed_flags(const std::string& help) {
    std::map<std::string, std::string> flags;
    std::istringstream lines(help);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("  --", 0) != 0) continue;
        const size_t name_end = line.find(' ', 4);
        const size_t gap = line.find("  ", 4);
        const size_t text = line.find_first_not_of(' ', gap);
        flags[line.substr(4, name_end - 4)] =
            gap == std::string::npos || text == std::string::npos ? "" : line.substr(text);
    }
    return flags;
}

// One line, exit status 2, "ganvas CMD: " and then `what`.
void expect_usage_error(const std::string& args, const std::string& command,
                        const std::string& what) {
    SCOPED_TRACE(args);
    const CliResult r = run_ganvas(args);
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_EQ(r.output.rfind((command.empty() ? "ganvas: " : "ganvas " + command + ": "), 0), 0u)
        << r.output;
    EXPECT_NE(r.output.find(what), std::string::npos) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
}

}  // namespace

TEST(CliHelp, EveryCommandsHelpListsEachFlagWithItsHelp) {
    for (const auto& [command, flags] : kFlags) {
        SCOPED_TRACE("ganvas " + command);
        // stdout only: help is output, not an error.
        const CliResult r = run_command("{ " + std::string(GANVAS_BINARY) + " " + command +
                                        " --help 2>/dev/null; }");
        EXPECT_EQ(r.status, 0) << r.output;
        const std::map<std::string, std::string> listed = listed_flags(r.output);
        std::set<std::string> expected(flags.begin(), flags.end());
        std::set<std::string> got;
        for (const auto& [name, help] : listed) {
            got.insert(name);
            EXPECT_FALSE(help.empty()) << "--" << name << " has no help: " << r.output;
        }
        EXPECT_EQ(got, expected) << r.output;
        // -h is --help; `ganvas help CMD` is `ganvas CMD --help`.
        EXPECT_EQ(run_ganvas(command + " -h").output, r.output);
        EXPECT_EQ(run_ganvas("help " + command).output, r.output);
    }
}

TEST(CliHelp, TopLevelHelpListsEveryCommand) {
    const CliResult r = run_ganvas("--help");
    EXPECT_EQ(r.status, 0) << r.output;
    for (const auto& [command, flags] : kFlags) {
        if (command.empty()) continue;
        EXPECT_NE(r.output.find("\n  " + command + " "), std::string::npos) << command;
    }
    EXPECT_NE(r.output.find("ganvas CMD --help"), std::string::npos) << r.output;
    // Help comes before anything else: no window, no training, no files.
    EXPECT_EQ(run_ganvas("train --out /nonexistent/run --steps ten --help").status, 0);
}

TEST(CliHelp, UsageMistakesAreOneLineWithExitStatusTwo) {
    expect_usage_error("train --stpes 10", "train", "unknown flag --stpes (accepted: --model");
    expect_usage_error("train --stpes=10", "train", "unknown flag --stpes (accepted:");
    expect_usage_error("rf -x", "rf", "unknown flag -x (accepted: --arch --input-size --json");
    expect_usage_error("--screenshoot x.png", "", "unknown flag --screenshoot (accepted:");
    expect_usage_error("train --steps", "train", "--steps needs a value");
    expect_usage_error("train --steps=", "train", "--steps needs a value");
    // The next flag is not taken for the missing value.
    expect_usage_error("train --steps --quiet", "train", "--steps needs a value");
    expect_usage_error("eval --samples x.npy --n ten", "eval",
                       "--n expects a whole number, got 'ten'");
    expect_usage_error("upsample --in a.png --mode nearest --scale big --out b.png", "upsample",
                       "--scale expects a number, got 'big'");
    expect_usage_error("bench --steps=0", "bench", "--steps must be between 1 and 100000, got 0");
    expect_usage_error("rf --arch dcgan28:D --json=0", "rf", "--json takes no value");
    expect_usage_error("rf --arch dcgan28:D extra", "rf", "unexpected argument 'extra'");
    expect_usage_error("frobnicate", "", "unknown command 'frobnicate' (commands: train,");
    expect_usage_error("--theme solarized", "", "--theme wants dark or light, not 'solarized'");
}

TEST(CliHelp, FlagEqualsValueIsFlagSpaceValue) {
    const std::string dir = temp_dir("cli_help_equals");
    Tensor x = Tensor::empty({1, 1, 3, 4});
    for (int64_t i = 0; i < x.numel(); ++i) x.data()[i] = static_cast<float>(i);
    save_npy(dir + "/x.npy", x);
    const CliResult spaced = run_ganvas("upsample --in " + dir +
                                        "/x.npy --mode bilinear --scale 2 "
                                        "--align-corners --out " +
                                        dir + "/spaced.npy");
    ASSERT_EQ(spaced.status, 0) << spaced.output;
    const CliResult equals = run_ganvas("upsample --in=" + dir +
                                        "/x.npy --mode=bilinear --scale=2 "
                                        "--align-corners --out=" +
                                        dir + "/equals.npy");
    ASSERT_EQ(equals.status, 0) << equals.output;
    EXPECT_EQ(read_bytes(dir + "/equals.npy"), read_bytes(dir + "/spaced.npy"));
    EXPECT_EQ(load_npy(dir + "/equals.npy").shape(), (Shape{1, 1, 6, 8}));
    // A repeated flag: the last one wins, in either form.
    const CliResult last = run_ganvas("rf --arch=dcgan28:D --input-size 12 --input-size=20");
    EXPECT_EQ(last.status, 0) << last.output;
    EXPECT_NE(last.output.find("input 20x20"), std::string::npos) << last.output;
}

// --device takes cpu or gpu; anything else is refused in one line before any work.
TEST(CliHelp, AnUnknownDeviceIsRefusedInOneLine) {
    for (const char* command : {"train", "bench", "sample --checkpoint x.safetensors --out y.png"})
        expect_usage_error(std::string(command) + " --device tpu",
                           std::string(command).substr(0, std::string(command).find(' ')),
                           "--device tpu: expected cpu or gpu");
}
