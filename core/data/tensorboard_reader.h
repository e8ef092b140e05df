// Reading TensorBoard logs: a folder of runs, each a folder of event files
// (data/tensorboard_event.h), as TensorBoard's own loader sees them.
//
// Scalars come from either encoding: simple_value (PyTorch's SummaryWriter,
// tensorboardX, Ganvas) or a one-element numeric tensor (TensorFlow 2's
// tf.summary.scalar, plugin "scalars"). TensorFlow 2 names a tag's plugin only in the
// tag's first event, so a run remembers it for the tag's later ones. Images come from
// Summary.Image (PyTorch, TF1) or TF2's string tensors (plugin "images": width,
// height, then encoded images; the first is kept); text from the text plugin's
// string tensors.
//
// A file cut short or damaged is read up to the damage: the events before it count,
// and one warning line says which file, record and byte offset.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ganvas {

struct ScalarPoint {
    int64_t step = 0;
    double wall_time = 0;
    double value = 0;
};

struct ImagePoint {
    int64_t step = 0;
    double wall_time = 0;
    int width = 0, height = 0, channels = 0;  // as the summary declares them
    std::string encoded;                      // PNG, JPEG or GIF bytes
};

struct TextPoint {
    int64_t step = 0;
    std::string text;
};

struct TensorBoardRun {
    // The folder, relative to the log folder; the log folder's own run is named after
    // the folder ("tblog" for "runs/tblog/" or for "." inside it).
    std::string name;
    std::vector<std::string> files;
    // By tag, in step order. A step logged again (a resumed run going over steps it had
    // logged before stopping) replaces what was logged from that step on.
    std::map<std::string, std::vector<ScalarPoint>> scalars;
    std::map<std::string, std::vector<ImagePoint>> images;
    std::map<std::string, std::vector<TextPoint>> texts;
    std::vector<std::string> warnings;  // one line per damaged file or unreadable event
    int64_t events = 0;
};

// Whether a file name is an event file's ("events.out.tfevents.*" and the like).
bool is_event_file_name(const std::string& name);

// Adds the events of one file to `run`. Damage is a warning in `run`, never a throw.
void read_event_file(const std::string& path, TensorBoardRun& run);

// The runs under `dir`: the folder itself if it holds event files, and every folder
// below it that does (as TensorBoard's --logdir), the folder itself first and the
// rest by name. `dir` may also be one event file. Throws std::runtime_error naming
// `dir` when it does not exist or holds no event file.
std::vector<TensorBoardRun> read_tensorboard_log(const std::string& dir);

}  // namespace ganvas
