// Text for numbers in tables: counts with thousands separators, shares of a
// total, norms that span many decades, and layer shapes with the batch dim as B;
// and printf into a string, for a translated sentence built with its numbers.
#pragma once

#include <cstdint>
#include <string>

#include "tensor/tensor.h"

namespace ganvas::gui {

// 1234567 -> "1,234,567"; negative numbers keep their sign: "-1,000".
std::string format_count(int64_t n);

// A fraction of a whole as a percentage: 0.123 -> "12.3%". Tiny but non-zero
// shares read "<0.1%" rather than a misleading "0.0%".
std::string format_share(double fraction);

// Three significant digits, switching to exponent notation for very small or
// large values (norms span 1e-8 .. 1e3); NaN reads "—" (not measured).
std::string format_value(double v);

// `digits` significant digits, same rules as format_value otherwise.
std::string format_value(double v, int digits);

// Significant digits that tell an axis' ends lo and hi apart: 3, more when the
// range is narrow next to the values (12.67 .. 12.70 needs 4), at most 7.
int axis_digits(double lo, double hi);

// A traced output shape for one example, its first dim shown as the batch:
// (1, 64, 14, 14) -> "(B, 64, 14, 14)". An empty shape (the layer did not run) -> "—".
std::string format_batch_shape(const Shape& shape);

// printf into a std::string: format_text(tr("Wrote %s (%zu steps)"), path, n), so a
// sentence is translated whole instead of glued together from pieces.
std::string format_text(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

}  // namespace ganvas::gui
