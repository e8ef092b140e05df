#include "widgets/plot.h"

#include <imgui.h>
#include <imgui_internal.h>  // SetItemUsingMouseWheel: the wheel zooms instead of scrolling

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>

namespace ganvas::gui {

namespace plotmath {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The axis' own coordinate: log10 on a log axis, the value itself otherwise.
double forward(const Axis& a, double v) {
    if (!a.log) return v;
    return v > 0 ? std::log10(v) : kNaN;
}
double inverse(const Axis& a, double t) {
    return a.log ? std::pow(10.0, t) : t;
}

// Spans beyond these stop being useful: doubles cannot resolve narrower ones and
// wider ones overflow the pixel maths.
double min_span(double t0, double t1, bool log) {
    return log ? 1e-9 : std::max(std::max(std::abs(t0), std::abs(t1)), 1e-290) * 1e-9;
}
constexpr double kMaxLinearSpan = 1e300;
constexpr double kMaxLogSpan = 600;  // decades

}  // namespace

double to_pixel(const Axis& a, double value, double p0, double p1) {
    const double t0 = forward(a, a.lo), t1 = forward(a, a.hi), t = forward(a, value);
    if (!(t1 != t0)) return 0.5 * (p0 + p1);
    return p0 + (t - t0) / (t1 - t0) * (p1 - p0);
}

double from_pixel(const Axis& a, double pixel, double p0, double p1) {
    const double t0 = forward(a, a.lo), t1 = forward(a, a.hi);
    if (p1 == p0) return inverse(a, t0);
    return inverse(a, t0 + (pixel - p0) / (p1 - p0) * (t1 - t0));
}

Axis zoom_about(const Axis& a, double fixed, double factor) {
    const double t0 = forward(a, a.lo), t1 = forward(a, a.hi);
    if (!(factor > 0) || !std::isfinite(factor) || !(t1 > t0)) return a;
    double tf = forward(a, fixed);
    if (!std::isfinite(tf)) tf = 0.5 * (t0 + t1);
    // Where the fixed point sits within the range stays put; only the span changes.
    const double u = (tf - t0) / (t1 - t0);
    const double span = std::clamp((t1 - t0) / factor, min_span(t0, t1, a.log),
                                   a.log ? kMaxLogSpan : kMaxLinearSpan);
    Axis out = a;
    const double n0 = tf - u * span;
    out.lo = inverse(a, n0);
    out.hi = inverse(a, n0 + span);
    if (!std::isfinite(out.lo) || !std::isfinite(out.hi) || !(out.hi > out.lo) ||
        (a.log && !(out.lo > 0)))
        return a;
    return out;
}

Axis pan(const Axis& a, double pixels, double p0, double p1) {
    const double t0 = forward(a, a.lo), t1 = forward(a, a.hi);
    if (p1 == p0 || !std::isfinite(pixels)) return a;
    const double dt = -pixels / (p1 - p0) * (t1 - t0);
    Axis out = a;
    out.lo = inverse(a, t0 + dt);
    out.hi = inverse(a, t1 + dt);
    if (!std::isfinite(out.lo) || !std::isfinite(out.hi) || (a.log && !(out.lo > 0))) return a;
    return out;
}

void Extent::add(double v, bool log) {
    if (!std::isfinite(v) || (log && !(v > 0))) return;
    if (empty) {
        lo = hi = v;
        empty = false;
    } else {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
}

void Extent::add(const Extent& e) {
    if (e.empty) return;
    add(e.lo, false);
    add(e.hi, false);
}

Extent extent(std::span<const float> values, bool log) {
    Extent e;
    for (float v : values) e.add(v, log);
    return e;
}

Axis fit(const Extent& e, bool log, double margin) {
    Axis a;
    a.log = log;
    if (e.empty) {
        a.lo = log ? 1 : 0;
        a.hi = log ? 10 : 1;
        return a;
    }
    double t0 = forward(a, e.lo), t1 = forward(a, e.hi);
    if (!(t1 - t0 > min_span(t0, t1, log))) {
        // One value: a window around it, a decade on a log axis.
        const double half = log ? 0.5 : (t0 != 0 ? std::abs(t0) * 0.1 : 0.5);
        t0 -= half;
        t1 += half;
    } else {
        const double pad = (t1 - t0) * margin;
        t0 -= pad;
        t1 += pad;
    }
    a.lo = inverse(a, t0);
    a.hi = inverse(a, t1);
    return a;
}

std::vector<double> linear_ticks(double lo, double hi, int target, double* step_out) {
    std::vector<double> ticks;
    if (step_out) *step_out = 0;
    const double span = hi - lo;
    if (!std::isfinite(lo) || !std::isfinite(hi) || !(span > 0) || !std::isfinite(span))
        return ticks;
    const double raw = span / std::max(target, 1);
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double n = raw / mag;  // in [1, 10)
    const double step = (n < 1.5 ? 1 : n < 3.5 ? 2 : n < 7.5 ? 5 : 10) * mag;
    if (!(step > 0) || !std::isfinite(step)) return ticks;
    const double first = std::ceil(lo / step - 1e-9);
    for (int i = 0; i < 1000; ++i) {
        double v = (first + i) * step;  // a multiple, not a running sum: no drift
        if (v > hi + step * 1e-9) break;
        if (std::abs(v) < step * 1e-9) v = 0;
        ticks.push_back(v);
    }
    if (step_out) *step_out = step;
    return ticks;
}

std::vector<double> log_ticks(double lo, double hi, int target, std::vector<double>* minor) {
    std::vector<double> ticks;
    if (minor) minor->clear();
    if (!(lo > 0) || !(hi > lo) || !std::isfinite(hi)) return ticks;
    const double decades = std::log10(hi) - std::log10(lo);
    target = std::max(target, 2);
    if (decades < 1) return linear_ticks(lo, hi, target);  // too short to show a decade
    const int d0 = static_cast<int>(std::floor(std::log10(lo))) - 1;
    const int d1 = static_cast<int>(std::ceil(std::log10(hi))) + 1;
    auto in_range = [&](double v) { return v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9); };
    if (decades * 3 <= target) {
        for (int d = d0; d <= d1; ++d)
            for (double m : {1.0, 2.0, 5.0})
                if (double v = m * std::pow(10.0, d); in_range(v)) ticks.push_back(v);
        return ticks;
    }
    const int every = std::max(1, static_cast<int>(std::ceil(decades / target)));
    for (int d = d0; d <= d1; ++d) {
        const double base = std::pow(10.0, d);
        if (d % every == 0 && in_range(base)) ticks.push_back(base);
        if (minor && every == 1 && decades <= 8)
            for (int m = 2; m <= 9; ++m)
                if (in_range(m * base)) minor->push_back(m * base);
    }
    return ticks;
}

std::string tick_label(double value, double step) {
    char buf[48];
    step = std::abs(step);
    if (!std::isfinite(value)) return "";
    if (!(step > 0) || !std::isfinite(step)) step = std::abs(value) > 0 ? std::abs(value) : 1;
    if (std::abs(value) < step * 1e-6) return "0";
    const double a = std::abs(value);
    if (a >= 1e6 || a < 1e-4) {
        const int digits = std::clamp(static_cast<int>(std::floor(std::log10(a) + 1e-9) -
                                                       std::floor(std::log10(step) + 1e-9)) +
                                          1,
                                      1, 6);
        std::snprintf(buf, sizeof buf, "%.*g", digits, value);
    } else {
        const int decimals =
            std::clamp(-static_cast<int>(std::floor(std::log10(step) + 1e-9)), 0, 8);
        std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    }
    return buf;
}

void ema(std::span<const float> values, double weight, std::vector<float>& out) {
    weight = std::clamp(std::isfinite(weight) ? weight : 0.0, 0.0, 0.999);
    out.resize(values.size());
    double last = 0, debias = 1;  // debias = weight^count
    for (size_t i = 0; i < values.size(); ++i) {
        const float v = values[i];
        if (!std::isfinite(v)) {
            out[i] = std::numeric_limits<float>::quiet_NaN();
            continue;
        }
        last = weight * last + (1 - weight) * v;
        debias *= weight;
        out[i] = static_cast<float>(debias < 1 ? last / (1 - debias) : last);
    }
}

template <typename T>
size_t lower_index(std::span<const T> xs, double x) {
    return std::lower_bound(xs.begin(), xs.end(), x,
                            [](const T& a, double b) { return static_cast<double>(a) < b; }) -
           xs.begin();
}

template <typename T>
size_t upper_index(std::span<const T> xs, double x) {
    return std::upper_bound(xs.begin(), xs.end(), x,
                            [](double a, const T& b) { return a < static_cast<double>(b); }) -
           xs.begin();
}

template <typename T>
long nearest_index(std::span<const T> xs, double x) {
    if (xs.empty() || std::isnan(x)) return -1;
    const size_t i = lower_index(xs, x);
    if (i == 0) return 0;
    if (i == xs.size()) return static_cast<long>(xs.size() - 1);
    const double before = x - static_cast<double>(xs[i - 1]);
    const double after = static_cast<double>(xs[i]) - x;
    return static_cast<long>(after < before ? i : i - 1);
}

template <typename T>
void decimate(std::span<const T> xs, std::span<const float> ys, size_t i0, size_t i1, double x_lo,
              double x_hi, int columns, bool skip_gaps, std::vector<Point>& out) {
    out.clear();
    i1 = std::min({i1, xs.size(), ys.size()});
    if (i0 >= i1) return;
    auto push_break = [&] {
        if (!out.empty() && !std::isnan(out.back().y)) out.push_back({out.back().x, kNaN});
    };
    const bool keep_all =
        i1 - i0 <= 2 * static_cast<size_t>(std::max(columns, 0)) || !(x_hi > x_lo);
    if (keep_all || columns <= 0) {
        for (size_t i = i0; i < i1; ++i) {
            if (std::isfinite(ys[i]))
                out.push_back({static_cast<double>(xs[i]), ys[i]});
            else if (!skip_gaps)
                push_break();
        }
        return;
    }
    const double per_column = columns / (x_hi - x_lo);
    long column = std::numeric_limits<long>::min();
    size_t lo = 0, hi = 0;
    bool open = false;
    auto emit = [&](size_t i) {
        if (out.empty() || std::isnan(out.back().y) || out.back().x != static_cast<double>(xs[i]))
            out.push_back({static_cast<double>(xs[i]), ys[i]});
    };
    auto flush = [&] {
        if (!open) return;
        emit(std::min(lo, hi));
        emit(std::max(lo, hi));
        open = false;
    };
    // The range's first and last points are kept too: the newest value is what
    // a user watching a run looks at.
    size_t first = i0, last = i1 - 1;
    while (first < i1 && !std::isfinite(ys[first])) ++first;
    while (last > first && !std::isfinite(ys[last])) --last;
    if (first < i1) emit(first);
    for (size_t i = first; i <= last && first < i1; ++i) {
        const float y = ys[i];
        if (!std::isfinite(y)) {
            if (skip_gaps) continue;
            flush();
            push_break();
            column = std::numeric_limits<long>::min();
            continue;
        }
        // Points left or right of the view share one column each: they only
        // carry the line to the edge.
        const double c = std::floor((static_cast<double>(xs[i]) - x_lo) * per_column);
        const long ci = static_cast<long>(std::clamp(c, -1.0, static_cast<double>(columns)));
        if (!open || ci != column) {
            flush();
            column = ci;
            lo = hi = i;
            open = true;
            continue;
        }
        if (y < ys[lo]) lo = i;
        if (y > ys[hi]) hi = i;
    }
    flush();
    if (first < i1) emit(last);
}

template long nearest_index<int64_t>(std::span<const int64_t>, double);
template long nearest_index<double>(std::span<const double>, double);
template size_t lower_index<int64_t>(std::span<const int64_t>, double);
template size_t lower_index<double>(std::span<const double>, double);
template size_t upper_index<int64_t>(std::span<const int64_t>, double);
template size_t upper_index<double>(std::span<const double>, double);
template void decimate<int64_t>(std::span<const int64_t>, std::span<const float>, size_t, size_t,
                                double, double, int, bool, std::vector<Point>&);
template void decimate<double>(std::span<const double>, std::span<const float>, size_t, size_t,
                               double, double, int, bool, std::vector<Point>&);

}  // namespace plotmath

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

    draw_legend(title, series, o);
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
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28);
    if (!text.empty()) ImGui::TextUnformatted(text.c_str());
    if (footer) ImGui::TextDisabled("%s", footer);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

}  // namespace

