#include "widgets/plot.h"

#include <imgui.h>
#include <imgui_internal.h>  // SetItemUsingMouseWheel: the wheel zooms instead of scrolling

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>

#include "i18n/tr.h"
#include "widgets/tooltip.h"

namespace ganvas::gui {
namespace {

// The x axis's name: the caller's, or "step" in the window's language.
const char* x_label(const PlotOptions& o) {
    return o.x_label ? o.x_label : tr("step");
}

}  // namespace

// ---- CSV ----

namespace {

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

std::string csv_number(double x, bool integral) {
    char buf[40];
    if (std::isnan(x)) return "";
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    if (integral && std::abs(x) < 9e15 && x == std::floor(x))
        std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(x));
    else
        std::snprintf(buf, sizeof buf, integral ? "%.17g" : "%.9g", x);
    return buf;
}

}  // namespace

void write_csv(std::ostream& out, std::span<const PlotSeries> series) {
    std::vector<double> xs;
    for (const auto& s : series)
        for (size_t i = 0; i < s.size(); ++i) xs.push_back(s.x(i));
    std::sort(xs.begin(), xs.end());
    xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
    out << "step";
    for (const auto& s : series) out << ',' << csv_field(s.name);
    out << '\n';
    // Each series' x increases, so one cursor per series walks the union once.
    std::vector<size_t> cursor(series.size(), 0);
    for (double x : xs) {
        out << csv_number(x, true);
        for (size_t k = 0; k < series.size(); ++k) {
            const auto& s = series[k];
            while (cursor[k] < s.size() && s.x(cursor[k]) < x) ++cursor[k];
            out << ',';
            if (cursor[k] < s.size() && s.x(cursor[k]) == x)
                out << csv_number(s.values[cursor[k]], false);
        }
        out << '\n';
    }
}

// ---- the widget ----

namespace {

using plotmath::Axis;
using plotmath::Point;

ImU32 with_alpha(ImU32 colour, float alpha) {
    ImVec4 c = ImGui::ColorConvertU32ToFloat4(colour);
    c.w *= alpha;
    return ImGui::ColorConvertFloat4ToU32(c);
}

// Far-off points (a tight zoom) would overflow the float vertices; the clip
// rectangle hides where they are anyway.
float clamp_pixel(double p) {
    return static_cast<float>(std::clamp(p, -1e5, 1e5));
}

// Calls f with the series' x as a span of its own type.
template <typename F>
auto with_x(const PlotSeries& s, F&& f) {
    return s.steps.empty() ? f(s.xs.first(s.size())) : f(s.steps.first(s.size()));
}

// The index of the finite value nearest `x`, or -1.
long nearest_finite(const PlotSeries& s, double x) {
    const long i = with_x(s, [&](auto xs) { return plotmath::nearest_index(xs, x); });
    if (i < 0 || std::isfinite(s.values[i])) return i;
    const long n = static_cast<long>(s.size());
    long lo = i - 1, hi = i + 1;
    while (lo >= 0 || hi < n) {
        while (lo >= 0 && !std::isfinite(s.values[lo])) --lo;
        while (hi < n && !std::isfinite(s.values[hi])) ++hi;
        if (lo < 0 && hi >= n) return -1;
        if (lo < 0) return hi;
        if (hi >= n) return lo;
        return x - s.x(lo) <= s.x(hi) - x ? lo : hi;
    }
    return -1;
}

std::string x_text(double x) {
    char buf[40];
    if (x == std::floor(x) && std::abs(x) < 9e15)
        std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(x));
    else
        std::snprintf(buf, sizeof buf, "%.6g", x);
    return buf;
}

void draw_points(ImDrawList* dl, const std::vector<Point>& points, const Axis& x, const Axis& y,
                 ImVec2 p0, ImVec2 p1, ImU32 colour, float thickness, float marker,
                 std::vector<ImVec2>& scratch) {
    scratch.clear();
    auto flush = [&] {
        if (scratch.size() >= 2)
            dl->AddPolyline(scratch.data(), static_cast<int>(scratch.size()), colour, 0, thickness);
        else if (scratch.size() == 1 && marker == 0)
            dl->AddCircleFilled(scratch[0], thickness, colour);
        scratch.clear();
    };
    for (const Point& pt : points) {
        const double py = plotmath::to_pixel(y, pt.y, p1.y, p0.y);
        if (!std::isfinite(py)) {
            flush();
            continue;
        }
        const ImVec2 p(clamp_pixel(plotmath::to_pixel(x, pt.x, p0.x, p1.x)), clamp_pixel(py));
        scratch.push_back(p);
        if (marker > 0) dl->AddCircleFilled(p, marker, colour, 8);
    }
    flush();
}

