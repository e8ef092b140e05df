// printable(): file bytes quoted in an error stay on one line and cannot drive the terminal.
#include "io/printable.h"

#include <gtest/gtest.h>

namespace ganvas {
namespace {

TEST(Printable, PlainTextIsUnchanged) {
    EXPECT_EQ(printable("image/encoded"), "image/encoded");
    EXPECT_EQ(printable("gewicht µ ×"), "gewicht µ ×");
}

TEST(Printable, NewlinesAndEscapeSequencesBecomeVisibleEscapes) {
    EXPECT_EQ(printable("a\n\x1b[31mred\r\tb"), "a\\n\\x1b[31mred\\r\\tb");
    EXPECT_EQ(printable(std::string("nul\0del\x7f", 8)), "nul\\x00del\\x7f");
}

TEST(Printable, C1ControlsAndInvalidUtf8AreEscapedByte) {
    // U+009B is a one-character CSI on some terminals.
    EXPECT_EQ(printable("\xc2\x9b"
                        "2J"),
              "\\xc2\\x9b2J");
    EXPECT_EQ(printable("bad \xff\xfe end"), "bad \\xff\\xfe end");
    EXPECT_EQ(printable("cut \xe2\x82"), "cut \\xe2\\x82");
    EXPECT_EQ(printable("overlong \xc0\xaf"), "overlong \\xc0\\xaf");
    EXPECT_EQ(printable("surrogate \xed\xa0\x80"), "surrogate \\xed\\xa0\\x80");
}

TEST(Printable, BidiControlsAreNamed) {
    EXPECT_EQ(printable("abc\xe2\x80\xae"
                        "def"),
              "abc\\u{202e}def");
}

TEST(Printable, LongTextIsCutWithAnEllipsis) {
    EXPECT_EQ(printable(std::string(100, 'x'), 10), std::string(10, 'x') + "…");
    EXPECT_EQ(printable(std::string(10, 'x'), 10), std::string(10, 'x'));
    EXPECT_EQ(one_line(std::string(1000, 'y')), std::string(1000, 'y'));
}

TEST(Printable, NeverProducesAControlByte) {
    std::string all;
    for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
    const std::string safe = one_line(all);
    for (unsigned char c : safe) EXPECT_TRUE(c >= 0x20 && c != 0x7f) << int(c);
}

}  // namespace
}  // namespace ganvas
