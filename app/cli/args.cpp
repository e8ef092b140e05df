#include "cli/args.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <sstream>

#include "backend/backend.h"
#include "tensor/tensor.h"

namespace ganvas::cli {

namespace {

// The help shows the command's synopsis, not CLI11's "Usage: NAME [OPTIONS]":
// the synopsis says which flags are required and which exclude each other.
class SynopsisFormatter : public CLI::Formatter {
public:
    explicit SynopsisFormatter(std::string synopsis) : synopsis_(std::move(synopsis)) {}
    std::string make_usage(const CLI::App*, std::string) const override {
        return "usage: " + synopsis_ + "\n";
    }

private:
    std::string synopsis_;
};

std::string accepted(const std::vector<Flag>& flags) {
    std::string list;
    for (const Flag& f : flags) list += " --" + f.name;
    return list;
}

// CLI11 leaves what it does not know in remaining(); the first of them is the mistake.
UsageError not_accepted(const std::string& arg, const std::vector<Flag>& flags) {
    if (arg.size() < 2 || arg[0] != '-' || arg == "--")
        return UsageError("unexpected argument '" + arg + "' (flags start with --)");
    const std::string name = arg.substr(0, arg.find('='));
    return UsageError("unknown flag " + name + " (accepted:" + accepted(flags) +
                      "; --help explains them)");
}

}  // namespace

Args::Args(const std::vector<std::string>& argv, const std::string& synopsis,
           const std::vector<Flag>& flags) {
    CLI::App app;
    app.option_defaults()->group("flags");
    app.set_help_flag("-h,--help", "print this help and exit");
    app.formatter(std::make_shared<SynopsisFormatter>(synopsis));
    size_t widest = 0;
    for (const Flag& f : flags) widest = std::max(widest, f.name.size() + f.value.size() + 3);
    app.get_formatter()->column_width(widest + 4);  // each help on its flag's line
    app.allow_extras();  // unknown flags get this file's message, which lists the known ones
    std::vector<std::pair<const Flag*, CLI::Option*>> options;
    for (const Flag& f : flags) {
        CLI::Option* option =
            f.value.empty()
                ? app.add_flag("--" + f.name)
                // Zero or one value, so a missing value is this file's message, not CLI11's.
                : app.add_option("--" + f.name)
                      ->expected(0, 1)
                      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
                      ->option_text(f.value);
        options.emplace_back(&f, option->description(f.help));
    }
    std::vector<std::string> reversed(argv.rbegin(), argv.rend());  // CLI11 pops from the back
    try {
        app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
        throw HelpRequested{app.help()};
    } catch (const CLI::ParseError& e) {
        throw UsageError(e.what());
    }
    if (!app.remaining().empty()) throw not_accepted(app.remaining().front(), flags);
    for (const auto& [flag, option] : options) {
        if (option->count() == 0) continue;
        const std::string value = option->results().back();  // the last one given wins
        if (flag->value.empty() && value != "true")          // CLI11 reads `--json=0` as false
            throw UsageError("--" + flag->name + " takes no value, got '" + value + "'");
        if (!flag->value.empty() && value.empty())
            throw UsageError("--" + flag->name + " needs a value (" + flag->value + ")");
        values_[flag->name] = flag->value.empty() ? "" : value;
    }
}

std::string Args::str(const std::string& flag, const std::string& fallback) const {
    auto it = values_.find(flag);
    return it == values_.end() ? fallback : it->second;
}

std::string Args::required(const std::string& flag) const {
    auto it = values_.find(flag);
    if (it == values_.end() || it->second.empty()) throw UsageError("--" + flag + " is required");
    return it->second;
}

int64_t Args::integer(const std::string& flag, int64_t fallback, int64_t min, int64_t max) const {
    auto it = values_.find(flag);
    if (it == values_.end()) return fallback;
    errno = 0;
    char* end = nullptr;
    long long v = std::strtoll(it->second.c_str(), &end, 10);
    if (it->second.empty() || *end != '\0' || errno == ERANGE)
        throw UsageError("--" + flag + " expects a whole number, got '" + it->second + "'");
    if (v < min || v > max)
        throw UsageError("--" + flag + " must be between " + std::to_string(min) + " and " +
                         std::to_string(max) + ", got " + it->second);
    return v;
}

double Args::number(const std::string& flag, double fallback, double min, double max) const {
    auto it = values_.find(flag);
    if (it == values_.end()) return fallback;
    char* end = nullptr;
    double v = std::strtod(it->second.c_str(), &end);
    if (it->second.empty() || *end != '\0' || !std::isfinite(v))
        throw UsageError("--" + flag + " expects a number, got '" + it->second + "'");
    if (v < min || v > max)
        throw UsageError("--" + flag + " must be between " + number_str(min) + " and " +
                         number_str(max) + ", got " + it->second);
    return v;
}

std::vector<std::pair<std::string, double>> Args::settings(const std::string& flag) const {
    std::vector<std::pair<std::string, double>> out;
    if (!has(flag)) return out;
    std::stringstream list(str(flag));
    for (std::string item; std::getline(list, item, ',');) {
        const size_t eq = item.find('=');
        size_t used = 0;
        double value = 0;
        try {
            if (eq == std::string::npos || eq == 0) throw std::invalid_argument(item);
            value = std::stod(item.substr(eq + 1), &used);
        } catch (const std::logic_error&) {
            used = 0;
        }
        if (used == 0 || used != item.size() - eq - 1)
            throw UsageError("--" + flag + " expects name=value[,name=value], got '" + item + "'");
        out.emplace_back(item.substr(0, eq), value);
    }
    return out;
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Device Args::device() const {
    const std::string text = str("device", "cpu");
    const std::optional<Device> device = parse_device(text);
    if (!device) throw UsageError("--device " + text + ": expected cpu or gpu");
    std::string why;
    if (!backend_available(*device, &why)) throw UsageError("--device " + text + ": " + why);
    return *device;
}

}  // namespace ganvas::cli
