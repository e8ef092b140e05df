#include "widgets/table_layer_norms.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ganvas::gui {

namespace {
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
}

std::vector<size_t> columns_under(const std::vector<std::string>& names, const std::string& layer) {
    // Match whole path components: "G.up1" must not claim "G.up10.weight".
    const std::string prefix = layer + ".";
    std::vector<size_t> out;
    for (size_t c = 0; c < names.size(); ++c)
        if (names[c].compare(0, prefix.size(), prefix) == 0) out.push_back(c);
    return out;
}

std::vector<float> combined_norm(const MetricHistory& history, const std::vector<size_t>& columns) {
    std::vector<float> out(history.rows(), kNaN);
    for (size_t r = 0; r < history.rows(); ++r) {
        double sum = 0;
        bool any = false;
        for (size_t c : columns) {
            if (c >= history.columns.size() || r >= history.columns[c].size()) continue;
            const float v = history.columns[c][r];
            if (std::isnan(v)) continue;
            sum += static_cast<double>(v) * v;
            any = true;
        }
        if (any) out[r] = static_cast<float>(std::sqrt(sum));
    }
    return out;
}

std::vector<float> norm_ratio(const std::vector<float>& numerator,
                              const std::vector<float>& denominator) {
    std::vector<float> out(std::min(numerator.size(), denominator.size()), kNaN);
    for (size_t i = 0; i < out.size(); ++i)
        if (!std::isnan(numerator[i]) && denominator[i] > 0) out[i] = numerator[i] / denominator[i];
    return out;
}

SparkSeries spark_series(const std::vector<float>& values, const std::vector<int64_t>& steps,
                         bool log_scale) {
    SparkSeries s;
    for (size_t i = 0; i < values.size() && i < steps.size(); ++i) {
        float v = values[i];
        if (log_scale) v = v > 0 ? std::log10(v) : kNaN;
        if (!std::isfinite(v)) continue;
        s.values.push_back(v);
        s.steps.push_back(steps[i]);
    }
    if (!s.values.empty()) {
        const auto [lo, hi] = std::minmax_element(s.values.begin(), s.values.end());
        s.min = *lo;
        s.max = *hi;
    }
    return s;
}

double axis_value(float plotted, bool log_scale) {
    return log_scale ? std::pow(10.0, static_cast<double>(plotted)) : plotted;
}

std::string tensor_label(const std::string& tensor, const std::string& layer) {
    const std::string prefix = layer + ".";
    if (tensor.compare(0, prefix.size(), prefix) == 0) return tensor.substr(prefix.size());
    return tensor;
}

std::string leaf_name(const std::string& layer) {
    const size_t dot = layer.rfind('.');
    return dot == std::string::npos ? layer : layer.substr(dot + 1);
}

float latest(const std::vector<float>& values) {
    return values.empty() ? kNaN : values.back();
}

}  // namespace ganvas::gui
