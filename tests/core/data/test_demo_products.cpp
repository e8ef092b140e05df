// The shipped demo table of product records (assets/demo/products.tfrecord) holds
// what scripts/make_demo_products.py says it writes, and the script still writes
// exactly the shipped bytes, so the two cannot drift apart unnoticed.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>

#include "data/feature_column_spec.h"
#include "data/feature_column_transform.h"
#include "data/tf_example.h"
#include "data/tfrecord.h"
#include "support/test_files.h"

using namespace ganvas;
using ganvas::testing::read_bytes;

namespace {

const std::filesystem::path kDemoDir = std::filesystem::path(GANVAS_ASSETS_DIR) / "demo";
const std::filesystem::path kScript =
    std::filesystem::path(GANVAS_ASSETS_DIR).parent_path() / "scripts" / "make_demo_products.py";

std::string script_source() {
    return read_bytes(kScript.string());
}

// The integer the script assigns to `name` ("RECORDS = 300").
int script_constant(const std::string& name) {
    std::smatch m;
    const std::string source = script_source();
    if (!std::regex_search(source, m, std::regex("\n" + name + " = (\\d+)\n"))) return -1;
    return std::stoi(m[1]);
}

// The quoted strings of the script's list `name = [...]` (its first item of each tuple).
std::vector<std::string> script_names(const std::string& name) {
    const std::string source = script_source();
    const size_t begin = source.find("\n" + name + " = [");
    if (begin == std::string::npos) return {};
    const size_t end = source.find(']', begin);
    const std::string list = source.substr(begin, end - begin);
    std::vector<std::string> names;
    const std::regex item(R"re(\(?"([^"]+)")re");
    for (std::sregex_iterator it(list.begin(), list.end(), item), stop; it != stop; ++it)
        names.push_back((*it)[1]);
    return names;
}

std::vector<Example> demo_examples() {
    std::vector<Example> examples;
    for (const std::string& r : read_tfrecord((kDemoDir / "products.tfrecord").string()))
        examples.push_back(parse_example(r));
    return examples;
}

const Feature* find(const Example& e, const std::string& key) {
    const auto it = e.find(key);
    return it == e.end() ? nullptr : &it->second;
}

}  // namespace

TEST(DemoProducts, EveryRecordHoldsTheFeaturesTheScriptNames) {
    const std::vector<Example> examples = demo_examples();
    ASSERT_EQ(static_cast<int>(examples.size()), script_constant("RECORDS"));
    const std::map<std::string, Feature::Kind> always = {
        {"brand", Feature::Kind::bytes},   {"category", Feature::Kind::bytes},
        {"color", Feature::Kind::bytes},   {"price", Feature::Kind::floats},
        {"quantity", Feature::Kind::ints}, {"store", Feature::Kind::ints},
        {"label", Feature::Kind::ints}};
    const int stores = script_constant("STORES");
    ASSERT_GT(stores, 0);
    int without_tags = 0;
    for (size_t i = 0; i < examples.size(); ++i) {
        const Example& e = examples[i];
        SCOPED_TRACE("record " + std::to_string(i));
        for (const auto& [key, kind] : always) {
            const Feature* f = find(e, key);
            ASSERT_NE(f, nullptr) << key;
            EXPECT_EQ(f->kind, kind) << key;
            EXPECT_EQ(f->size(), 1u) << key;
        }
        EXPECT_GT(find(e, "price")->floats[0], 0.0f);
        EXPECT_GE(find(e, "quantity")->ints[0], 0);
        EXPECT_GE(find(e, "store")->ints[0], 0);
        EXPECT_LT(find(e, "store")->ints[0], stores);
        EXPECT_TRUE(find(e, "label")->ints[0] == 0 || find(e, "label")->ints[0] == 1);
        if (const Feature* rating = find(e, "rating")) {
            ASSERT_EQ(rating->kind, Feature::Kind::floats);
            ASSERT_EQ(rating->size(), 1u);
            EXPECT_GE(rating->floats[0], 1.0f);
            EXPECT_LE(rating->floats[0], 5.0f);
        }
        // Tags and their weights come together, one weight per tag, no tag twice; a
        // product without tags has empty lists.
        const Feature* tags = find(e, "tags");
        const Feature* weights = find(e, "tag_weights");
        ASSERT_NE(tags, nullptr);
        ASSERT_NE(weights, nullptr);
        EXPECT_EQ(tags->kind, Feature::Kind::bytes);
        EXPECT_EQ(weights->kind, Feature::Kind::floats);
        EXPECT_EQ(tags->size(), weights->size());
        EXPECT_LE(tags->size(), 3u);
        EXPECT_EQ(std::set<std::string>(tags->bytes.begin(), tags->bytes.end()).size(),
                  tags->size());
        without_tags += tags->size() == 0;
    }
    EXPECT_GT(without_tags, 0);  // the weighted column meets records with no ids
}

TEST(DemoProducts, ValuesComeFromTheScriptsListsWithTheSkewItDescribes) {
    const std::vector<Example> examples = demo_examples();
    std::map<std::string, std::map<std::string, int>> counts;
    int without_rating = 0;
    for (const Example& e : examples) {
        for (const char* key : {"brand", "category", "color"})
            ++counts[key][find(e, key)->bytes[0]];
        if (const Feature* tags = find(e, "tags"))
            for (const std::string& t : tags->bytes) ++counts["tags"][t];
        without_rating += find(e, "rating") == nullptr;
    }
    // Every name of each list occurs, and nothing else does.
    for (const auto& [key, list] : std::map<std::string, std::string>{{"brand", "BRANDS"},
                                                                      {"category", "CATEGORIES"},
                                                                      {"color", "COLORS"},
                                                                      {"tags", "TAGS"}}) {
        const std::vector<std::string> names = script_names(list);
        ASSERT_FALSE(names.empty()) << list;
        std::set<std::string> seen;
        for (const auto& [value, n] : counts[key]) seen.insert(value);
        EXPECT_EQ(seen, std::set<std::string>(names.begin(), names.end())) << key;
    }
    EXPECT_EQ(counts["brand"].size(), 20u);
    EXPECT_EQ(counts["category"].size(), 8u);
    // A few brands are common, most rare: what makes the hash bucket's collisions matter.
    int most = 0, rare = 0;
    for (const auto& [brand, n] : counts["brand"]) {
        most = std::max(most, n);
        rare += n <= 5;
    }
    EXPECT_GT(most, static_cast<int>(examples.size()) / 5);
    EXPECT_GE(rare, 5);
    // "missing in about one record of eight"
    EXPECT_GT(without_rating, static_cast<int>(examples.size()) / 16);
    EXPECT_LT(without_rating, static_cast<int>(examples.size()) / 4);
}

TEST(DemoProducts, RecordsAreWrittenAsTensorFlowWritesThem) {
    // Key order and packed numeric lists: our serializer, which writes TensorFlow's
    // layout, gives back the very bytes the script wrote.
    for (const std::string& r : read_tfrecord((kDemoDir / "products.tfrecord").string()))
        EXPECT_EQ(serialize_example(parse_example(r)), r);
}

TEST(DemoProducts, TheColorVocabularyLeavesSomeColorsOut) {
    std::ifstream in(kDemoDir / "product_colors.txt");
    std::set<std::string> vocabulary;
    for (std::string line; std::getline(in, line);) vocabulary.insert(line);
    const std::vector<std::string> listed = script_names("COLOR_VOCABULARY");
    EXPECT_EQ(vocabulary, std::set<std::string>(listed.begin(), listed.end()));
    std::set<std::string> outside;
    for (const Example& e : demo_examples())
        if (!vocabulary.count(find(e, "color")->bytes[0]))
            outside.insert(find(e, "color")->bytes[0]);
    EXPECT_EQ(outside.size(), 2u);  // orange and teal: the out-of-vocabulary bucket is used
}

void collect_kinds(const ColumnSpec& c, std::set<ColumnKind>& kinds) {
    kinds.insert(c.kind);
    for (const ColumnSpec& child : c.children) collect_kinds(child, kinds);
}

TEST(DemoProducts, TheShippedColumnFileUsesEveryKindOnThisTable) {
    const ColumnFile file = load_column_file((kDemoDir / "products_columns.json").string());
    std::set<ColumnKind> kinds;
    for (const ColumnSpec& c : file.columns) collect_kinds(c, kinds);
    for (ColumnKind k :
         {ColumnKind::numeric, ColumnKind::bucketized, ColumnKind::identity,
          ColumnKind::vocabulary_list, ColumnKind::vocabulary_file, ColumnKind::hash_bucket,
          ColumnKind::crossed, ColumnKind::indicator, ColumnKind::embedding, ColumnKind::weighted})
        EXPECT_TRUE(kinds.count(k)) << column_kind_name(k);
    // Every column applies to every record, and the dense row is as wide as its columns.
    const std::vector<Example> examples = demo_examples();
    const FeatureLayer layer(load_column_file((kDemoDir / "products_columns.json").string()),
                             examples);
    int64_t width = 0;
    for (const ColumnSpec* c : layer.dense_columns()) width += column_width(*c);
    EXPECT_EQ(layer.width(), width);
    for (size_t i = 0; i < examples.size(); ++i)
        ASSERT_EQ(static_cast<int64_t>(layer.dense_row(examples[i], i).size()), width) << i;
}

class DemoProductsScript : public ganvas::testing::TempDirTest {};

TEST_F(DemoProductsScript, RegeneratesTheShippedFilesByteForByte) {
    if (std::system("python3 -c 'import sys' >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "python3 is not installed";
    const std::string command = "python3 '" + kScript.string() + "' '" + dir_ + "' >/dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    for (const char* name : {"products.tfrecord", "product_colors.txt"}) {
        const std::string shipped = read_bytes((kDemoDir / name).string());
        ASSERT_FALSE(shipped.empty()) << name;
        EXPECT_TRUE(read_bytes(path(name)) == shipped)
            << name << " differs from what scripts/make_demo_products.py writes now";
    }
}
