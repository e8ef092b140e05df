#include "train/metrics_log.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "io/atomic_file.h"
#include "io/regular_file.h"

namespace ganvas {
namespace {

std::vector<std::string> split_csv(const std::string& line) {
    std::vector<std::string> out;
    std::istringstream in(line);
    for (std::string cell; std::getline(in, cell, ',');) out.push_back(cell);
    return out;
}

}  // namespace

MetricsLog::MetricsLog(const std::string& path, int64_t resume_step,
                       std::vector<std::string> sparse)
    : path_(path), sparse_(std::move(sparse)) {
    std::vector<std::string> kept;
    if (resume_step > 0 && why_not_readable(path).empty()) {  // none yet: a fresh log
        std::ifstream in(path);
        std::string line;
        if (std::getline(in, line)) kept.push_back(line);
        while (std::getline(in, line))
            if (std::atoll(line.c_str()) <= resume_step) kept.push_back(line);
    }
    if (!kept.empty()) {
        std::vector<std::string> header = split_csv(kept[0]);
        if (header.size() >= 2) columns_.assign(header.begin() + 1, header.end() - 1);
    }
    std::ostringstream all;
    for (auto& l : kept) all << l << "\n";
    write_file_atomic(path_, [&](std::ostream& os) { os << all.str(); });
    out_.open(path_, std::ios::app);
    if (!out_) throw std::runtime_error(path_ + ": cannot open for writing");
}

void MetricsLog::add(int64_t step, const StepStats& stats, double elapsed_s) {
    if (columns_.empty()) {
        for (auto& [name, v] : stats) columns_.push_back(name);
        for (auto& name : sparse_)
            if (std::find(columns_.begin(), columns_.end(), name) == columns_.end())
                columns_.push_back(name);
        out_ << "step";
        for (auto& c : columns_) out_ << "," << c;
        out_ << ",elapsed_s\n";
    }
    out_ << step;
    for (auto& c : columns_) {
        out_ << ",";
        auto it = std::find_if(stats.begin(), stats.end(), [&](auto& s) { return s.first == c; });
        if (it != stats.end()) out_ << it->second;
    }
    out_ << "," << elapsed_s << "\n";
}

MetricHistory read_metrics_log(const std::string& path, int64_t up_to_step) {
    MetricHistory history;
    if (!why_not_readable(path).empty()) return history;  // none (or a FIFO, which would block)
    std::ifstream in(path);
    std::string line;
    if (!std::getline(in, line)) return history;
    const std::vector<std::string> header = split_csv(line);
    if (header.size() < 2 || header[0] != "step") return history;
    const float nan = std::numeric_limits<float>::quiet_NaN();
    while (std::getline(in, line)) {
        const std::vector<std::string> cells = split_csv(line);
        char* end = nullptr;
        const long long step = cells.empty() ? 0 : std::strtoll(cells[0].c_str(), &end, 10);
        if (cells.empty() || end == cells[0].c_str() || *end != '\0') continue;
        if (step > up_to_step || (!history.steps.empty() && step <= history.steps.back())) continue;
        StepStats stats;
        for (size_t c = 1; c < header.size() && c < cells.size(); ++c) {
            if (header[c] == "elapsed_s") continue;
            const char* text = cells[c].c_str();
            const float value = cells[c].empty() ? nan : std::strtof(text, &end);
            stats.emplace_back(header[c], cells[c].empty() || end == text ? nan : value);
        }
        history.add(step, stats);
    }
    return history;
}

}  // namespace ganvas