// Dashes by hand: ImDrawList has no dashed lines.
void dashed_line(ImDrawList* dl, float x0, float x1, float y, ImU32 colour, float scale) {
    const float dash = 6 * scale, gap = 4 * scale;
    for (float x = x0; x < x1; x += dash + gap)
        dl->AddLine(ImVec2(x, y), ImVec2(std::min(x + dash, x1), y), colour, scale);
}

}  // namespace

bool Plot::hidden(const std::string& name) const {
    return std::find(hidden_.begin(), hidden_.end(), name) != hidden_.end();
}

void Plot::update_cache(Cache& c, const PlotSeries& s, const PlotOptions& o) {
    const double smoothing = std::clamp(o.smoothing, 0.0, 0.99);
    const size_t n = s.size();
    const bool same_data = c.data == s.values.data() && c.n == n;
    if (same_data && c.smoothing == smoothing && c.log == o.log_y) return;
    const auto values = s.values.first(n);
    if (!same_data || c.smoothing != smoothing) {
        if (smoothing > 0 && !s.sparse)
            plotmath::ema(values, smoothing, c.smoothed);
        else
            c.smoothed.clear();
    }
    c.raw_extent = plotmath::extent(values, o.log_y);
    c.smooth_extent = smoothing > 0 ? plotmath::extent(c.smoothed, o.log_y) : c.raw_extent;
    c.data = s.values.data();
    c.n = n;
    c.smoothing = smoothing;
    c.log = o.log_y;
    c.columns = 0;  // the decimated points are stale
}

void Plot::fit_now(std::span<const PlotSeries> series, const PlotOptions& o) {
    plotmath::Extent xe, ye;
    for (size_t k = 0; k < series.size(); ++k) {
        const PlotSeries& s = series[k];
        if (hidden(s.name) || s.size() == 0) continue;
        xe.add(s.x(0), false);
        xe.add(s.x(s.size() - 1), false);
        ye.add(caches_[k].raw_extent);
        ye.add(caches_[k].smooth_extent);
    }
    if (o.y_include) {
        ye.add(o.y_include_lo, o.log_y);
        ye.add(o.y_include_hi, o.log_y);
    }
    x_ = plotmath::fit(xe, false, 0.0);
    y_ = plotmath::fit(ye, o.log_y, 0.06);
}

bool Plot::draw(const char* title, std::span<const PlotSeries> series, const PlotOptions& o,
                ImVec2 size) {
    ImGui::PushID(title);
    const float s = o.scale;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float w = std::max(size.x > 0 ? size.x : avail.x, 80 * s);
    const float h = std::max(size.y > 0 ? size.y : avail.y, 80 * s);
    const ImVec2 top = ImGui::GetCursorScreenPos();

    caches_.resize(series.size());
    double newest = -std::numeric_limits<double>::infinity();
    bool integral_x = true;
    for (size_t k = 0; k < series.size(); ++k) {
        update_cache(caches_[k], series[k], o);
        if (series[k].size() > 0) newest = std::max(newest, series[k].x(series[k].size() - 1));
        integral_x = integral_x && !series[k].steps.empty();
    }
    // Fewer steps than last frame: the run was reset or restored, so the old zoom means nothing.
    if (std::isfinite(newest)) {
        if (newest < last_x_) follow_ = true;
        last_x_ = newest;
    }
    if (o.log_y != log_y_) {
        log_y_ = o.log_y;
        const Axis keep_x = x_;
        fit_now(series, o);
        if (!follow_) x_ = keep_x;
    }
    if (follow_) fit_now(series, o);

    // The legend wraps at the plot's own right edge: two plots side by side in a
    // narrow window each keep theirs (wrapped at the window's edge, the first
    // plot's legend pushed the second plot past it).
    draw_legend(
        title, series, o,
        std::min(top.x + w, ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x));
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float plot_h = std::max(h - (origin.y - top.y), 40 * s);
    const float pad = 6 * s, font = ImGui::GetFontSize();
    if (label_w_ == 0) label_w_ = ImGui::CalcTextSize("0.000").x;
    const ImVec2 p0(origin.x + label_w_ + 2 * pad, origin.y + pad);
    const ImVec2 p1(origin.x + w - pad, origin.y + plot_h - font - 1.5f * pad);

    ImGui::SetCursorScreenPos(p0);
    ImGui::InvisibleButton("area",
                           ImVec2(std::max(p1.x - p0.x, 1.0f), std::max(p1.y - p0.y, 1.0f)));
    const bool hovered = ImGui::IsItemHovered();
    handle_input(p0, p1, hovered);
    const bool export_requested = draw_menu();

    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p0, p1, ImGui::GetColorU32(ImGuiCol_FrameBg, 0.45f));
    draw_axes(dl, origin, p0, p1, integral_x, o);
    dl->PushClipRect(p0, p1, true);
    draw_series(dl, p0, p1, series, o);
    draw_reference_labels(dl, p0, p1, o);
    if (hovered && !ImGui::IsMouseDragging(0)) draw_hover(dl, p0, p1, series, o);
    dl->PopClipRect();
    dl->AddRect(p0, p1, ImGui::GetColorU32(ImGuiCol_Border));

    ImGui::SetCursorScreenPos(origin);
    ImGui::Dummy(ImVec2(w, plot_h));
    ImGui::PopID();
    return export_requested;
}

