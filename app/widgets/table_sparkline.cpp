#include "widgets/table_sparkline.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>

#include "i18n/tr.h"
#include "widgets/format_numbers.h"

namespace ganvas::gui {

int nearest_point(float mouse_x, float left, float width, int count) {
    if (count <= 0) return -1;
    if (count == 1 || width <= 0) return 0;
    // PlotLines spreads point i at left + i / (count - 1) * width.
    const float t = std::clamp((mouse_x - left) / width, 0.0f, 1.0f);
    return static_cast<int>(std::lround(t * (count - 1)));
}

namespace {

// ImGui 1.86's PlotLines takes its size literally (no -FLT_MIN for "fill"): measure it.
float fill_width() {
    return std::max(4.0f, ImGui::GetContentRegionAvail().x);
}

// A flat series would collapse PlotLines' scale to a point: give it some room.
void plot_range(const SparkSeries& s, float* lo, float* hi) {
    *lo = s.min;
    *hi = s.max;
    if (*hi - *lo < 1e-12f) {
        const float pad = std::max(std::fabs(*hi) * 0.05f, 1e-6f);
        *lo -= pad;
        *hi += pad;
    }
}

// Draws the line and reports its frame; true when clicked. PlotLines' own hover
// shows a point index, which means nothing here, so read_out's replaces it.
bool plot(const char* id, const SparkSeries& s, ImVec4 color, ImVec2 size, ImVec2* min,
          ImVec2* max) {
    float lo, hi;
    plot_range(s, &lo, &hi);
    ImGui::PushStyleColor(ImGuiCol_PlotLines, color);
    ImGui::PushStyleColor(ImGuiCol_PlotLinesHovered, color);
    ImGui::PlotLines(id, s.values.data(), static_cast<int>(s.values.size()), 0, nullptr, lo, hi,
                     size);
    ImGui::PopStyleColor(2);
    *min = ImGui::GetItemRectMin();
    *max = ImGui::GetItemRectMax();
    return ImGui::IsItemClicked();
}

void read_out(const SparkSeries& s, bool log_scale, const char* what, ImVec2 min, ImVec2 max) {
    if (!ImGui::IsItemHovered()) return;
    const ImVec2 pad = ImGui::GetStyle().FramePadding;
    const int i = nearest_point(ImGui::GetIO().MousePos.x, min.x + pad.x, max.x - min.x - 2 * pad.x,
                                static_cast<int>(s.values.size()));
    if (i < 0) return;
    ImGui::SetTooltip(tr("step %lld: %s = %s\nrange %s … %s"), static_cast<long long>(s.steps[i]),
                      what, format_value(axis_value(s.values[i], log_scale)).c_str(),
                      format_value(axis_value(s.min, log_scale)).c_str(),
                      format_value(axis_value(s.max, log_scale)).c_str());
}

}  // namespace

bool sparkline(const char* id, const SparkSeries& series, bool log_scale, const char* what,
               ImVec4 color) {
    if (series.empty()) {
        ImGui::TextDisabled("—");
        return false;
    }
    ImVec2 min, max;
    const bool clicked =
        plot(id, series, color, ImVec2(fill_width(), ImGui::GetFrameHeight()), &min, &max);
    read_out(series, log_scale, what, min, max);
    return clicked;
}

void norm_chart(const char* id, const SparkSeries& series, bool log_scale, const char* what,
                ImVec4 color, float height) {
    if (series.empty()) {
        ImGui::TextDisabled("%s", tr("no values yet"));
        return;
    }
    ImVec2 min, max;
    plot(id, series, color, ImVec2(fill_width(), height), &min, &max);
    read_out(series, log_scale, what, min, max);

    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    const ImVec2 pad(4, 2);
    const double hi = axis_value(series.max, log_scale), lo = axis_value(series.min, log_scale);
    const int digits = axis_digits(lo, hi);
    const std::string top = format_value(hi, digits), bottom = format_value(lo, digits);
    const std::string now = format_text(
        tr("now %s"), format_value(axis_value(series.values.back(), log_scale), digits).c_str());
    const std::string steps =
        format_text(tr("steps %lld–%lld"), static_cast<long long>(series.steps.front()),
                    static_cast<long long>(series.steps.back()));
    const float line = ImGui::GetTextLineHeight();
    draw->AddText(ImVec2(min.x + pad.x, min.y + pad.y), text, top.c_str());
    draw->AddText(ImVec2(min.x + pad.x, max.y - line - pad.y), text, bottom.c_str());
    const float now_w = ImGui::CalcTextSize(now.c_str()).x;
    draw->AddText(ImVec2(max.x - now_w - pad.x, min.y + pad.y), ImGui::GetColorU32(color),
                  now.c_str());
    const float steps_w = ImGui::CalcTextSize(steps.c_str()).x;
    draw->AddText(ImVec2(max.x - steps_w - pad.x, max.y - line - pad.y), text, steps.c_str());
}

}  // namespace ganvas::gui
