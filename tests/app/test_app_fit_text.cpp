// Captions that fit their cell: whole words before cut ones (the Data tab's
// thumbnails once read "Ankle…" and "T-shir…").
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace ganvas::gui
