// Captions that fit their cell: whole words before cut ones (the Data tab's
// thumbnails once read "Ankle…" and "T-shir…").
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "widgets/fit_text.h"

namespace ganvas::gui {
namespace {

// Eight pixels a character (an ellipsis is one), like a monospaced font.
float eight_per_char(const std::string& text) {
    float chars = 0;
    for (unsigned char c : text) chars += (c & 0xC0) != 0x80;
    return 8 * chars;
}

TEST(FitText, AWholeNameStaysWhole) {
    EXPECT_EQ(fit_name("Sandal", 48, eight_per_char), "Sandal");
    EXPECT_EQ(fit_name("T-shirt/top", 88, eight_per_char), "T-shirt/top");
}

TEST(FitText, ANameTooWideBecomesAShorterWordNotAStub) {
    EXPECT_EQ(fit_name("T-shirt/top", 60, eight_per_char), "T-shirt");  // the part before '/'
    EXPECT_EQ(fit_name("Ankle boot", 60, eight_per_char), "Boot");      // the last word
    EXPECT_EQ(fit_name("Ankle boot", 79, eight_per_char), "Boot");
    EXPECT_EQ(fit_name("Ankle boot", 80, eight_per_char), "Ankle boot");
}

TEST(FitText, OnlyWhatNoWordFitsIsCutWithAnEllipsis) {
    EXPECT_EQ(fit_name("Pullover", 40, eight_per_char), "Pull…");
    EXPECT_EQ(fit_name("T-shirt/top", 40, eight_per_char), "T-sh…");
    EXPECT_EQ(fit_text("Ankle boot", 56, eight_per_char), "Ankle…");  // no space before the …
    EXPECT_EQ(fit_text("λλλλ", 24, eight_per_char), "λλ…");           // whole UTF-8 characters
    EXPECT_EQ(fit_text("abc", 4, eight_per_char), "…");
}

TEST(FitPath, ALongPathKeepsItsEndFromAFolderBoundary) {
    const std::string path = "/work/main/assets/demo/products.tfrecord";  // 40 characters
    EXPECT_EQ(fit_path(path, 320, eight_per_char), path);
    // 30 characters: "…" and 29 of the tail, cut back to the next '/'.
    EXPECT_EQ(fit_path(path, 240, eight_per_char), "…/demo/products.tfrecord");
    // Too narrow for even the file name after a '/': the tail as it comes.
    EXPECT_EQ(fit_path(path, 80, eight_per_char), "….tfrecord");
    EXPECT_EQ(fit_path("数据/图像/猫.png", 64, eight_per_char), "…/猫.png");  // whole characters
    EXPECT_EQ(fit_path("abc", 4, eight_per_char), "…");
}

// Lines of wrapped text.
std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    size_t begin = 0;
    for (size_t end; (end = text.find('\n', begin)) != std::string::npos; begin = end + 1)
        out.push_back(text.substr(begin, end - begin));
    out.push_back(text.substr(begin));
    return out;
}

TEST(WrapLines, EnglishBreaksAtSpacesAsImGuiDoes) {
    EXPECT_EQ(wrap_lines("the quick brown fox", 80, eight_per_char), "the quick\nbrown fox");
    EXPECT_EQ(wrap_lines("short", 80, eight_per_char), "short");
}

TEST(WrapLines, ChineseBreaksBetweenAnyTwoCharactersAndFillsEachLine) {
    // Ten characters a line: ImGui 1.86 would find no break at all in this sentence.
    const std::string text = "生成器和判别器在极小极大博弈中互相竞争直到均衡";
    const auto got = lines(wrap_lines(text, 80, eight_per_char));
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[0], "生成器和判别器在极小");
    EXPECT_EQ(got[1], "极大博弈中互相竞争直");
    EXPECT_EQ(got[2], "到均衡");
}

TEST(WrapLines, ALineNeverStartsWithAClosingMarkNorEndsWithAnOpeningOne) {
    // "，" would start the second line; it stays with the character before it.
    const auto got = lines(wrap_lines("一二三四五六七八九十，好", 80, eight_per_char));
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0], "一二三四五六七八九");
    EXPECT_EQ(got[1], "十，好");
    const auto quoted = lines(wrap_lines("一二三四五六七八九“十”", 80, eight_per_char));
    ASSERT_EQ(quoted.size(), 2u);
    EXPECT_EQ(quoted[0], "一二三四五六七八九");
    EXPECT_EQ(quoted[1], "“十”");
}

TEST(WrapLines, MixedTextBreaksAtSpacesAndBesideChineseButNotInsideALatinWord) {
    const auto got = lines(wrap_lines("训练 vqgan28 模型以查看码本", 80, eight_per_char));
    for (const std::string& line : got) EXPECT_LE(eight_per_char(line), 80) << line;
    EXPECT_EQ(got[0], "训练 vqgan28");
    EXPECT_EQ(got[1], "模型以查看码本");
}

TEST(WrapLines, AWordWiderThanALineIsCutAndLineBreaksAreKept) {
    EXPECT_EQ(wrap_lines("abcdefghijkl", 40, eight_per_char), "abcde\nfghij\nkl");
    EXPECT_EQ(wrap_lines("第一行\n第二行", 80, eight_per_char), "第一行\n第二行");
    EXPECT_EQ(wrap_lines("", 80, eight_per_char), "");
}

TEST(WrapLines, ChineseIsRecognised) {
    EXPECT_TRUE(has_cjk("folder:数据"));
    EXPECT_TRUE(has_cjk("（"));
    EXPECT_FALSE(has_cjk("‖∇x f(x̂)‖ λ"));
}

}  // namespace
}  // namespace ganvas::gui
