#include "cli/bench_profile.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ganvas::cli {
namespace {

// Milliseconds per step, to the microsecond: the JSON stays readable.
double ms_per_step(double seconds, int64_t steps) {
    return std::round(seconds * 1e6 / static_cast<double>(steps)) / 1e3;
}

std::string format(const char* fmt, auto... values) {
    char buf[256];
    std::snprintf(buf, sizeof buf, fmt, values...);
    return buf;
}

}  // namespace

std::string profile_table(const std::string& model, const OpProfile& profile, int64_t steps) {
    size_t width = std::string(kOutsideOps).size();
    for (const OpProfileRow& row : profile.ops) width = std::max(width, row.op.size());
    const int w = static_cast<int>(width);
    const double per_step = 1e3 / static_cast<double>(steps);  // seconds -> ms per step
    const double wall = profile.wall_seconds > 0 ? profile.wall_seconds : 1.0;
    auto line = [&](const std::string& name, const std::array<double, kPhaseCount>& seconds,
                    double total, const std::string& calls) {
        std::string text =
            format("%-*s %9.3f %9.3f %9.3f %9.3f %6.1f%% %10s", w, name.c_str(),
                   seconds[0] * per_step, seconds[1] * per_step, seconds[2] * per_step,
                   total * per_step, 100.0 * total / wall, calls.c_str());
        text.erase(text.find_last_not_of(' ') + 1);  // the last two rows have no calls
        return text + "\n";
    };
    std::string out = format("%s: ms per step by op and phase (%lld profiled steps)\n",
                             model.c_str(), static_cast<long long>(steps));
    out += format("%-*s %9s %9s %9s %9s %7s %10s\n", w, "op", "forward", "backward", "optimizer",
                  "total", "share", "calls/step");
    std::array<double, kPhaseCount> sums = profile.outside_ops_seconds;
    for (const OpProfileRow& row : profile.ops) {
        out += line(row.op, row.seconds, row.total_seconds(),
                    format("%.4g", static_cast<double>(row.total_calls()) / steps));
        for (size_t i = 0; i < kPhaseCount; ++i) sums[i] += row.seconds[i];
    }
    const auto& outside = profile.outside_ops_seconds;
    out += line(kOutsideOps, outside, outside[0] + outside[1] + outside[2], "");
    out += line("total", sums, profile.wall_seconds, "");
    return out;
}

nlohmann::ordered_json profile_json(const OpProfile& profile, int64_t steps) {
    auto row_json = [&](const std::string& op, const std::array<double, kPhaseCount>& seconds,
                        int64_t calls) {
        const double per_step = static_cast<double>(calls) / static_cast<double>(steps);
        return nlohmann::ordered_json{
            {"op", op},
            {"forward_ms", ms_per_step(seconds[0], steps)},
            {"backward_ms", ms_per_step(seconds[1], steps)},
            {"optimizer_ms", ms_per_step(seconds[2], steps)},
            {"calls", calls % steps == 0 ? nlohmann::ordered_json(calls / steps)
                                         : nlohmann::ordered_json(per_step)}};
    };
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (const OpProfileRow& row : profile.ops)
        rows.push_back(row_json(row.op, row.seconds, row.total_calls()));
    rows.push_back(row_json(kOutsideOps, profile.outside_ops_seconds, 0));
    return rows;
}

}  // namespace ganvas::cli
