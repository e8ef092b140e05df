// The Feature columns panel's logic without a window: raw features as table text,
// hash collisions counted, the colours of the dense input's heat map, and the model
// the panel draws, built from the shipped demo table and from bad files.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <thread>

#include "data/feature_column_spec.h"
#include "data/tfrecord.h"
#include "gui/fonts.h"
#include "panels/feature_columns_model.h"
#include "panels/feature_columns_panel.h"
#include "panels/feature_columns_view.h"
#include "support/headless_imgui.h"
#include "support/test_files.h"

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
    ASSERT_NE(shared_bucket(c, 2), nullptr);
    EXPECT_EQ(shared_bucket(c, 2)->raws, (std::vector<std::string>{"Acme", "Fjord"}));
    EXPECT_EQ(shared_bucket(c, 0), nullptr);  // Dunmore alone
    EXPECT_EQ(shared_bucket(c, 7), nullptr);  // unused
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

TEST(FeatureColumnsView, LongRowsAreSqueezedKeepingTheirStrongestValues) {
    // A one-hot row of 1000 squeezed into 10 cells still shows its one lit value.
    std::vector<float> one_hot(1000, 0.0f);
    one_hot[637] = 1;
    const std::vector<float> squeezed = strongest_in_bins(one_hot, 10);
    ASSERT_EQ(squeezed.size(), 10u);
    for (size_t b = 0; b < 10; ++b) EXPECT_EQ(squeezed[b], b == 6 ? 1.0f : 0.0f) << b;
    // The sign is kept: -3 outweighs 2.
    EXPECT_EQ(strongest_in_bins({2, -3, 0.5f, NAN}, 2), (std::vector<float>{-3, 0.5f}));
    // Rows that fit come back as they are.
    EXPECT_EQ(strongest_in_bins({1, 2, 3}, 3), (std::vector<float>{1, 2, 3}));
    EXPECT_EQ(strongest_in_bins({1, 2, 3}, 8), (std::vector<float>{1, 2, 3}));
}

TEST(FeatureColumnsView, TheLimitIsTheLargestMagnitude) {
    EXPECT_FLOAT_EQ(abs_limit({0.5f, -2.0f, 1.0f}), 2.0f);
    EXPECT_FLOAT_EQ(abs_limit({NAN, 0.25f}), 0.25f);
    EXPECT_GT(abs_limit({0.0f, 0.0f}), 0.0f);
}

TEST(FeatureColumnsView, IdsReadWithTheirWeights) {
    EXPECT_EQ(ids_text({3}, {}), "3");
    EXPECT_EQ(ids_text({2, 5}, {}), "2, 5");
    EXPECT_EQ(ids_text({2, 0}, {0.52f, 0.3f}), "2 (0.52), 0 (0.3)");
    EXPECT_EQ(ids_text({}, {}), "");
}

TEST(FeatureColumnsView, EachDenseValueBelongsToOneGroup) {
    const std::vector<DenseGroup> groups = {{"a", 0, 2}, {"b", 2, 3}};
    EXPECT_EQ(group_at(groups, 0)->name, "a");
    EXPECT_EQ(group_at(groups, 1)->name, "a");
    EXPECT_EQ(group_at(groups, 2)->name, "b");
    EXPECT_EQ(group_at(groups, 4)->name, "b");
    EXPECT_EQ(group_at(groups, 5), nullptr);
    EXPECT_EQ(group_at(groups, -1), nullptr);
}

