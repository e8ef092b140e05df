#include "panels/feature_columns_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

namespace ganvas::gui {
namespace {

std::string number_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

template <typename T, typename Format>
std::string list_text(const std::vector<T>& values, size_t max_values, Format format) {
    if (values.size() == 1) return format(values[0]);
    std::string out = "[";
    for (size_t i = 0; i < values.size() && i < max_values; ++i) {
        if (i > 0) out += ", ";
        out += format(values[i]);
    }
    if (values.size() > max_values) out += ", …";
    return out + "]";
}

}  // namespace

std::string raw_value_text(const Feature* feature, size_t max_values) {
    if (!feature || feature->kind == Feature::Kind::none) return "—";
    switch (feature->kind) {
        case Feature::Kind::bytes:
            return list_text(feature->bytes, max_values, [](const std::string& s) { return s; });
        case Feature::Kind::floats:
            return list_text(feature->floats, max_values, [](float v) { return number_text(v); });
        case Feature::Kind::ints:
            return list_text(feature->ints, max_values,
                             [](int64_t v) { return std::to_string(v); });
        case Feature::Kind::none:
            break;
    }
    return "—";
}

std::string ids_text(const std::vector<int64_t>& ids, const std::vector<float>& weights) {
    std::string out;
    for (size_t i = 0; i < ids.size(); ++i) {
        if (i > 0) out += ", ";
        out += std::to_string(ids[i]);
        if (i < weights.size()) out += " (" + number_text(weights[i]) + ")";
    }
    return out;
}

std::vector<std::string> feature_keys(const std::vector<Example>& examples) {
    std::set<std::string> keys;
    for (const Example& e : examples)
        for (const auto& [key, feature] : e) keys.insert(key);
    return {keys.begin(), keys.end()};
}

int64_t BucketCollisions::colliding() const {
    int64_t n = 0;
    for (const SharedBucket& b : shared) n += static_cast<int64_t>(b.raws.size());
    return n;
}

BucketCollisions count_collisions(const std::vector<std::pair<std::string, int64_t>>& seen) {
    std::map<int64_t, std::set<std::string>> by_bucket;
    std::set<std::string> distinct;
    for (const auto& [raw, bucket] : seen) {
        by_bucket[bucket].insert(raw);
        distinct.insert(raw);
    }
    BucketCollisions out;
    out.distinct = static_cast<int64_t>(distinct.size());
    out.buckets_used = static_cast<int64_t>(by_bucket.size());
    for (const auto& [bucket, raws] : by_bucket)
        if (raws.size() > 1) out.shared.push_back({bucket, {raws.begin(), raws.end()}});
    std::stable_sort(
        out.shared.begin(), out.shared.end(),
        [](const SharedBucket& a, const SharedBucket& b) { return a.raws.size() > b.raws.size(); });
    return out;
}

const SharedBucket* shared_bucket(const BucketCollisions& collisions, int64_t id) {
    for (const SharedBucket& b : collisions.shared)
        if (b.bucket == id) return &b;
    return nullptr;
}

std::string shared_buckets_text(const BucketCollisions& collisions, size_t buckets, size_t names) {
    std::string out;
    for (size_t b = 0; b < collisions.shared.size() && b < buckets; ++b) {
        const SharedBucket& shared = collisions.shared[b];
        if (!out.empty()) out += "   ";
        out += std::to_string(shared.bucket) + ": ";
        for (size_t i = 0; i < shared.raws.size() && i < names; ++i)
            out += (i ? ", " : "") + shared.raws[i];
        if (shared.raws.size() > names) out += ", … (" + std::to_string(shared.raws.size()) + ")";
    }
    return out;
}

uint32_t signed_heat_colour(float value, float limit) {
    const float t = limit > 0 && std::isfinite(value) ? std::clamp(value / limit, -1.0f, 1.0f) : 0;
    // From a dark grey at zero towards orange (positive) or blue (negative), so the
    // sign reads at a glance and small values stay visibly non-zero.
    const float base[3] = {38, 38, 44};
    const float positive[3] = {255, 150, 40};
    const float negative[3] = {70, 150, 255};
    const float* end = t >= 0 ? positive : negative;
    const float a = std::sqrt(std::abs(t));  // lifts small magnitudes off the background
    uint32_t rgba = 0xFF000000u;
    for (int c = 0; c < 3; ++c) {
        const auto v = static_cast<uint32_t>(std::lround(base[c] + a * (end[c] - base[c])));
        rgba |= v << (8 * c);
    }
    return rgba;
}

std::vector<float> strongest_in_bins(const std::vector<float>& values, size_t bins) {
    if (bins == 0 || values.size() <= bins) return values;
    std::vector<float> out(bins, 0.0f);
    for (size_t b = 0; b < bins; ++b) {
        const size_t begin = b * values.size() / bins, end = (b + 1) * values.size() / bins;
        for (size_t i = begin; i < end; ++i)
            if (std::isfinite(values[i]) && std::abs(values[i]) > std::abs(out[b]))
                out[b] = values[i];
    }
    return out;
}

float abs_limit(const std::vector<float>& values, float floor) {
    float m = floor;
    for (float v : values)
        if (std::isfinite(v)) m = std::max(m, std::abs(v));
    return m;
}

std::vector<LabelPlace> place_group_labels(const std::vector<std::pair<float, float>>& spans,
                                           const std::vector<std::string>& names, float left,
                                           float right, int lines, float gap,
                                           const TextMeasure& measure) {
    std::vector<LabelPlace> out;
    std::vector<float> end(static_cast<size_t>(std::max(lines, 1)), left);  // taken up to
    for (size_t g = 0; g < spans.size() && g < names.size(); ++g) {
        const auto [x0, x1] = spans[g];
        const float w = measure(names[g]);
        const float x = std::clamp((x0 + x1 - w) / 2, left, std::max(left, right - w));
        bool placed = false;
        for (size_t l = 0; l < end.size() && !placed; ++l) {
            if (x < end[l]) continue;
            out.push_back({g, static_cast<int>(l), x, names[g]});
            end[l] = x + w + gap;
            placed = true;
        }
        if (placed) continue;
        // No line has room for the whole name: the emptiest line, from where it is free
        // to the end of the group (or as far as the group is wide).
        const size_t l =
            static_cast<size_t>(std::min_element(end.begin(), end.end()) - end.begin());
        const float start = std::max(end[l], x0);
        const float room = std::min(right, std::max(x1, start + (x1 - x0))) - start;
        const std::string text = fit_text(names[g], room, measure);
        if (text.empty() || text == "…" || measure(text) > room) continue;
        out.push_back({g, static_cast<int>(l), start, text});
        end[l] = start + measure(text) + gap;
    }
    return out;
}

std::string path_or(const std::string& path, const std::string& fallback) {
    return path.find_first_not_of(" \t") == std::string::npos ? fallback : path;
}

std::string display_path(const std::string& path, const std::string& cwd) {
    namespace fs = std::filesystem;
    if (path.empty() || cwd.empty() || !fs::path(path).is_absolute()) return path;
    const fs::path relative = fs::path(path).lexically_normal().lexically_relative(fs::path(cwd));
    if (relative.empty() || relative == "." || *relative.begin() == "..") return path;
    return relative.string();
}

}  // namespace ganvas::gui
