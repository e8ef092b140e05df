#include "data/tensorboard_reader.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "data/tensorboard_event.h"
#include "data/tfrecord.h"

namespace fs = std::filesystem;

namespace ganvas {
namespace {

constexpr int kMaxDepth = 8;  // folders below the log folder searched for runs

// Appends in step order; a step at or before the last one replaces from there on.
template <typename Point>
void add_point(std::vector<Point>& points, Point point) {
    while (!points.empty() && points.back().step >= point.step) points.pop_back();
    points.push_back(std::move(point));
}

bool is_numeric(int dtype) {
    return dtype != 0 && dtype != kDtString;
}

size_t elements(const EventTensor& t) {
    size_t n = 1;
    for (int64_t d : t.shape) n *= static_cast<size_t>(std::max<int64_t>(d, 0));
    return n;
}

// One summary value into the run, its plugin taken from the tag's first event if it
// names none.
void add_value(TensorBoardRun& run, std::map<std::string, std::string>& plugins, const Event& event,
               const SummaryValue& v) {
    std::string plugin = v.plugin;
    if (plugin.empty()) {
        const auto it = plugins.find(v.tag);
        if (it != plugins.end()) plugin = it->second;
    } else {
        plugins.emplace(v.tag, plugin);
    }
    switch (v.kind) {
        case SummaryValue::Kind::simple_value:
            add_point(run.scalars[v.tag], ScalarPoint{event.step, event.wall_time, v.simple_value});
            return;
        case SummaryValue::Kind::image:
            add_point(run.images[v.tag],
                      ImagePoint{event.step, event.wall_time, v.image.width, v.image.height,
                                 v.image.colorspace, v.image.encoded});
            return;
        case SummaryValue::Kind::tensor:
            break;
        case SummaryValue::Kind::none:
            return;
    }
    const EventTensor& t = v.tensor;
    if (is_numeric(t.dtype) && (plugin == "scalars" || plugin.empty()) && elements(t) == 1 &&
        t.numbers.size() == 1) {
        add_point(run.scalars[v.tag], ScalarPoint{event.step, event.wall_time, t.numbers[0]});
    } else if (t.dtype == kDtString && plugin == "text" && !t.strings.empty()) {
        std::string text = t.strings[0];
        for (size_t i = 1; i < t.strings.size(); ++i) text += "\n" + t.strings[i];
        add_point(run.texts[v.tag], TextPoint{event.step, std::move(text)});
    } else if (t.dtype == kDtString && plugin == "images" && t.strings.size() >= 3) {
        ImagePoint image{event.step, event.wall_time, 0, 0, 0, t.strings[2]};
        image.width = std::atoi(t.strings[0].c_str());
        image.height = std::atoi(t.strings[1].c_str());
        add_point(run.images[v.tag], std::move(image));
    }
}

bool holds_event_file(const fs::path& folder) {
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(folder, error))
        if (entry.is_regular_file(error) && is_event_file_name(entry.path().filename().string()))
            return true;
    return false;
}

TensorBoardRun read_run(const fs::path& folder, const std::string& name) {
    TensorBoardRun run;
    run.name = name;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(folder, error))
        if (entry.is_regular_file(error) && is_event_file_name(entry.path().filename().string()))
            run.files.push_back(entry.path().string());
    // Names carry the writer's start time: in name order the files follow the run.
    std::sort(run.files.begin(), run.files.end());
    for (const std::string& file : run.files) read_event_file(file, run);
    return run;
}

// What a legend calls the log folder's own run: the folder's name as the user wrote
// it, also for "." or a path that ends in a slash ("." for the file system's root).
std::string folder_name(const std::string& dir) {
    std::error_code error;
    fs::path path = fs::absolute(fs::path(dir), error);
    if (error) path = fs::path(dir);
    path = path.lexically_normal();
    if (!path.has_filename()) path = path.parent_path();
    const std::string name = path.filename().string();
    return name.empty() || name == "." || name == ".." ? "." : name;
}

}  // namespace

bool is_event_file_name(const std::string& name) {
    return name.find("tfevents") != std::string::npos;
}

void read_event_file(const std::string& path, TensorBoardRun& run) {
    TFRecordScan scan;
    try {
        scan = scan_tfrecord(path);
    } catch (const std::exception& e) {
        run.warnings.push_back(e.what());
        return;
    }
    std::map<std::string, std::string> plugins;  // by tag, from its first event
    uint64_t at = 0;
    for (size_t i = 0; i < scan.records.size(); ++i) {
        const std::string& record = scan.records[i];
        Event event;
        try {
            event = parse_event(record);
        } catch (const std::exception& e) {
            run.warnings.push_back(path + ": record " + std::to_string(i) + " (at byte " +
                                   std::to_string(at) + "): " + e.what() + "; read up to there (" +
                                   std::to_string(i) + " events)");
            return;
        }
        at += record.size() + 16;  // the framing: length, its checksum, the data's checksum
        ++run.events;
        for (const SummaryValue& v : event.values) add_value(run, plugins, event, v);
    }
    if (!scan.damage.empty())
        run.warnings.push_back(scan.damage + "; read up to there (" +
                               std::to_string(scan.records.size()) + " events)");
}

std::vector<TensorBoardRun> read_tensorboard_log(const std::string& dir) {
    std::error_code error;
    if (fs::is_regular_file(dir, error)) {
        TensorBoardRun run;
        run.name = fs::path(dir).filename().string();
        run.files = {dir};
        read_event_file(dir, run);
        return {run};
    }
    if (!fs::is_directory(dir, error)) throw std::runtime_error(dir + ": no such folder");
    std::vector<TensorBoardRun> runs;
    if (holds_event_file(dir)) runs.push_back(read_run(dir, folder_name(dir)));
    const size_t first_below = runs.size();
    // Symbolic links are not followed: a link back up cannot loop the walk.
    fs::recursive_directory_iterator walk(dir, fs::directory_options::skip_permission_denied,
                                          error);
    for (; !error && walk != fs::recursive_directory_iterator(); walk.increment(error)) {
        if (walk.depth() >= kMaxDepth) walk.disable_recursion_pending();
        std::error_code entry_error;
        if (!walk->is_directory(entry_error) || walk->is_symlink(entry_error) ||
            !holds_event_file(walk->path()))
            continue;
        runs.push_back(read_run(walk->path(), fs::relative(walk->path(), dir).string()));
    }
    if (runs.empty())
        throw std::runtime_error(dir +
                                 ": holds no TensorBoard event file (events.out.tfevents.*) in "
                                 "it or in the folders below it");
    // A folder below with the same name as the log folder: the log folder's run is ".".
    for (size_t i = first_below; first_below > 0 && i < runs.size(); ++i)
        if (runs[i].name == runs[0].name) runs[0].name = ".";
    // The folder itself first, then the folders below it by name.
    std::sort(runs.begin() + static_cast<std::ptrdiff_t>(first_below), runs.end(),
              [](const TensorBoardRun& a, const TensorBoardRun& b) { return a.name < b.name; });
    return runs;
}

}  // namespace ganvas