TEST(FeatureColumnsView, ColumnsReadAsThePythonCallsThatDeclareThem) {
    const ColumnFile file = parse_column_file(R"({"columns": [
        {"kind": "bucketized_column", "source_column": {"kind": "numeric_column", "key": "price"},
         "boundaries": [10, 25.5]},
        {"kind": "numeric_column", "key": "rating", "default_value": 3, "normalizer": "min_max"},
        {"kind": "embedding_column", "dimension": 2, "combiner": "sum",
         "categorical_column": {"kind": "categorical_column_with_hash_bucket", "key": "brand",
                                "hash_bucket_size": 8}},
        {"kind": "indicator_column", "categorical_column": {"kind": "crossed_column",
         "keys": ["brand", "category"], "hash_bucket_size": 16}},
        {"kind": "categorical_column_with_vocabulary_list", "key": "c",
         "vocabulary_list": ["a", "b", "c", "d", "e"], "num_oov_buckets": 1}]})",
                                              "cols.json");
    ASSERT_EQ(file.columns.size(), 5u);
    EXPECT_EQ(column_call(file.columns[0]),
              "bucketized_column(numeric_column('price'), boundaries=[10, 25.5])");
    EXPECT_EQ(column_call(file.columns[1]),
              "numeric_column('rating', default_value=3, normalizer='min_max')");
    EXPECT_EQ(column_call(file.columns[2]),
              "embedding_column(categorical_column_with_hash_bucket('brand', 8), dimension=2, "
              "combiner='sum')");
    EXPECT_EQ(column_call(file.columns[3]),
              "indicator_column(crossed_column(['brand', 'category'], 16))");
    EXPECT_EQ(column_call(file.columns[4]),
              "categorical_column_with_vocabulary_list('c', ['a', 'b', 'c', 'd', …], "
              "num_oov_buckets=1)");
}

TEST(FeatureColumnsView, SharedBucketsReadFullestFirstAndShortened) {
    const BucketCollisions c = count_collisions(
        {{"a", 1}, {"b", 1}, {"c", 1}, {"d", 1}, {"e", 2}, {"f", 2}, {"g", 3}, {"h", 3}});
    EXPECT_EQ(shared_buckets_text(c, 2, 3), "1: a, b, c, … (4)   2: e, f");
    EXPECT_EQ(shared_buckets_text(c, 5, 10), "1: a, b, c, d   2: e, f   3: g, h");
    EXPECT_EQ(shared_buckets_text(count_collisions({{"a", 0}}), 2, 3), "");
}

// Ten pixels a character, so the placements are worked out by hand.
float ten_per_char(const std::string& s) {
    return 10.0f * static_cast<float>(decode_utf8(s).size());
}

TEST(FeatureColumnsView, GroupNamesTakeTheFirstLineWithRoom) {
    // "alpha" (50 px) over 0..100 sits centred at 25; "beta" (40 px) over 100..110 would
    // start at 85, inside alpha's 25..75 + gap 5: it fits on line 0 (85 >= 80)...
    const auto places = place_group_labels({{0, 100}, {100, 110}, {110, 120}},
                                           {"alpha", "beta", "gamma"}, 0, 400, 2, 5, ten_per_char);
    ASSERT_EQ(places.size(), 3u);
    EXPECT_EQ(places[0].line, 0);
    EXPECT_FLOAT_EQ(places[0].x, 25);
    EXPECT_EQ(places[1].line, 0);
    EXPECT_FLOAT_EQ(places[1].x, 85);
    // ...and "gamma" (50 px, centred at 90) collides with beta there, so goes to line 1.
    EXPECT_EQ(places[2].line, 1);
    EXPECT_FLOAT_EQ(places[2].x, 90);
    const std::vector<std::string> names = {"alpha", "beta", "gamma"};
    for (const LabelPlace& p : places) EXPECT_EQ(p.text, names[p.group]);
}

TEST(FeatureColumnsView, NamesWithoutRoomAreShortenedOrLeftOut) {
    // Three one-pixel-narrow groups side by side with long names: the first two take a
    // line each, the third finds both taken and has less than a letter's room.
    const auto places =
        place_group_labels({{100, 110}, {110, 120}, {120, 130}}, {"longname", "another", "third"},
                           0, 400, 2, 5, ten_per_char);
    ASSERT_EQ(places.size(), 2u);
    EXPECT_EQ(places[0].text, "longname");
    EXPECT_EQ(places[1].text, "another");
    EXPECT_NE(places[0].line, places[1].line);
    // Labels stay inside [left, right]: a name wider than its group at the right edge.
    const auto edge = place_group_labels({{390, 400}}, {"edge"}, 0, 400, 2, 5, ten_per_char);
    ASSERT_EQ(edge.size(), 1u);
    EXPECT_FLOAT_EQ(edge[0].x, 360);
    // Shortened to the room left: "abcdefghij" (100 px) after a full line 0 and line 1.
    const auto cut = place_group_labels({{0, 200}, {0, 200}, {200, 260}},
                                        {std::string(19, 'x'), std::string(19, 'y'), "abcdefghij"},
                                        0, 400, 2, 5, ten_per_char);
    ASSERT_EQ(cut.size(), 3u);
    EXPECT_LT(ten_per_char(cut[2].text), 100);
    EXPECT_EQ(cut[2].text.substr(cut[2].text.size() - 3), "…");
}

