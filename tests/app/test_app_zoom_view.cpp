// The linked zoom views' coordinate maths: fitting, and zooming about the mouse.
#include <gtest/gtest.h>

#include "widgets/zoom_view.h"

using namespace ganvas::gui;

TEST(ZoomView, FitsTheImageInTheBox) {
    EXPECT_FLOAT_EQ(zoommath::units_px({200, 100}, 1.0f, 1.0f),
                    100.0f);  // square image: height limits
    EXPECT_FLOAT_EQ(zoommath::units_px({200, 100}, 0.25f, 1.0f),
                    200.0f);  // wide image: width limits
    EXPECT_FLOAT_EQ(zoommath::units_px({200, 100}, 1.0f, 4.0f), 400.0f);
}

TEST(ZoomView, ZoomKeepsThePointUnderTheMouse) {
    ZoomLink link;
    const float units = 100.0f;
    const ImVec2 mouse{30.0f, -20.0f};  // screen pixels from the view's centre
    const float u = link.cx + mouse.x / units, v = link.cy + mouse.y / units;
    zoommath::zoom_about(link, 2.0f, mouse, units);
    EXPECT_FLOAT_EQ(link.zoom, 2.0f);
    EXPECT_NEAR(link.cx + mouse.x / (units * 2), u, 1e-6);
    EXPECT_NEAR(link.cy + mouse.y / (units * 2), v, 1e-6);
    // Clamped: never past 128x or below half the fitted size.
    zoommath::zoom_about(link, 1000.0f, mouse, units * 2);
    EXPECT_FLOAT_EQ(link.zoom, 128.0f);
    link.reset();
    EXPECT_FLOAT_EQ(link.zoom, 1.0f);
    EXPECT_FLOAT_EQ(link.cx, 0.5f);
}
