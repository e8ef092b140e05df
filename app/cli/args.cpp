#include "cli/args.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "tensor/tensor.h"

namespace ganvas::cli {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& valued,
           const std::set<std::string>& switches) {
    for (size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (a.rfind("--", 0) != 0) throw UsageError("unexpected argument '" + a + "'");
        std::string name = a.substr(2), value;
        if (auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
        } else if (valued.count(name)) {
            if (i + 1 >= argv.size()) throw UsageError("--" + name + " needs a value");
            value = argv[++i];
        }
        if (!valued.count(name) && !switches.count(name)) {
            std::string known;
            for (auto& v : valued) known += " --" + v;
            for (auto& s : switches) known += " --" + s;
            throw UsageError("unknown flag --" + name + " (accepted:" + known + ")");
        }
        values_[name] = value;
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

}  // namespace ganvas::cli