TEST(FeatureColumnsView, PathsInsideTheWorkingFolderShowRelative) {
    EXPECT_EQ(display_path("/home/a/ganvas/assets/demo/p.tfrecord", "/home/a/ganvas"),
              "assets/demo/p.tfrecord");
    EXPECT_EQ(display_path("/data/p.tfrecord", "/home/a/ganvas"), "/data/p.tfrecord");
    EXPECT_EQ(display_path("rel/p.tfrecord", "/home/a"), "rel/p.tfrecord");
    EXPECT_EQ(display_path("/home/a/ganvas", "/home/a/ganvas"), "/home/a/ganvas");  // "." says less
    EXPECT_EQ(display_path("", "/home/a"), "");
}

TEST(FeatureColumnsView, AnEmptyPathMeansTheDemoFile) {
    EXPECT_EQ(path_or("", "demo"), "demo");
    EXPECT_EQ(path_or("  ", "demo"), "demo");
    EXPECT_EQ(path_or("mine.tfrecord", "demo"), "mine.tfrecord");
}

// ---- the model of the shipped demo table ----

std::shared_ptr<const FeatureColumnsModel> demo(size_t shown) {
    return load_feature_columns(demo_records_path(), demo_columns_path(), shown);
}

const ColumnView& column_named(const FeatureColumnsModel& m, const std::string& name) {
    for (const ColumnView& c : m.columns)
        if (c.name == name) return c;
    ADD_FAILURE() << "no column " << name;
    static const ColumnView none;
    return none;
}

const ColumnSpec& spec_named(const ColumnFile& file, const std::string& name) {
    for (const ColumnSpec& c : file.columns)
        if (column_name(c) == name) return c;
    throw std::runtime_error("no column " + name);
}

const Feature& feature(const Example& e, const std::string& key) {
    static const Feature none;
    const auto it = e.find(key);
    return it == e.end() ? none : it->second;
}

std::vector<Example> all_demo_records() {
    std::vector<Example> out;
    for (const std::string& r : read_tfrecord(demo_records_path())) out.push_back(parse_example(r));
    return out;
}

TEST(FeatureColumnsModel, TheDemoTableFillsEveryViewOfThePanel) {
    const auto m = demo(12);
    EXPECT_EQ(m->total_records, all_demo_records().size());
    EXPECT_EQ(m->shown.size(), 12u);
    EXPECT_EQ(m->columns.size(), load_column_file(demo_columns_path()).columns.size());
    EXPECT_TRUE(std::count(m->keys.begin(), m->keys.end(), "brand"));
    for (const ColumnView& c : m->columns) EXPECT_EQ(c.records.size(), 12u) << c.name;
    // The groups tile the dense row in name order, and each dense column's output is
    // its group's slice of the row.
    int64_t offset = 0;
    std::vector<std::string> names;
    for (const DenseGroup& g : m->groups) {
        EXPECT_EQ(g.offset, offset) << g.name;
        offset += g.width;
        names.push_back(g.name);
    }
    EXPECT_EQ(offset, m->width);
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
    ASSERT_EQ(m->dense.size(), 12u);
    for (const ColumnView& c : m->columns) {
        EXPECT_EQ(c.in_dense_row, c.dense) << c.name;  // no image column in the demo
        if (!c.dense) continue;
        const auto g = std::find_if(m->groups.begin(), m->groups.end(),
                                    [&](const DenseGroup& d) { return d.name == c.name; });
        ASSERT_NE(g, m->groups.end()) << c.name;
        EXPECT_EQ(g->width, c.width) << c.name;
        for (size_t i = 0; i < 12; ++i) {
            ASSERT_EQ(m->dense[i].size(), static_cast<size_t>(m->width));
            const std::vector<float> slice(m->dense[i].begin() + g->offset,
                                           m->dense[i].begin() + g->offset + g->width);
            EXPECT_EQ(c.records[i].output, slice) << c.name << " record " << i;
        }
    }
}

