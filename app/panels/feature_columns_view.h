// What the Feature columns panel shows, worked out without drawing anything, so it
// is tested without a window: the raw features of the first records as text, which
// raw strings share a hash bucket, and the colours of the dense input's heat map.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "data/tf_example.h"
#include "widgets/fit_text.h"

namespace ganvas::gui {

// A raw feature as one cell of a table: "Acme", "49.77", "[sale, eco]"; a missing
// feature reads "—". Lists longer than `max_values` end in "…".
std::string raw_value_text(const Feature* feature, size_t max_values = 4);

// A record's ids as text: "3", "2, 5"; with weights "2 (0.52), 0 (0.3)".
std::string ids_text(const std::vector<int64_t>& ids, const std::vector<float>& weights);

// Every feature key any of `examples` holds, in key order.
std::vector<std::string> feature_keys(const std::vector<Example>& examples);

// Raw strings that landed in the same hash bucket.
struct SharedBucket {
    int64_t bucket = 0;
    std::vector<std::string> raws;  // two or more, sorted
};

struct BucketCollisions {
    int64_t distinct = 0;              // distinct raw strings seen
    int64_t buckets_used = 0;          // buckets at least one of them landed in
    std::vector<SharedBucket> shared;  // the buckets holding more than one, fullest first
    // Raw strings that share their bucket with another: hashing cannot tell them apart.
    int64_t colliding() const;
};

// The collisions among (raw string, bucket) pairs, one pair per value seen (repeats
// of the same pair count once).
BucketCollisions count_collisions(const std::vector<std::pair<std::string, int64_t>>& seen);

// The shared bucket `id`, or null when no two values share it.
const SharedBucket* shared_bucket(const BucketCollisions& collisions, int64_t id);

// The first `buckets` shared buckets with at most `names` of their values each:
// "6: Cobalt, Elara, Fjord, … (9)   2: Acme, Juniper, Quill".
std::string shared_buckets_text(const BucketCollisions& collisions, size_t buckets, size_t names);

// A colour for `value` on a scale symmetric about zero: blue below, orange above,
// dark at zero, full at ±`limit` (and beyond). As 0xAABBGGRR, ImGui's ImU32 layout.
uint32_t signed_heat_colour(float value, float limit);

// `values` squeezed into `bins` cells, each the value of largest magnitude (sign kept)
// among those it covers, so a lone lit cell of a one-hot row of 100,000 still shows.
// Fewer values than bins come back unchanged.
std::vector<float> strongest_in_bins(const std::vector<float>& values, size_t bins);

// The largest |value| of `values`, at least `floor` so an all-zero map still draws.
float abs_limit(const std::vector<float>& values, float floor = 1e-6f);

// Where the names of the dense input's column groups go above the heat map: each in
// the first of `lines` text lines where it fits whole, centred over its group (x0, x1)
// and inside [left, right]; where none has room, shortened to the room it has, and
// left out when not even one letter fits.
struct LabelPlace {
    size_t group = 0;
    int line = 0;
    float x = 0;
    std::string text;
};
std::vector<LabelPlace> place_group_labels(const std::vector<std::pair<float, float>>& spans,
                                           const std::vector<std::string>& names, float left,
                                           float right, int lines, float gap,
                                           const TextMeasure& measure = imgui_text_width);

// `path`, or `fallback` when it is empty or only spaces.
std::string path_or(const std::string& path, const std::string& fallback);

// A path as the window shows it: relative to `cwd` when it lies inside it
// ("assets/demo/products.tfrecord"), else as given.
std::string display_path(const std::string& path, const std::string& cwd);

}  // namespace ganvas::gui
