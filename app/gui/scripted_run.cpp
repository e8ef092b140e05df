#include "gui/scripted_run.h"

#include <imgui.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "gui/tab_set.h"
#include "i18n/tr.h"
#include "io/image_png.h"

namespace ganvas::gui {
namespace {

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

// Frames drawn on a tab before it is audited: ImGui lays a new tab bar or
// window out over a frame or two.
constexpr int kSettleFrames = 4;

}  // namespace

int write_screenshot_png(const std::string& path, const std::vector<uint8_t>& pixels, int w,
                         int h) {
    try {
        if (auto dir = std::filesystem::path(path).parent_path(); !dir.empty())
            std::filesystem::create_directories(dir);
        save_png(path, w, h, 4, pixels.data());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ganvas: %s\n", e.what());
        return 1;
    }
    return 0;
}

void write_timing_json(const std::string& path, const std::vector<double>& frame_ms,
                       const TrainerSnapshot& s) {
    // The first frames upload fonts and textures: leave them out of the figures.
    std::vector<double> frames(frame_ms.begin() + std::min<size_t>(frame_ms.size(), 10),
                               frame_ms.end());
    char json[512];
    std::snprintf(json, sizeof json,
                  "{\"frames\": %zu, \"frame_ms_median\": %.3f, \"frame_ms_p95\": %.3f, "
                  "\"steps\": %lld, \"ms_per_step\": %.2f, \"ms_per_step_wall\": %.2f, "
                  "\"threads\": %d}\n",
                  frames.size(), percentile(frames, 0.5), percentile(frames, 0.95),
                  static_cast<long long>(s.step),
                  s.step > 0 ? 1000 * s.train_seconds / s.step : 0.0,
                  s.step > 0 ? 1000 * s.loop_seconds / s.step : 0.0, s.threads);
    if (path == "-")
        std::fputs(json, stdout);
    else
        std::ofstream(path) << json;
}

void LayoutTour::before_frame(TabSet& tabs) {
    if (tab_ < static_cast<int>(tabs.entries().size()) &&
        tabs.shown_title() != tabs.entries()[tab_].title)
        tabs.want(tab_);
}

bool LayoutTour::after_frame(const TabSet& tabs) {
    const int n = static_cast<int>(tabs.entries().size());
    if (tab_ >= n) return true;
    if (tabs.shown_title() != tabs.entries()[tab_].title || ++settled_ < kSettleFrames)
        return false;
    Visit visit;
    const int w = workspace_of(tabs.workspaces(), tab_);
    visit.workspace = w >= 0 ? tabs.workspaces()[w].name : "";
    visit.tab = tabs.entries()[tab_].title;
    const ImFont& font = *ImGui::GetIO().Fonts->Fonts[0];
    visit.issues = audit_text(*ImGui::GetDrawData(), font);
    for (LayoutIssue& issue : audit_tab_bars()) visit.issues.push_back(std::move(issue));
    for (LayoutIssue& issue : audit_windows()) visit.issues.push_back(std::move(issue));
    visits_.push_back(std::move(visit));
    if (tab_ == 0) {
        std::vector<std::string> texts = i18n::chinese_texts();
        if (i18n::current_language() == i18n::Language::English) texts.clear();
        missing_ = missing_glyphs(font, texts);
    }
    settled_ = 0;
    return ++tab_ >= n;
}

int LayoutTour::write(const std::string& language, int width, int height, float scale) const {
    nlohmann::json out;
    out["language"] = language;
    out["size"] = {width, height};
    out["scale"] = scale;
    out["missing_glyphs"] = missing_;
    out["visits"] = nlohmann::json::array();
    for (const Visit& v : visits_) {
        nlohmann::json issues = nlohmann::json::array();
        for (const LayoutIssue& i : v.issues)
            issues.push_back({{"kind", i.kind}, {"window", i.window}, {"text", i.text}});
        out["visits"].push_back({{"workspace", v.workspace}, {"tab", v.tab}, {"issues", issues}});
    }
    std::ofstream file(path_);
    file << out.dump(2) << "\n";
    if (!file) {
        std::fprintf(stderr, "ganvas: %s: cannot write the layout audit\n", path_.c_str());
        return 1;
    }
    return 0;
}

}  // namespace ganvas::gui