TEST(FeatureColumnsModel, EachPriceGoesToTheBucketItsBoundariesSay) {
    const auto m = demo(40);
    const ColumnFile file = load_column_file(demo_columns_path());
    const std::vector<float>& boundaries = spec_named(file, "price_bucketized").boundaries;
    const ColumnView& c = column_named(*m, "price_bucketized");
    ASSERT_EQ(c.records.size(), 40u);
    std::set<int64_t> used;
    for (size_t i = 0; i < c.records.size(); ++i) {
        const float price = feature(m->shown[i], "price").floats.at(0);
        const auto bucket = static_cast<int64_t>(
            std::upper_bound(boundaries.begin(), boundaries.end(), price) - boundaries.begin());
        EXPECT_EQ(c.records[i].ids, std::vector<int64_t>{bucket}) << price;
        std::vector<float> one_hot(boundaries.size() + 1, 0.0f);
        one_hot[bucket] = 1;
        EXPECT_EQ(c.records[i].output, one_hot) << price;
        used.insert(bucket);
    }
    EXPECT_GT(used.size(), 2u);  // the demo prices spread over the buckets
}

TEST(FeatureColumnsModel, BrandsHashedIntoFewBucketsCollideAndAreCounted) {
    const std::vector<Example> records = all_demo_records();
    std::set<std::string> brands, pairs;
    for (const Example& e : records) {
        brands.insert(feature(e, "brand").bytes.at(0));
        pairs.insert(feature(e, "brand").bytes.at(0) + " × " + feature(e, "category").bytes.at(0));
    }
    const auto m = demo(12);
    const ColumnView& brand = column_named(*m, "brand_embedding");
    EXPECT_TRUE(brand.hashed);
    EXPECT_TRUE(brand.embedding);
    // With one id per record and the mean combiner, a record's embedding row is its
    // bucket's row of the table.
    ASSERT_EQ(brand.table_rows, brand.buckets);
    ASSERT_EQ(brand.table_cols, brand.width);
    for (const ColumnRecord& r : brand.records) {
        ASSERT_EQ(r.ids.size(), 1u);
        const std::vector<float> row(brand.table.begin() + r.ids[0] * brand.table_cols,
                                     brand.table.begin() + (r.ids[0] + 1) * brand.table_cols);
        EXPECT_EQ(r.output, row) << r.raw;
    }
    EXPECT_GE(brand.output_limit, abs_limit(brand.table));
    EXPECT_EQ(brand.collisions.distinct, static_cast<int64_t>(brands.size()));
    EXPECT_LE(brand.collisions.buckets_used, brand.buckets);
    ASSERT_GT(brand.collisions.distinct, brand.buckets);  // more brands than buckets...
    EXPECT_GT(brand.collisions.colliding(), 0);           // ...so some must share
    std::set<std::string> in_shared;
    for (const SharedBucket& b : brand.collisions.shared) {
        EXPECT_GE(b.raws.size(), 2u);
        for (const std::string& s : b.raws) EXPECT_TRUE(in_shared.insert(s).second) << s;
    }
    // The crossed column: every brand × category combination that occurs, counted once.
    const ColumnView& crossed = column_named(*m, "brand_X_category_indicator");
    EXPECT_TRUE(crossed.hashed);
    EXPECT_EQ(crossed.collisions.distinct, static_cast<int64_t>(pairs.size()));
    EXPECT_GT(crossed.collisions.colliding(), 0);
    // Numeric and vocabulary columns hash nothing.
    EXPECT_FALSE(column_named(*m, "price").hashed);
    EXPECT_FALSE(column_named(*m, "category_indicator").hashed);
}

TEST(FeatureColumnsModel, WordsOutsideTheVocabularyGoToTheOovBucket) {
    const auto m = demo(64);
    const ColumnFile file = load_column_file(demo_columns_path());
    const std::vector<std::string>& vocabulary =
        spec_named(file, "category_indicator").children.at(0).vocabulary;
    const ColumnView& c = column_named(*m, "category_indicator");
    EXPECT_EQ(c.buckets, static_cast<int64_t>(vocabulary.size()) + 1);
    int oov = 0;
    for (size_t i = 0; i < c.records.size(); ++i) {
        const std::string word = feature(m->shown[i], "category").bytes.at(0);
        const auto at = std::find(vocabulary.begin(), vocabulary.end(), word);
        const int64_t expected = at == vocabulary.end() ? static_cast<int64_t>(vocabulary.size())
                                                        : at - vocabulary.begin();
        oov += at == vocabulary.end();
        EXPECT_EQ(c.records[i].ids, std::vector<int64_t>{expected}) << word;
        EXPECT_EQ(c.records[i].raw, word);
    }
    EXPECT_GT(oov, 0);  // the demo's rare categories show the out-of-vocabulary bucket
}

