// The window's small pieces that need no display: persisted settings, the
// status bar's durations and rates, and hit-testing a sample grid.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "gui/settings.h"
#include "gui/status_bar.h"
#include "support/fifo.h"
#include "support/test_files.h"
#include "widgets/image_view.h"

namespace ganvas::gui {
namespace {

class SettingsTest : public testing::TempDirTest {};

TEST_F(SettingsTest, RoundTripsNumbersAndTextsAndTracksChanges) {
    Settings s;
    EXPECT_FALSE(s.changed());
    EXPECT_EQ(s.number("ui.scale", 1.0), 1.0);
    s.set_number("ui.scale", 1.5);
    s.set_text("window.tab", "Samples");
    EXPECT_TRUE(s.changed());
    const std::string file = path("cfg/settings.json");
    s.save(file);
    EXPECT_FALSE(s.changed());
    s.set_number("ui.scale", 1.5);  // the same value is no change
    EXPECT_FALSE(s.changed());

    std::string error;
    Settings back = Settings::load(file, &error);
    EXPECT_TRUE(error.empty()) << error;
    EXPECT_EQ(back.number("ui.scale", 1.0), 1.5);
    EXPECT_EQ(back.text("window.tab", ""), "Samples");
    EXPECT_EQ(back.text("missing", "fallback"), "fallback");
}

TEST_F(SettingsTest, ACorruptFileGivesDefaultsAndSaysSo) {
    testing::write_bytes(path("settings.json"), "{\"numbers\": {\"ui.scale\": 2");
    std::string error;
    Settings s = Settings::load(path("settings.json"), &error);
    EXPECT_NE(error.find(path("settings.json")), std::string::npos) << error;
    EXPECT_EQ(s.number("ui.scale", 1.0), 1.0);

    // Wrong types are skipped, good entries kept.
    testing::write_bytes(path("mixed.json"),
                         R"({"numbers": {"a": "x", "b": 3}, "texts": {"c": 4, "d": "e"}})");
    s = Settings::load(path("mixed.json"), &error);
    EXPECT_EQ(s.number("a", -1), -1);
    EXPECT_EQ(s.number("b", -1), 3);
    EXPECT_EQ(s.text("c", "none"), "none");
    EXPECT_EQ(s.text("d", "none"), "e");
}

// A hand-edited file, or a lesson, may hold any number where a panel wants a count
// or an index: integer() clamps it (as a double, before any cast) and keeps the
// fallback for what is missing.
TEST_F(SettingsTest, WholeNumbersAreClampedWhateverTheFileHolds) {
    const std::string file = path("settings.json");
    ganvas::testing::write_bytes(
        file, R"({"numbers": {"huge": 1e300, "tiny": -1e300, "half": 2.75, "neg": -2.75,
        "big": 1e19, "ok": 7}, "texts": {}})");
    std::string error;
    const Settings s = Settings::load(file, &error);
    ASSERT_EQ(error, "");
    EXPECT_EQ(s.integer("huge", 8, 1, 32), 32);
    EXPECT_EQ(s.integer("tiny", 8, 1, 32), 1);
    EXPECT_EQ(s.integer("half", 0, 0, 10), 2);  // toward zero
    EXPECT_EQ(s.integer("neg", 0, -10, 10), -2);
    EXPECT_EQ(s.integer("big", 0, 0, INT64_MAX), INT64_MAX);  // 1e19 > 2^63 - 1
    EXPECT_EQ(s.integer("ok", 0, 0, 10), 7);
    EXPECT_EQ(s.integer("missing", 5, 0, 10), 5);
    EXPECT_EQ(s.integer("missing", 50, 0, 10), 10);  // the fallback is clamped too
    Settings t;
    t.set_number("inf", HUGE_VAL);
    t.set_number("nan", std::nan(""));
    EXPECT_EQ(t.integer("inf", 3, 0, 10), 3);  // not finite: the fallback
    EXPECT_EQ(t.integer("nan", 3, 0, 10), 3);
}

TEST_F(SettingsTest, AMissingFileIsAFirstRunNotAnError) {
    std::string error;
    Settings s = Settings::load(path("nothing/here.json"), &error);
    EXPECT_TRUE(error.empty());
    EXPECT_FALSE(s.changed());
}

// A FIFO would block the window's start until some process wrote to it.
TEST_F(SettingsTest, AFifoGivesDefaultsAtOnceAndSaysSo) {
    const std::string fifo = path("settings.json");
    testing::make_fifo(fifo);
    std::string error;
    EXPECT_EQ(testing::finishes_on_fifo(fifo,
                                        [&] {
                                            Settings s = Settings::load(fifo, &error);
                                            EXPECT_EQ(s.number("ui.scale", 1.0), 1.0);
                                        }),
              "");
    EXPECT_EQ(error, fifo +
                         ": ignored, cannot open: it is a pipe (FIFO), not a file: save what it "
                         "carries to a file first");
}

TEST(StatusBar, DurationsReadAsATimerWould) {
    EXPECT_EQ(format_duration(12.4), "12 s");
    EXPECT_EQ(format_duration(65), "1:05");
    EXPECT_EQ(format_duration(3 * 3600 + 2 * 60 + 1), "3:02:01");
    EXPECT_EQ(format_duration(-1), "–");
    EXPECT_EQ(format_duration(NAN), "–");
}

TEST(StatusBar, TheRateIsTheCurrentOneWhileRunningAndTheRunsAverageOnceStopped) {
    TrainerSnapshot s;
    s.state = TrainerState::Running;
    s.steps_per_second = 3.25;
    s.steps_trained = 100;
    s.train_seconds = 40;
    EXPECT_EQ(format_rate(s), " 3.25 steps/s");
    s.state = TrainerState::Finished;
    s.steps_per_second = 0;  // as the worker publishes it once nothing runs
    EXPECT_EQ(format_rate(s), "average 2.50 steps/s");
    s.steps_trained = 0;  // nothing trained yet (a fresh or reset session)
    s.train_seconds = 0;
    EXPECT_EQ(format_rate(s), " 0.00 steps/s");
}

TEST(ImageGrid, CellsAreFoundAndPaddingIsNoCell) {
    // make_grid(64 images, 8 per row, padding 2) of 28-pixel cells: stride 30.
    EXPECT_EQ(grid_cell_at(ImVec2(2, 2), 64, 8, 28, 2), 0);
    EXPECT_EQ(grid_cell_at(ImVec2(29.9f, 29.9f), 64, 8, 28, 2), 0);
    EXPECT_EQ(grid_cell_at(ImVec2(30.5f, 2), 64, 8, 28, 2), -1);  // padding between
    EXPECT_EQ(grid_cell_at(ImVec2(32, 2), 64, 8, 28, 2), 1);
    EXPECT_EQ(grid_cell_at(ImVec2(2 + 7 * 30, 2 + 7 * 30), 64, 8, 28, 2), 63);
    EXPECT_EQ(grid_cell_at(ImVec2(2 + 7 * 30, 2 + 7 * 30), 60, 8, 28, 2), -1);  // past the last
    EXPECT_EQ(grid_cell_at(ImVec2(1, 5), 64, 8, 28, 2), -1);
    EXPECT_EQ(grid_cell_at(ImVec2(-1, -1), 64, 8, 28, 2), -1);
}

}  // namespace
}  // namespace ganvas::gui