void Plot::draw_legend(const char* title, std::span<const PlotSeries> series,
                       const PlotOptions& o) {
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
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
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
            wrapped_tooltip(ser.help, off ? "Click to show." : "Click to hide.");
        ImGui::PopID();
        const ImU32 colour = off ? ImGui::GetColorU32(ImGuiCol_TextDisabled) : ser.colour;
        const float mid = pos.y + text.y * 0.5f;
        dl->AddLine(ImVec2(pos.x, mid), ImVec2(pos.x + swatch, mid), colour, 3 * s);
        dl->AddText(ImVec2(pos.x + swatch + gap, pos.y),
                    ImGui::GetColorU32(off ? ImGuiCol_TextDisabled : ImGuiCol_Text),
                    ser.name.c_str());
    }
    if (!follow_) {
        const char* hint = "zoomed · double-click to fit";
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
        if (ImGui::MenuItem("Fit all", "double-click")) follow_ = true;
        if (ImGui::MenuItem("Follow new steps", nullptr, follow_)) follow_ = !follow_;
        if (ImGui::MenuItem("Export CSV")) export_requested = true;
        ImGui::Separator();
        ImGui::TextDisabled("Wheel: zoom about the mouse");
        ImGui::TextDisabled("Shift+wheel: y only, Ctrl+wheel: steps only");
        ImGui::TextDisabled("Drag: pan");
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
    label_w_ = widest;

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
    const float name_w = ImGui::CalcTextSize(o.x_label).x;
    dl->AddText(ImVec2(p0.x - pad - name_w, p1.y + pad * 0.5f), label, o.x_label);

    // Reference lines, labelled at the right end.
    for (const ReferenceLine& r : o.references) {
        const double py = plotmath::to_pixel(y_, r.y, p1.y, p0.y);
        if (!(py >= p0.y && py <= p1.y)) continue;
        const ImU32 colour = ImGui::GetColorU32(ImGuiCol_Text, 0.45f);
        dashed_line(dl, p0.x, p1.x, static_cast<float>(py), colour, s);
        const ImVec2 size = ImGui::CalcTextSize(r.label.c_str());
        const float ty = py - size.y - 2 * s < p0.y ? static_cast<float>(py) + 2 * s
                                                    : static_cast<float>(py) - size.y - 2 * s;
        dl->AddText(ImVec2(p1.x - size.x - pad, ty), colour, r.label.c_str());
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
    ImGui::Text("%s %s", o.x_label, x_text(snap).c_str());
    bool smoothing = false;  // a "smoothed" column only when some series has one
    for (size_t k = 0; k < series.size(); ++k)
        smoothing = smoothing || (hit[k] >= 0 && !caches_[k].smoothed.empty());
    if (ImGui::BeginTable("hover", smoothing ? 3 : 2, ImGuiTableFlags_SizingFixedFit)) {
        if (smoothing) {
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(1);
            ImGui::TextDisabled("raw");
            ImGui::TableSetColumnIndex(2);
            ImGui::TextDisabled("smoothed");
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
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ser.colour), "%s", ser.name.c_str());
            ImGui::TableNextColumn();
            if (x != snap)
                ImGui::Text("%.5g (%s %s)", raw, o.x_label, x_text(x).c_str());
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