TEST(FeatureColumnsModel, WeightedTagsCarryTheirWeights) {
    const auto m = demo(32);
    const ColumnView& c = column_named(*m, "tags_weighted_by_tag_weights_embedding");
    EXPECT_TRUE(c.weighted);
    int with_tags = 0;
    for (size_t i = 0; i < c.records.size(); ++i) {
        const Feature& weights = feature(m->shown[i], "tag_weights");
        EXPECT_EQ(c.records[i].weights, weights.floats) << i;
        EXPECT_EQ(c.records[i].ids.size(), weights.floats.size()) << i;
        with_tags += !weights.floats.empty();
        // An embedding of no ids is a row of zeros.
        if (weights.floats.empty()) {
            EXPECT_EQ(c.records[i].output, std::vector<float>(c.width, 0.0f)) << i;
        }
    }
    EXPECT_GT(with_tags, 0);
}

class FeatureColumnsLoading : public ganvas::testing::TempDirTest {};

TEST_F(FeatureColumnsLoading, ABadFileSaysWhyAndKeepsTheLastGoodModel) {
    FeatureColumnsLoader loader;
    loader.start(demo_records_path(), demo_columns_path(), 8);
    loader.wait();
    ASSERT_TRUE(loader.model()) << loader.error();
    EXPECT_EQ(loader.error(), "");
    const FeatureColumnsModel* good = loader.model().get();

    const auto expect_kept = [&](const std::string& records, const std::string& columns,
                                 const std::string& named) {
        loader.start(records, columns, 8);
        loader.wait();
        EXPECT_EQ(loader.model().get(), good);
        EXPECT_NE(loader.error().find(named), std::string::npos) << loader.error();
        EXPECT_EQ(loader.error().find('\n'), std::string::npos) << loader.error();
    };
    expect_kept(path("missing.tfrecord"), demo_columns_path(), "missing.tfrecord");
    ganvas::testing::write_bytes(path("corrupt.tfrecord"), "this is not a TFRecord file at all");
    expect_kept(path("corrupt.tfrecord"), demo_columns_path(), "corrupt.tfrecord");
    ganvas::testing::write_bytes(path("empty.tfrecord"), "");
    expect_kept(path("empty.tfrecord"), demo_columns_path(), "empty.tfrecord");
    ganvas::testing::write_bytes(path("bad.json"), R"({"columns": [{"kind": "no_such_column"}]})");
    expect_kept(demo_records_path(), path("bad.json"), "bad.json");
    // A column the records cannot feed: no such feature and no default.
    ganvas::testing::write_bytes(
        path("absent.json"), R"({"columns": [{"kind": "numeric_column", "key": "weight_kg"}]})");
    expect_kept(demo_records_path(), path("absent.json"), "weight_kg");

    // A good load afterwards clears the error.
    loader.start(demo_records_path(), demo_columns_path(), 4);
    loader.wait();
    EXPECT_EQ(loader.error(), "");
    ASSERT_TRUE(loader.model());
    EXPECT_EQ(loader.model()->shown.size(), 4u);
}

TEST_F(FeatureColumnsLoading, AnImageColumnIsAsWideAsItsPixelsAndStaysOutOfTheDenseRow) {
    // Two 4x4 gray images as raw bytes with a label: the image column's width comes
    // from the data, and an image model reads it apart from the dense layer.
    std::vector<std::string> records;
    for (int i = 0; i < 2; ++i) {
        Example e;
        e["image"] = Feature::of_bytes({std::string(16, static_cast<char>(40 * i))});
        e["label"] = Feature::of_ints({i});
        records.push_back(serialize_example(e));
    }
    write_tfrecord(path("images.tfrecord"), records);
    ganvas::testing::write_bytes(path("cols.json"), R"({"columns": [
        {"kind": "image_column", "key": "image"},
        {"kind": "indicator_column", "categorical_column":
            {"kind": "categorical_column_with_identity", "key": "label", "num_buckets": 2}}]})");
    const auto m = load_feature_columns(path("images.tfrecord"), path("cols.json"), 8);
    const ColumnView& image = column_named(*m, "image");
    EXPECT_TRUE(image.dense);
    EXPECT_FALSE(image.in_dense_row);
    EXPECT_EQ(image.width, 16);
    ASSERT_EQ(image.records.size(), 2u);
    EXPECT_EQ(image.records[1].output.size(), 16u);
    ASSERT_EQ(m->groups.size(), 1u);
    EXPECT_EQ(m->groups[0].name, "label_indicator");
    EXPECT_EQ(m->width, 2);
    ASSERT_EQ(m->dense.size(), 2u);
    EXPECT_EQ(m->dense[1], (std::vector<float>{0, 1}));
}

