#include "train/run_history.h"

#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <ostream>
#include <stdexcept>
#include <system_error>

#include "io/atomic_file.h"
#include "io/image_png.h"
#include "train/metrics_log.h"

namespace ganvas {
namespace {

namespace fs = std::filesystem;

// How `ganvas train` tiles its grids (save_image_grid with 8 a row, its default padding).
constexpr int64_t kGridColumns = 8, kGridPadding = 2;

// The images of `tile` (N, C, H, W) back out of a grid (1, C, H', W'); undefined if the
// grid does not have the size make_grid gives N such images.
Tensor cut_grid(const Tensor& grid, const Shape& tile) {
    const int64_t n = tile[0], c = tile[1], h = tile[2], w = tile[3];
    const int64_t cols = std::min(kGridColumns, n), rows = (n + cols - 1) / cols;
    if (grid.size(1) != c || grid.size(2) != rows * (h + kGridPadding) + kGridPadding ||
        grid.size(3) != cols * (w + kGridPadding) + kGridPadding)
        return Tensor();
    const int64_t grid_h = grid.size(2), grid_w = grid.size(3);
    Tensor images = Tensor::empty(tile);  // (N, C, H, W)
    const float* src = grid.data();       // (1, C, H', W')
    float* dst = images.data();
    for (int64_t i = 0; i < n; ++i) {
        const int64_t top = (i / cols) * (h + kGridPadding) + kGridPadding;
        const int64_t left = (i % cols) * (w + kGridPadding) + kGridPadding;
        for (int64_t ch = 0; ch < c; ++ch)
            for (int64_t y = 0; y < h; ++y)
                std::copy_n(src + (ch * grid_h + top + y) * grid_w + left, w,
                            dst + ((i * c + ch) * h + y) * w);
    }
    return images;
}

// The metrics.csv layout MetricsLog writes, without its elapsed_s column (a window
// session's wall time is not the run's); NaN is an empty cell.
void write_metrics_csv(const std::string& path, const MetricHistory& m) {
    write_file_atomic(path, [&](std::ostream& out) {
        out << "step";
        for (auto& name : m.names) out << "," << name;
        out << "\n";
        out.precision(9);
        for (size_t row = 0; row < m.rows(); ++row) {
            out << m.steps[row];
            for (auto& column : m.columns) {
                out << ",";
                if (std::isfinite(column[row])) out << column[row];
            }
            out << "\n";
        }
    });
}

// An empty folder named TARGET + infix + random, made with mkdtemp.
fs::path make_temporary_folder(const fs::path& target, const std::string& infix) {
    std::string pattern = target.string() + infix + "XXXXXX";
    if (!::mkdtemp(pattern.data()))
        throw std::runtime_error(pattern + ": cannot create the folder (" + std::strerror(errno) +
                                 ")");
    return pattern;
}

}  // namespace

int64_t sample_grid_step(const std::string& filename) {
    const std::string prefix = "samples_", suffix = ".png";
    if (filename.size() <= prefix.size() + suffix.size() || filename.rfind(prefix, 0) != 0 ||
        filename.compare(filename.size() - suffix.size(), suffix.size(), suffix) != 0)
        return -1;
    const std::string digits =
        filename.substr(prefix.size(), filename.size() - prefix.size() - suffix.size());
    if (digits.size() > 18 ||
        !std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
        return -1;
    return std::stoll(digits);
}

RunHistory read_run_history(const std::string& dir, int64_t up_to_step, const Shape& tile) {
    RunHistory history;
    history.metrics = read_metrics_log((fs::path(dir) / "metrics.csv").string(), up_to_step);
    std::error_code ec;
    if (tile.size() != 4 || !fs::is_directory(dir, ec)) return history;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const int64_t step = sample_grid_step(entry.path().filename().string());
        if (step < 0 || step > up_to_step) continue;
        try {
            Tensor images = cut_grid(load_image(entry.path().string(), int(tile[1])), tile);
            if (images.defined()) history.samples.push_back({step, images});
        } catch (const std::runtime_error&) {
            // an unreadable grid is left out, the rest of the run still shows
        }
    }
    std::sort(history.samples.begin(), history.samples.end(),
              [](auto& a, auto& b) { return a.step < b.step; });
    return history;
}

void write_run_history(const std::string& dir, const RunHistory& history) {
    const fs::path target(dir);
    std::error_code ec;
    // Fresh private names beside the target: a fixed ".new" could be a planted link.
    const fs::path fresh = make_temporary_folder(target, ".new-");
    try {
        write_metrics_csv((fresh / "metrics.csv").string(), history.metrics);
        for (auto& grid : history.samples)
            save_image_grid((fresh / ("samples_" + std::to_string(grid.step) + ".png")).string(),
                            grid.images, static_cast<int>(kGridColumns),
                            static_cast<int>(kGridPadding));
    } catch (...) {
        fs::remove_all(fresh, ec);
        throw;
    }
    // The old history steps aside before the new one takes its name, and goes only after.
    // rename() replaces the empty folder made for it.
    fs::path old;
    try {
        old = make_temporary_folder(target, ".old-");
    } catch (...) {
        fs::remove_all(fresh, ec);
        throw;
    }
    const bool had_old = fs::exists(target, ec);
    if (had_old) fs::rename(target, old, ec);
    if (!ec) fs::rename(fresh, target, ec);
    if (ec) {
        std::error_code back;
        if (had_old && !fs::exists(target, back)) fs::rename(old, target, back);
        fs::remove_all(fresh, back);
        fs::remove(old, back);  // only while empty: never the old history itself
        throw std::runtime_error(dir + ": cannot replace the history folder (" + ec.message() +
                                 ")");
    }
    fs::remove_all(old, ec);
}

}  // namespace ganvas
