// Command-line flags through CLI11: each command lists its flags in a small table
// (name, value, one line of help), so `ganvas CMD --help` is generated from the same
// table that refuses a typo, and a typo is an error, not a silently ignored flag.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "backend/device.h"

namespace ganvas::cli {

// Thrown for bad usage; main prints "ganvas CMD: message" and exits 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Thrown for --help (or -h); main prints `text` on stdout and exits 0. Not a
// std::exception, so no command's catch-all can mistake it for a failure.
struct HelpRequested {
    std::string text;
};

// One flag a command accepts: `--name VALUE`, or a switch `--name` where `value` is
// empty. `value` names the value in the help ("N", "FILE.png"); `help` is one line.
struct Flag {
    std::string name;
    std::string value;
    std::string help;
};

class Args {
public:
    // `synopsis`: the command line's shape, which the table cannot say (which flags
    // are required, which exclude each other); the help prints it above the flags.
    // `--flag value` and `--flag=value` both work; the last of a repeated flag wins.
    Args(const std::vector<std::string>& argv, const std::string& synopsis,
         const std::vector<Flag>& flags);
    // The hand-written parser's form (valued flags, switches). Deleted, so a call still
    // written for it fails to compile rather than reading a flag list as a synopsis.
    Args(const std::vector<std::string>& argv, const std::set<std::string>& valued,
         const std::set<std::string>& switches) = delete;

    bool has(const std::string& flag) const { return values_.count(flag) > 0; }
    std::string str(const std::string& flag, const std::string& fallback = "") const;
    std::string required(const std::string& flag) const;
    int64_t integer(const std::string& flag, int64_t fallback, int64_t min, int64_t max) const;
    double number(const std::string& flag, double fallback, double min, double max) const;
    // `--set name=value[,name=value]`: a model's settings, as the window's sliders.
    // Empty without the flag; throws UsageError for an item that is not name=number.
    std::vector<std::pair<std::string, double>> settings(const std::string& flag) const;
    // `--device cpu|gpu` (default cpu). A GPU that cannot be used is refused here, in
    // one line naming what was found (renderer and OpenGL version), before any work.
    Device device() const;

private:
    std::map<std::string, std::string> values_;
};

// Whether `s` ends in `suffix`: how commands tell file kinds apart by extension.
bool ends_with(const std::string& s, const std::string& suffix);

}  // namespace ganvas::cli
