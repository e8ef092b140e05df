// The Feature columns panel's logic without a window: raw features as table text,
// hash collisions counted, and the colours of the dense input's heat map.
#include <gtest/gtest.h>

#include <cmath>

#include "panels/feature_columns_view.h"

namespace ganvas::gui {
namespace {

TEST(FeatureColumnsView, RawValuesReadAsTableText) {
    EXPECT_EQ(raw_value_text(nullptr), "—");
    const Feature none;
    EXPECT_EQ(raw_value_text(&none), "—");
    const Feature brand = Feature::of_bytes({"Acme"});
    EXPECT_EQ(raw_value_text(&brand), "Acme");
    const Feature price = Feature::of_floats({49.77f});
    EXPECT_EQ(raw_value_text(&price), "49.77");
    const Feature store = Feature::of_ints({-3});
    EXPECT_EQ(raw_value_text(&store), "-3");
    const Feature tags = Feature::of_bytes({"sale", "eco"});
    EXPECT_EQ(raw_value_text(&tags), "[sale, eco]");
    const Feature many = Feature::of_ints({1, 2, 3, 4, 5});
    EXPECT_EQ(raw_value_text(&many, 3), "[1, 2, 3, …]");
    const Feature empty = Feature::of_floats({});
    EXPECT_EQ(raw_value_text(&empty), "[]");
}

TEST(FeatureColumnsView, FeatureKeysAreTheUnionOfAllRecords) {
    Example a, b;
    a["price"] = Feature::of_floats({1});
    a["brand"] = Feature::of_bytes({"x"});
    b["rating"] = Feature::of_floats({4});
    b["brand"] = Feature::of_bytes({"y"});
    EXPECT_EQ(feature_keys({a, b}), (std::vector<std::string>{"brand", "price", "rating"}));
    EXPECT_TRUE(feature_keys({}).empty());
}

TEST(FeatureColumnsView, CollisionsCountDistinctStringsSharingABucket) {
    // Acme and Fjord share bucket 2 (seen twice, counted once); Birch, Cobalt and Gallo
    // share 5; Dunmore is alone in 0.
    const BucketCollisions c = count_collisions({{"Acme", 2},
                                                 {"Birch", 5},
                                                 {"Acme", 2},
                                                 {"Cobalt", 5},
                                                 {"Dunmore", 0},
                                                 {"Fjord", 2},
                                                 {"Gallo", 5}});
    EXPECT_EQ(c.distinct, 6);
    EXPECT_EQ(c.buckets_used, 3);
    ASSERT_EQ(c.shared.size(), 2u);
    EXPECT_EQ(c.shared[0].bucket, 5);  // the fullest first
    EXPECT_EQ(c.shared[0].raws, (std::vector<std::string>{"Birch", "Cobalt", "Gallo"}));
    EXPECT_EQ(c.shared[1].bucket, 2);
    EXPECT_EQ(c.shared[1].raws, (std::vector<std::string>{"Acme", "Fjord"}));
    EXPECT_EQ(c.colliding(), 5);
}

TEST(FeatureColumnsView, NoCollisionsWhenEveryStringHasItsOwnBucket) {
    const BucketCollisions c = count_collisions({{"a", 0}, {"b", 1}, {"c", 2}});
    EXPECT_EQ(c.distinct, 3);
    EXPECT_EQ(c.buckets_used, 3);
    EXPECT_TRUE(c.shared.empty());
    EXPECT_EQ(c.colliding(), 0);
}

uint32_t channel(uint32_t rgba, int c) {
    return (rgba >> (8 * c)) & 0xFF;
}

TEST(FeatureColumnsView, HeatColoursTellTheSignAndGrowWithMagnitude) {
    const uint32_t zero = signed_heat_colour(0, 1), plus = signed_heat_colour(1, 1),
                   minus = signed_heat_colour(-1, 1), half = signed_heat_colour(0.5f, 1);
    EXPECT_EQ(channel(plus, 3), 255u);                // opaque
    EXPECT_GT(channel(plus, 0), channel(plus, 2));    // positive: more red than blue
    EXPECT_GT(channel(minus, 2), channel(minus, 0));  // negative: more blue than red
    EXPECT_GT(channel(half, 0), channel(zero, 0));
    EXPECT_LT(channel(half, 0), channel(plus, 0));
    EXPECT_EQ(signed_heat_colour(5, 1), plus);  // beyond the limit: clamped
    EXPECT_EQ(signed_heat_colour(NAN, 1), zero);
    EXPECT_EQ(signed_heat_colour(1, 0), zero);  // no scale: nothing to show
}

TEST(FeatureColumnsView, TheLimitIsTheLargestMagnitude) {
    EXPECT_FLOAT_EQ(abs_limit({0.5f, -2.0f, 1.0f}), 2.0f);
    EXPECT_FLOAT_EQ(abs_limit({NAN, 0.25f}), 0.25f);
    EXPECT_GT(abs_limit({0.0f, 0.0f}), 0.0f);
}

}  // namespace
}  // namespace ganvas::gui