namespace {

void wrapped_tooltip(const std::string& text, const char* footer = nullptr) {
    ImGui::BeginTooltip();
    const float wrap_at = ImGui::GetFontSize() * 28;
    ImGui::PushTextWrapPos(wrap_at);
    if (!text.empty()) text_wrapped(text.c_str(), wrap_at - ImGui::GetCursorPosX());
    if (footer) ImGui::TextDisabled("%s", footer);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

}  // namespace

void Plot::draw_legend(const char* title, std::span<const PlotSeries> series, const PlotOptions& o,
                       float right) {
    const float s = o.scale;
    ImGui::TextUnformatted(title);
    if (!o.help.empty()) {
        if (ImGui::IsItemHovered()) wrapped_tooltip(o.help);
        ImGui::SameLine(0, 4 * s);
        ImGui::TextDisabled("(?)");
        if (ImGui::IsItemHovered()) wrapped_tooltip(o.help);
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float swatch = 16 * s, gap = 5 * s;
    for (size_t k = 0; k < series.size(); ++k) {
        const PlotSeries& ser = series[k];
        const bool off = hidden(ser.name);
        const ImVec2 text = ImGui::CalcTextSize(ser.name.c_str());
        const ImVec2 entry(swatch + gap + text.x, text.y);
        const float spacing = k == 0 ? 18 * s : 14 * s;
        // Many series wrap onto further rows instead of running off the edge.
        if (ImGui::GetItemRectMax().x + spacing + entry.x <= right) ImGui::SameLine(0, spacing);
        const ImVec2 pos = ImGui::GetCursorScreenPos();
        ImGui::PushID(static_cast<int>(k));
        if (ImGui::InvisibleButton("legend", entry)) {
            if (off)
                hidden_.erase(std::find(hidden_.begin(), hidden_.end(), ser.name));
            else
                hidden_.push_back(ser.name);
        }
        if (ImGui::IsItemHovered())
            wrapped_tooltip(ser.help, off ? tr("Click to show.") : tr("Click to hide."));
        ImGui::PopID();
        const ImU32 colour = off ? ImGui::GetColorU32(ImGuiCol_TextDisabled) : ser.colour;
        const float mid = pos.y + text.y * 0.5f;
        dl->AddLine(ImVec2(pos.x, mid), ImVec2(pos.x + swatch, mid), colour, 3 * s);
        dl->AddText(ImVec2(pos.x + swatch + gap, pos.y),
                    ImGui::GetColorU32(off ? ImGuiCol_TextDisabled : ImGuiCol_Text),
                    ser.name.c_str());
    }
    if (!follow_) {
        const char* hint = tr("zoomed · double-click to fit");
        const float hint_w = ImGui::CalcTextSize(hint).x;
        const float after = ImGui::GetItemRectMax().x + 14 * s;
        if (after + hint_w <= right) {
            ImGui::SameLine();
            ImGui::SetCursorScreenPos(
                ImVec2(std::max(after, right - hint_w), ImGui::GetCursorScreenPos().y));
        }
        ImGui::TextDisabled("%s", hint);
    }
}

void Plot::handle_input(ImVec2 p0, ImVec2 p1, bool hovered) {
    const ImGuiIO& io = ImGui::GetIO();
    if (hovered) ImGui::SetItemUsingMouseWheel();
    if (hovered && io.MouseWheel != 0) {
        const double factor = std::pow(1.2, static_cast<double>(io.MouseWheel));
        const ImVec2 m = io.MousePos;
        if (!io.KeyShift)
            x_ = plotmath::zoom_about(x_, plotmath::from_pixel(x_, m.x, p0.x, p1.x), factor);
        if (!io.KeyCtrl)
            y_ = plotmath::zoom_about(y_, plotmath::from_pixel(y_, m.y, p1.y, p0.y), factor);
        follow_ = false;
    }
    if (ImGui::IsItemActive() && ImGui::IsMouseDragging(0, 2) &&
        (io.MouseDelta.x != 0 || io.MouseDelta.y != 0)) {
        x_ = plotmath::pan(x_, io.MouseDelta.x, p0.x, p1.x);
        y_ = plotmath::pan(y_, io.MouseDelta.y, p1.y, p0.y);
        follow_ = false;
    }
    if (hovered && ImGui::IsMouseDoubleClicked(0)) follow_ = true;
}

bool Plot::draw_menu() {
    bool export_requested = false;
    if (ImGui::BeginPopupContextItem("plot menu")) {
        if (ImGui::MenuItem(tr("Fit all"), tr("double-click"))) follow_ = true;
        if (ImGui::MenuItem(tr("Follow new steps"), nullptr, follow_)) follow_ = !follow_;
        if (ImGui::MenuItem(tr("Export CSV"))) export_requested = true;
        ImGui::Separator();
        ImGui::TextDisabled("%s", tr("Wheel: zoom about the mouse"));
        ImGui::TextDisabled("%s", tr("Shift+wheel: y only, Ctrl+wheel: steps only"));
        ImGui::TextDisabled("%s", tr("Drag: pan"));
        ImGui::EndPopup();
    }
    return export_requested;
}

void Plot::draw_axes(ImDrawList* dl, ImVec2 origin, ImVec2 p0, ImVec2 p1, bool integral_x,
                     const PlotOptions& o) {
    const float s = o.scale, pad = 6 * s, font = ImGui::GetFontSize();
    const ImU32 grid = ImGui::GetColorU32(ImGuiCol_Text, 0.10f);
    const ImU32 minor_grid = ImGui::GetColorU32(ImGuiCol_Text, 0.04f);
    const ImU32 label = ImGui::GetColorU32(ImGuiCol_TextDisabled);

    // y: gridlines and right-aligned labels left of the plot.
    const int y_target = std::max(2, static_cast<int>((p1.y - p0.y) / (font * 2.2f)));
    std::vector<double> minor;
    double y_step = 0;
    const std::vector<double> y_ticks =
        y_.log ? plotmath::log_ticks(y_.lo, y_.hi, y_target, &minor)
               : plotmath::linear_ticks(y_.lo, y_.hi, y_target, &y_step);
    for (double v : minor) {
        const float py = static_cast<float>(plotmath::to_pixel(y_, v, p1.y, p0.y));
        dl->AddLine(ImVec2(p0.x, py), ImVec2(p1.x, py), minor_grid);
    }
    float widest = ImGui::CalcTextSize("0").x;
    float last_top = std::numeric_limits<float>::infinity();
    for (size_t i = 0; i < y_ticks.size(); ++i) {
        const double v = y_ticks[i];
        double step = y_step;
        if (y_.log) {
            // Each label needs the decimals of its own decade, or of the spacing when closer.
            step = std::pow(10.0, std::floor(std::log10(v) + 1e-9));
            if (i + 1 < y_ticks.size()) step = std::min(step, y_ticks[i + 1] - v);
            if (i > 0) step = std::min(step, v - y_ticks[i - 1]);
        }
        const float py = static_cast<float>(plotmath::to_pixel(y_, v, p1.y, p0.y));
        dl->AddLine(ImVec2(p0.x, py), ImVec2(p1.x, py), grid);
        const std::string text = plotmath::tick_label(v, step);
        const ImVec2 size = ImGui::CalcTextSize(text.c_str());
        widest = std::max(widest, size.x);
        const float ty = std::clamp(py - size.y * 0.5f, origin.y, p1.y - size.y * 0.5f);
        if (ty + size.y > last_top) continue;  // would overlap the label below
        dl->AddText(ImVec2(p0.x - pad - size.x, ty), label, text.c_str());
        last_top = ty;
    }
    // The corner under the y labels also holds the x axis' name, so it is never cut.
    label_w_ = std::max(widest, ImGui::CalcTextSize(x_label(o)).x);

    // x: gridlines and centred labels under the plot. Steps are whole numbers.
    const int x_target = std::max(2, static_cast<int>((p1.x - p0.x) / (font * 5.5f)));
    double x_step = 0;
    std::vector<double> x_ticks = plotmath::linear_ticks(x_.lo, x_.hi, x_target, &x_step);
    if (integral_x && x_step < 1) {
        x_ticks.clear();
        for (double v = std::ceil(x_.lo); v <= x_.hi && x_ticks.size() < 64; ++v)
            x_ticks.push_back(v);
        x_step = 1;
    }
    float last_right = -std::numeric_limits<float>::infinity();
    for (double v : x_ticks) {
        const float px = static_cast<float>(plotmath::to_pixel(x_, v, p0.x, p1.x));
        dl->AddLine(ImVec2(px, p0.y), ImVec2(px, p1.y), grid);
        const std::string text = plotmath::tick_label(v, x_step);
        const float tw = ImGui::CalcTextSize(text.c_str()).x;
        const float tx = std::clamp(px - tw * 0.5f, p0.x - pad, p1.x + pad - tw);
        if (tx < last_right + pad) continue;
        dl->AddText(ImVec2(tx, p1.y + pad * 0.5f), label, text.c_str());
        last_right = tx + tw;
    }
    // The x axis' name sits in the empty corner under the y labels.
    const float name_w = ImGui::CalcTextSize(x_label(o)).x;
    dl->AddText(ImVec2(p0.x - pad - name_w, p1.y + pad * 0.5f), label, x_label(o));

    // Reference lines; their labels go on top of the curves (draw_reference_labels).
    for (const ReferenceLine& r : o.references) {
        const double py = plotmath::to_pixel(y_, r.y, p1.y, p0.y);
        if (!(py >= p0.y && py <= p1.y)) continue;
        dashed_line(dl, p0.x, p1.x, static_cast<float>(py),
                    ImGui::GetColorU32(ImGuiCol_Text, 0.45f), s);
    }
}

// Each reference line's label at its right end, over the curves on a plate of
// the window's colour: a curve passing there must not make it unreadable.
void Plot::draw_reference_labels(ImDrawList* dl, ImVec2 p0, ImVec2 p1, const PlotOptions& o) {
    const float s = o.scale, pad = 6 * s;
    const ImU32 colour = ImGui::GetColorU32(ImGuiCol_Text, 0.6f);
    const ImU32 plate = ImGui::GetColorU32(ImGuiCol_WindowBg, 0.8f);
    for (const ReferenceLine& r : o.references) {
        const double py = plotmath::to_pixel(y_, r.y, p1.y, p0.y);
        if (!(py >= p0.y && py <= p1.y)) continue;
        const ImVec2 size = ImGui::CalcTextSize(r.label.c_str());
        const float ty = py - size.y - 2 * s < p0.y ? static_cast<float>(py) + 2 * s
                                                    : static_cast<float>(py) - size.y - 2 * s;
        const ImVec2 at(p1.x - size.x - pad, ty);
        dl->AddRectFilled(ImVec2(at.x - 2 * s, at.y), ImVec2(at.x + size.x + 2 * s, at.y + size.y),
                          plate, 2 * s);
        dl->AddText(at, colour, r.label.c_str());
    }
}

void Plot::draw_series(ImDrawList* dl, ImVec2 p0, ImVec2 p1, std::span<const PlotSeries> series,
                       const PlotOptions& o) {
    const float s = o.scale;
    const int columns = std::max(1, static_cast<int>(p1.x - p0.x));
    for (size_t k = 0; k < series.size(); ++k) {
        const PlotSeries& ser = series[k];
        Cache& c = caches_[k];
        if (hidden(ser.name) || ser.size() == 0) continue;
        const bool smoothed = !c.smoothed.empty();
        if (c.columns != columns || c.view_lo != x_.lo || c.view_hi != x_.hi) {
            // One point beyond each edge carries the line to the border.
            with_x(ser, [&](auto xs) {
                const size_t lo = plotmath::lower_index(xs, x_.lo);
                const size_t i0 = lo > 0 ? lo - 1 : 0;
                const size_t i1 = std::min(plotmath::upper_index(xs, x_.hi) + 1, xs.size());
                plotmath::decimate(xs, ser.values, i0, i1, x_.lo, x_.hi, columns, ser.sparse,
                                   c.raw_points);
                if (smoothed)
                    plotmath::decimate(xs, std::span<const float>(c.smoothed), i0, i1, x_.lo, x_.hi,
                                       columns, ser.sparse, c.smooth_points);
                else
                    c.smooth_points.clear();
                return 0;
            });
            c.columns = columns;
            c.view_lo = x_.lo;
            c.view_hi = x_.hi;
        }
        // Sparse measurements are few: dots show where each one was taken.
        const float marker =
            ser.sparse && c.raw_points.size() * 6 < static_cast<size_t>(columns) ? 2.5f * s : 0;
        if (smoothed) {
            draw_points(dl, c.raw_points, x_, y_, p0, p1, with_alpha(ser.colour, 0.28f), 1.0f * s,
                        marker, scratch_);
            draw_points(dl, c.smooth_points, x_, y_, p0, p1, ser.colour, 1.8f * s, 0, scratch_);
        } else {
            draw_points(dl, c.raw_points, x_, y_, p0, p1, ser.colour, 1.5f * s, marker, scratch_);
        }
    }
}

void Plot::draw_hover(ImDrawList* dl, ImVec2 p0, ImVec2 p1, std::span<const PlotSeries> series,
                      const PlotOptions& o) {
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const double mx = plotmath::from_pixel(x_, mouse.x, p0.x, p1.x);
    std::vector<long> hit(series.size(), -1);
    double snap = std::numeric_limits<double>::quiet_NaN(), best = snap;
    for (size_t k = 0; k < series.size(); ++k) {
        if (hidden(series[k].name)) continue;
        hit[k] = nearest_finite(series[k], mx);
        if (hit[k] < 0) continue;
        const double x = series[k].x(hit[k]), d = std::abs(x - mx);
        if (!(d >= best)) {
            best = d;
            snap = x;
        }
    }
    if (std::isnan(snap)) return;
    const float px = static_cast<float>(plotmath::to_pixel(x_, snap, p0.x, p1.x));
    dl->AddLine(ImVec2(px, p0.y), ImVec2(px, p1.y), ImGui::GetColorU32(ImGuiCol_Text, 0.35f),
                o.scale);

    ImGui::BeginTooltip();
    ImGui::Text("%s %s", x_label(o), x_text(snap).c_str());
    bool smoothing = false;  // a "smoothed" column only when some series has one
    for (size_t k = 0; k < series.size(); ++k)
        smoothing = smoothing || (hit[k] >= 0 && !caches_[k].smoothed.empty());
    if (ImGui::BeginTable("hover", smoothing ? 3 : 2, ImGuiTableFlags_SizingFixedFit)) {
        if (smoothing) {
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(1);
            ImGui::TextDisabled("%s", tr("raw"));
            ImGui::TableSetColumnIndex(2);
            ImGui::TextDisabled("%s", tr("smoothed"));
        }
        for (size_t k = 0; k < series.size(); ++k) {
            if (hit[k] < 0) continue;
            const PlotSeries& ser = series[k];
            const float raw = ser.values[hit[k]];
            const float smooth = caches_[k].smoothed.empty() ? raw : caches_[k].smoothed[hit[k]];
            const double x = ser.x(hit[k]);
            const double py = plotmath::to_pixel(y_, smoothing ? smooth : raw, p1.y, p0.y);
            if (std::isfinite(py))
                dl->AddCircleFilled(
                    ImVec2(static_cast<float>(plotmath::to_pixel(x_, x, p0.x, p1.x)),
                           clamp_pixel(py)),
                    3.5f * o.scale, ser.colour);
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            colour_label(ser.colour, ser.name.c_str());
            ImGui::TableNextColumn();
            if (x != snap)
                ImGui::Text("%.5g (%s %s)", raw, x_label(o), x_text(x).c_str());
            else
                ImGui::Text("%.5g", raw);
            if (smoothing) {
                ImGui::TableNextColumn();
                if (!caches_[k].smoothed.empty()) ImGui::Text("%.5g", smooth);
            }
        }
        ImGui::EndTable();
    }
    ImGui::EndTooltip();
}

}  // namespace ganvas::gui
