// A trainer's phrase: its English pattern filled with its words.
#include <gtest/gtest.h>

#include "train/phrase.h"

namespace ganvas {
namespace {

TEST(Phrase, FillsEachHoleWithTheNextWordInOrder) {
    EXPECT_EQ(phrase("Loaded %s at step %s.", "a.ckpt", std::to_string(7)).english(),
              "Loaded a.ckpt at step 7.");
    EXPECT_EQ(phrase("No words.").english(), "No words.");
}

TEST(Phrase, AWordIsNeverReadAsAPattern) {
    // A path or an error text with % in it stays as it is.
    EXPECT_EQ(phrase("Could not open %s: %s", "100%s.png", "50%% full").english(),
              "Could not open 100%s.png: 50%% full");
}

TEST(Phrase, PercentSignsAndMissingWords) {
    EXPECT_EQ(fill_phrase("100%% of %s", {"it"}), "100% of it");
    EXPECT_EQ(fill_phrase("%s and %s", {"one"}), "one and ");  // no word left: dropped
    EXPECT_EQ(fill_phrase("%d stays, and a % at the end%", {}), "%d stays, and a % at the end%");
    EXPECT_EQ(verbatim("bad magic: 0x%s").english(), "bad magic: 0x%s");
    EXPECT_TRUE(Phrase{}.empty());
}

}  // namespace
}  // namespace ganvas
