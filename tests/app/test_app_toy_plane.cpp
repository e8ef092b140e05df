// ToyPlane's coordinate maths: plane <-> screen, y up, and the heatmap colours.
#include <gtest/gtest.h>

#include <cmath>

#include "widgets/toy_plane.h"

using namespace ganvas::gui;

TEST(ToyPlane, MapsThePlaneOntoTheSquareWithYUp) {
    ToyPlane p;
    p.p0 = ImVec2(100, 50);
    p.p1 = ImVec2(400, 350);
    p.lo = -3;
    p.hi = 3;
    ImVec2 c = p.to_screen(0, 0);
    EXPECT_FLOAT_EQ(c.x, 250);
    EXPECT_FLOAT_EQ(c.y, 200);
    ImVec2 top_left = p.to_screen(-3, 3);
    EXPECT_FLOAT_EQ(top_left.x, 100);
    EXPECT_FLOAT_EQ(top_left.y, 50);
    ImVec2 back = p.to_plane(p.to_screen(1.25f, -2.5f));
    EXPECT_NEAR(back.x, 1.25f, 1e-5);
    EXPECT_NEAR(back.y, -2.5f, 1e-5);
    EXPECT_TRUE(p.contains(ImVec2(101, 349)));
    EXPECT_FALSE(p.contains(ImVec2(400, 200)));
}

TEST(ToyPlane, FieldColoursRunFromPurpleThroughDarkToGreen) {
    const ImU32 fake = field_colour(0), middle = field_colour(0.5f), real = field_colour(1);
    auto channel = [](ImU32 c, int shift) { return (c >> shift) & 0xFF; };
    EXPECT_GT(channel(real, IM_COL32_G_SHIFT), channel(real, IM_COL32_R_SHIFT));
    EXPECT_GT(channel(fake, IM_COL32_B_SHIFT), channel(fake, IM_COL32_G_SHIFT));
    EXPECT_LT(channel(middle, IM_COL32_G_SHIFT), channel(real, IM_COL32_G_SHIFT));
    EXPECT_EQ(field_colour(NAN), middle);  // a NaN cell reads as undecided
    EXPECT_EQ(field_colour(7), real);      // clamped
}
