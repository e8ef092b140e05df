// The Chinese interface: every string the window shows through tr() has a
// translation taking the same printf arguments, every glyph of every
// translation is in the font atlas (no missing-glyph boxes), and tr() keeps
// ImGui's IDs the same in both languages.
#include <gtest/gtest.h>
#include <imgui.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <vector>

#include "gui/fonts.h"
#include "i18n/tr.h"
#include "panels/panel_registry.h"

namespace ganvas::i18n {
namespace {

const std::filesystem::path kRoot =
    std::filesystem::path(GANVAS_GOLDEN_DIR).parent_path().parent_path();

// C escapes inside a literal as the compiler reads them (the ones UI text uses).
std::string unescape(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\' || i + 1 == s.size()) {
            out += s[i];
            continue;
        }
        const char c = s[++i];
        out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
    }
    return out;
}

// Every tr("...") and tr_id("...") literal in the window's sources, and every
// phrase("...") pattern the trainer says (train/phrase.h), with where it is.
std::map<std::string, std::string> literals_in_sources() {
    std::map<std::string, std::string> found;
    // A literal clang-format broke over lines is several adjacent pieces: join them.
    const std::regex call(R"re(\b(?:tr|tr_id|phrase)\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)[,)])re");
    const std::regex piece(R"re("((?:[^"\\]|\\.)*)")re");
    std::vector<std::filesystem::directory_entry> files;
    for (const char* dir : {"app", "core"})
        for (const auto& entry : std::filesystem::recursive_directory_iterator(kRoot / dir))
            files.push_back(entry);
    for (const auto& entry : files) {
        const auto ext = entry.path().extension();
        if (ext != ".cpp" && ext != ".h") continue;
        if (entry.path().parent_path().filename() == "i18n") continue;  // its examples
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        const std::string source = text.str();
        for (std::sregex_iterator it(source.begin(), source.end(), call), end; it != end; ++it) {
            const std::string pieces = (*it)[1];
            std::string literal;
            for (std::sregex_iterator p(pieces.begin(), pieces.end(), piece); p != end; ++p)
                literal += (*p)[1];
            found.emplace(std::string(catalog_key(unescape(literal))),
                          entry.path().lexically_relative(kRoot).string());
        }
    }
    return found;
}

std::map<std::string, std::string> catalog_map() {
    const Catalog catalog = read_catalog(default_catalog_dir());
    return {catalog.entries.begin(), catalog.entries.end()};
}

TEST(Translations, CatalogReadsWithoutErrors) {
    const Catalog catalog = read_catalog(default_catalog_dir());
    for (const std::string& e : catalog.errors) ADD_FAILURE() << e;
    EXPECT_FALSE(catalog.entries.empty());
}

TEST(Translations, EveryStringTheWindowShowsHasAChineseText) {
    const auto catalog = catalog_map();
    const auto used = literals_in_sources();
    ASSERT_GT(used.size(), 1u);
    // The scan reaches the core: the trainer's phrases are there too.
    EXPECT_EQ(used.count("Reached the step budget of %s steps."), 1u);
    for (const auto& [english, file] : used)
        EXPECT_TRUE(catalog.count(english))
            << file << ": \"" << english << "\" has no entry in assets/i18n/zh-CN/";
    // Tab titles reach tr_id() from the registry, not as literals.
    for (const auto& panel : gui::registered_panels())
        EXPECT_TRUE(catalog.count(panel.title))
            << panel.file << ": the tab \"" << panel.title << "\" has no Chinese title";
}

TEST(Translations, EachTranslationTakesTheSameArguments) {
    for (const auto& [english, chinese] : catalog_map()) {
        EXPECT_EQ(format_conversions(english), format_conversions(chinese))
            << "\"" << english << "\" → \"" << chinese << "\"";
        EXPECT_FALSE(chinese.empty()) << english;
    }
}

TEST(Translations, EveryGlyphOfEveryTranslationIsInTheAtlas) {
    if (gui::cjk_font_path().empty()) GTEST_SKIP() << "no CJK font (fonts-noto-cjk) installed";
    ImGui::CreateContext();
    ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
    gui::build_font_atlas(atlas, 20, true);
    ASSERT_FALSE(atlas.Fonts.empty());
    const ImFont* font = atlas.Fonts[0];
    std::set<unsigned> missing;
    for (const auto& [english, chinese] : catalog_map())
        for (unsigned c : gui::decode_utf8(chinese))
            if (c != '\n' && !font->FindGlyphNoFallback(static_cast<ImWchar>(c))) missing.insert(c);
    for (unsigned c : missing) ADD_FAILURE() << "no glyph for U+" << std::hex << c;
    ImGui::DestroyContext();
}

TEST(Translations, GlyphsOfUserTextJoinTheAtlasAtTheNextBuild) {
    if (gui::cjk_font_path().empty()) GTEST_SKIP() << "no CJK font (fonts-noto-cjk) installed";
    ImGui::CreateContext();
    ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
    gui::build_font_atlas(atlas, 16, false);
    const ImWchar shoe = 0x978B;  // 鞋, as in a folder named 运动鞋
    EXPECT_EQ(atlas.Fonts[0]->FindGlyphNoFallback(shoe), nullptr);
    gui::note_glyphs("plain ascii");
    EXPECT_FALSE(gui::font_glyphs_pending());
    gui::note_glyphs("data/运动鞋/0001.png");
    EXPECT_TRUE(gui::font_glyphs_pending());
    gui::build_font_atlas(atlas, 16, false);
    EXPECT_FALSE(gui::font_glyphs_pending());
    EXPECT_NE(atlas.Fonts[0]->FindGlyphNoFallback(shoe), nullptr);
    ImGui::DestroyContext();
}

TEST(Translations, TrKeepsTheImGuiIdInBothLanguages) {
    use_catalog({{{"Reset", "重置"}, {"step %d", "第 %d 步"}}, {}});
    set_language(Language::English);
    EXPECT_STREQ(tr("Reset"), "Reset");
    EXPECT_STREQ(tr("Reset##sidebar"), "Reset##sidebar");
    EXPECT_STREQ(tr_id("Reset"), "Reset###Reset");
    EXPECT_STREQ(tr("Not in the catalog"), "Not in the catalog");
    set_language(Language::Chinese);
    EXPECT_STREQ(tr("Reset"), "重置");
    EXPECT_STREQ(tr("Reset##sidebar"), "重置##sidebar");
    EXPECT_STREQ(tr_id("Reset"), "重置###Reset");
    EXPECT_STREQ(tr("step %d"), "第 %d 步");
    EXPECT_STREQ(tr("Not in the catalog"), "Not in the catalog");
    set_language(Language::English);
    use_catalog(read_catalog(default_catalog_dir()));
}

TEST(Translations, ATrainersPhraseReadsInTheLanguageWithItsWordsAsTheyAre) {
    use_catalog({{{"Saved step %s to %s.", "已把第 %s 步保存到 %s。"}}, {}});
    const Phrase saved = phrase("Saved step %s to %s.", std::to_string(40), "runs/a%s.ckpt");
    set_language(Language::English);
    EXPECT_EQ(tr_phrase(saved), "Saved step 40 to runs/a%s.ckpt.");
    set_language(Language::Chinese);
    EXPECT_EQ(tr_phrase(saved), "已把第 40 步保存到 runs/a%s.ckpt。");
    // An error from a library has no translation: it reads as it came.
    EXPECT_EQ(tr_phrase(verbatim("bad magic 50% of the time")), "bad magic 50% of the time");
    EXPECT_EQ(tr_phrase(Phrase{}), "");
    set_language(Language::English);
    use_catalog(read_catalog(default_catalog_dir()));
}

TEST(Translations, LanguageCodesAndTheEnvironment) {
    EXPECT_EQ(parse_language("zh-CN"), Language::Chinese);
    EXPECT_EQ(parse_language("zh_cn"), Language::Chinese);
    EXPECT_EQ(parse_language("EN"), Language::English);
    EXPECT_FALSE(parse_language("fr"));
    EXPECT_FALSE(parse_language(""));
    ::setenv("LC_ALL", "", 1);
    ::setenv("LC_MESSAGES", "", 1);
    ::setenv("LANG", "zh_CN.UTF-8", 1);
    EXPECT_EQ(language_from_environment(), Language::Chinese);
    ::setenv("LC_ALL", "C.UTF-8", 1);
    EXPECT_EQ(language_from_environment(), Language::English);
    ::unsetenv("LC_ALL");
    ::unsetenv("LANG");
    EXPECT_EQ(language_from_environment(), Language::English);
}

TEST(Translations, FormatConversionsAreReadInOrder) {
    EXPECT_EQ(format_conversions("%d of %lld (%.1f%%) %s"),
              (std::vector<std::string>{"%d", "%lld", "%.1f", "%s"}));
    EXPECT_TRUE(format_conversions("100%% done").empty());
}

TEST(Translations, ABrokenCatalogFileIsNamedAndTheRestLoads) {
    const auto dir =
        std::filesystem::temp_directory_path() / ("ganvas-catalog-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "a.json") << R"({"Run": "运行", "Step": 3})";
    std::ofstream(dir / "b.json") << R"({"Run": "跑"})";
    std::ofstream(dir / "c.json") << "{ not json";
    const Catalog c = read_catalog(dir.string());
    std::filesystem::remove_all(dir);
    ASSERT_EQ(c.entries.size(), 1u);
    EXPECT_EQ(c.entries[0].second, "运行");
    ASSERT_EQ(c.errors.size(), 3u);
    EXPECT_NE(c.errors[0].find("\"Step\" is not a string"), std::string::npos);
    EXPECT_NE(c.errors[1].find("also in a.json"), std::string::npos);
    EXPECT_NE(c.errors[2].find("c.json"), std::string::npos);
}

}  // namespace
}  // namespace ganvas::i18n