// ---- the tab itself, drawn without a window under ImGui's own checks ----

// Draws frames until the panel stops loading (it reads files on a worker).
void draw_until_loaded(ganvas::testing::HeadlessImGui& imgui, FeatureColumnsPanel& panel,
                       PanelContext& ctx) {
    for (int frame = 0; frame < 10000; ++frame) {
        ctx.working = false;
        imgui.frame([&] { panel.draw(ctx); });
        if (!ctx.working) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ASSERT_FALSE(ctx.working) << "the panel never finished loading";
    imgui.frame([&] { panel.draw(ctx); });
}

TEST(FeatureColumnsPanel, DrawsEveryColumnOfTheDemoTable) {
    ganvas::testing::HeadlessImGui imgui;
    LiveTrainer trainer(ganvas::testing::idle_trainer_options("ganvas-test-feature-columns"));
    const TrainerSnapshot s;
    const size_t columns = load_column_file(demo_columns_path()).columns.size();
    for (size_t column = 0; column < columns; ++column) {
        Settings settings;
        settings.set_number("feature_columns.column", static_cast<double>(column));
        settings.set_number("feature_columns.records", 64);
        PanelContext ctx{s, trainer, settings, 1.0f};
        FeatureColumnsPanel panel;
        draw_until_loaded(imgui, panel, ctx);
        // A good load is remembered, as absolute paths.
        EXPECT_EQ(settings.text("feature_columns.records_path", ""), demo_records_path());
        EXPECT_EQ(settings.text("feature_columns.columns_path", ""), demo_columns_path());
    }
}

class FeatureColumnsPanelFiles : public ganvas::testing::TempDirTest {};

TEST_F(FeatureColumnsPanelFiles, AOneHotRowOfFiftyThousandBucketsDraws) {
    // Wider than the window has pixels: drawn squeezed, one cell per pixel at most.
    ganvas::testing::write_bytes(path("wide.json"), R"({"columns": [{"kind": "indicator_column",
        "categorical_column": {"kind": "categorical_column_with_hash_bucket", "key": "brand",
                               "hash_bucket_size": 50000}}]})");
    ganvas::testing::HeadlessImGui imgui;
    LiveTrainer trainer(ganvas::testing::idle_trainer_options("ganvas-test-feature-columns"));
    const TrainerSnapshot s;
    Settings settings;
    settings.set_text("feature_columns.columns_path", path("wide.json"));
    settings.set_number("feature_columns.records", 8);
    PanelContext ctx{s, trainer, settings, 1.0f};
    FeatureColumnsPanel panel;
    draw_until_loaded(imgui, panel, ctx);
    EXPECT_EQ(settings.text("feature_columns.columns_path", ""), path("wide.json"));
    EXPECT_EQ(settings.text("feature_columns.records_path", ""), demo_records_path());
}

TEST(FeatureColumnsPanel, AMissingFileIsNotRememberedAndDrawsItsError) {
    ganvas::testing::HeadlessImGui imgui;
    LiveTrainer trainer(ganvas::testing::idle_trainer_options("ganvas-test-feature-columns"));
    const TrainerSnapshot s;
    Settings settings;
    settings.set_text("feature_columns.records_path", "/nonexistent/products.tfrecord");
    PanelContext ctx{s, trainer, settings, 1.0f};
    FeatureColumnsPanel panel;
    draw_until_loaded(imgui, panel, ctx);
    EXPECT_EQ(settings.text("feature_columns.records_path", ""), "/nonexistent/products.tfrecord");
    EXPECT_EQ(settings.text("feature_columns.columns_path", "unset"), "unset");
}

}  // namespace
}  // namespace ganvas::gui
