// Experiment files (the window's Ctrl+S / Load): JSON, the format tag, field types.
#include "fuzz/harness.h"
#include "train/experiment_file.h"

namespace ganvas::fuzz {

void fuzz_experiment(std::string_view bytes) {
    read_experiment(as_file(bytes));
}

}  // namespace ganvas::fuzz
