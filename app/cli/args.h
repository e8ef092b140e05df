// Command-line flags: `--name value` and `--switch`, checked against what a
// subcommand accepts, so a typo is an error, not a silently ignored flag.
#pragma once

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace ganvas::cli {

// Thrown for bad usage; main prints "ganvas CMD: message" and exits 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Args {
public:
    // `valued`: flags that take a value; `switches`: flags that do not.
    Args(const std::vector<std::string>& argv, const std::set<std::string>& valued,
         const std::set<std::string>& switches);

    bool has(const std::string& flag) const { return values_.count(flag) > 0; }
    std::string str(const std::string& flag, const std::string& fallback = "") const;
    std::string required(const std::string& flag) const;
    int64_t integer(const std::string& flag, int64_t fallback, int64_t min, int64_t max) const;
    double number(const std::string& flag, double fallback, double min, double max) const;
    // `--set name=value[,name=value]`: a model's settings, as the window's sliders.
    // Empty without the flag; throws UsageError for an item that is not name=number.
    std::vector<std::pair<std::string, double>> settings(const std::string& flag) const;

private:
    std::map<std::string, std::string> values_;
};

// Whether `s` ends in `suffix`: how commands tell file kinds apart by extension.
bool ends_with(const std::string& s, const std::string& suffix);

}  // namespace ganvas::cli
