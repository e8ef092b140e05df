#include "widgets/format_numbers.h"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>

namespace ganvas::gui {

std::string format_count(int64_t n) {
    // Work on the magnitude as unsigned so INT64_MIN does not overflow.
    const bool negative = n < 0;
    uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
    std::string digits = std::to_string(magnitude);
    std::string out;
    const size_t lead = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
    out.append(digits, 0, lead);
    for (size_t i = lead; i < digits.size(); i += 3) {
        out += ',';
        out.append(digits, i, 3);
    }
    return negative ? "-" + out : out;
}

std::string format_share(double fraction) {
    if (!std::isfinite(fraction)) return "—";
    const double percent = fraction * 100;
    if (percent > 0 && percent < 0.05) return "<0.1%";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", percent);
    return buf;
}

std::string format_value(double v) {
    return format_value(v, 3);
}

std::string format_value(double v, int digits) {
    if (std::isnan(v)) return "—";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[48];
    const double a = std::fabs(v);
    if (a != 0 && (a < 1e-3 || a >= 1e4))
        std::snprintf(buf, sizeof buf, "%.*e", digits - 1, v);
    else
        std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    return buf;
}

int axis_digits(double lo, double hi) {
    const double span = std::fabs(hi - lo), size = std::max(std::fabs(lo), std::fabs(hi));
    if (!(span > 0) || !std::isfinite(size)) return 3;
    // One more digit for every decade the span sits below the values' size.
    const int extra = static_cast<int>(std::ceil(std::log10(size / span))) - 1;
    return std::clamp(3 + std::max(extra, 0), 3, 7);
}

std::string format_batch_shape(const Shape& shape) {
    if (shape.empty()) return "—";
    std::string out = "(B";
    for (size_t i = 1; i < shape.size(); ++i) out += ", " + std::to_string(shape[i]);
    return out + ")";
}

std::string format_text(const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    va_list again;
    va_copy(again, args);
    const int n = std::vsnprintf(nullptr, 0, fmt, args);
    va_end(args);
    std::string out(n > 0 ? static_cast<size_t>(n) : 0, '\0');
    if (n > 0) std::vsnprintf(out.data(), out.size() + 1, fmt, again);
    va_end(again);
    return out;
}

}  // namespace ganvas::gui
