#include "widgets/plot_math.h"

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

}  // namespace ganvas::gui
