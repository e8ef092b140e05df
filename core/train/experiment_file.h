// Experiment files: the settings of a window session as JSON, beside the
// checkpoint that holds its weights ("my_run.json" + "my_run.safetensors") and
// the folder that holds its history ("my_run.history/": metrics.csv and the
// sample grids, as `ganvas train --out` lays out a run; train/run_history.h).
#pragma once

#include <map>
#include <string>

#include "train/session.h"

namespace ganvas {

struct Experiment {
    SessionConfig config;
    int64_t budget = 3000;                // the step budget the ETA counts down to
    std::map<std::string, double> hyper;  // Model::hyper_params() values by name
    std::string checkpoint;               // path of the checkpoint, absolute or beside the file
    std::string history;  // the history folder, the same way; "": none (files before it existed)
};

// The checkpoint path that goes with an experiment file: its extension becomes .safetensors.
std::string checkpoint_path_for(const std::string& experiment_path);
// And the history folder: its extension becomes .history.
std::string history_path_for(const std::string& experiment_path);

// Written atomically. Read validates everything and throws std::runtime_error
// naming the file and the field.
void write_experiment(const std::string& path, const Experiment& e);
Experiment read_experiment(const std::string& path);

}  // namespace ganvas
