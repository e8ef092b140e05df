// The subcommands of the ganvas executable (DESIGN.md "Command line").
#pragma once

#include <string>
#include <vector>

namespace ganvas::cli {

using Argv = std::vector<std::string>;

int run_train(const Argv& args);
int run_sample(const Argv& args);
int run_bench(const Argv& args);
int run_eval(const Argv& args);
int run_upsample(const Argv& args);
int run_rf(const Argv& args);
int run_reconstruct(const Argv& args);
int run_columns(const Argv& args);
int run_window(const Argv& args);  // no subcommand: the GUI (or the headless default)

}  // namespace ganvas::cli
