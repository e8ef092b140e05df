// The TensorBoard tab's model of a log folder: a plot per scalar tag with a line per
// run in the run's colour, and the image steps of all runs together.
#include <gtest/gtest.h>

#include <filesystem>

#include "data/tensorboard_writer.h"
#include "io/image_png.h"
#include "panels/tensorboard_panel.h"
#include "support/tensorboard_events.h"
#include "support/test_files.h"

namespace ganvas::gui {
namespace {

namespace tb = ganvas::testing::tb;
class TensorBoardPanelTest : public ganvas::testing::TempDirTest {};

std::string gray_png() {
    const uint8_t pixels[4] = {0, 80, 160, 240};
    return encode_png(2, 2, 1, pixels);
}

TEST_F(TensorBoardPanelTest, PlotsEachTagWithALinePerRun) {
    {
        TensorBoardWriter ganvas_run(path("logs/ganvas"));
        ganvas_run.add_scalars(1, {{"loss_D", 1.5f}, {"loss_G", 0.5f}});
        ganvas_run.add_scalars(2, {{"loss_D", 1.25f}, {"loss_G", 0.75f}});
        ganvas_run.add_png("samples", 2, gray_png());
    }
    std::filesystem::create_directories(path("logs/pytorch"));
    ganvas::testing::write_bytes(
        path("logs/pytorch/events.out.tfevents.1.pt"),
        tb::file_bytes({tb::event(1, 1, {tb::simple_value("loss_D", 1.0f)}),
                        tb::event(1, 3, {tb::image("samples", 2, 2, 1, gray_png())})}));

    TensorBoardPanel panel(path("logs"));
    EXPECT_TRUE(panel.loading());
    ASSERT_TRUE(panel.poll(/*wait=*/true));
    EXPECT_FALSE(panel.loading());
    EXPECT_TRUE(panel.error().empty());
    ASSERT_EQ(panel.runs().size(), 2u);

    const auto& plots = panel.plots();
    ASSERT_EQ(plots.size(), 2u);
    EXPECT_EQ(plots[0]->tag, "loss_D");
    ASSERT_EQ(plots[0]->series.size(), 2u);  // both runs, in the legend's order and colours
    EXPECT_EQ(plots[0]->series[0].name, "ganvas");
    EXPECT_EQ(plots[0]->series[0].colour, run_colour(0));
    EXPECT_EQ(plots[0]->series[1].name, "pytorch");
    EXPECT_EQ(plots[0]->series[1].colour, run_colour(1));
    ASSERT_EQ(plots[0]->series[0].size(), 2u);
    EXPECT_EQ(plots[0]->series[0].steps[1], 2);
    EXPECT_EQ(plots[0]->series[0].values[1], 1.25f);
    EXPECT_EQ(plots[1]->tag, "loss_G");
    ASSERT_EQ(plots[1]->series.size(), 1u);  // only the Ganvas run logged it
    EXPECT_EQ(plots[1]->series[0].name, "ganvas");
    EXPECT_EQ(plots[1]->series[0].colour, run_colour(0));

    EXPECT_EQ(panel.image_steps("samples"), (std::vector<int64_t>{2, 3}));
}

TEST_F(TensorBoardPanelTest, AFolderWithoutEventsIsAnErrorNotACrash) {
    TensorBoardPanel panel;
    panel.open(dir_);
    ASSERT_TRUE(panel.poll(true));
    EXPECT_NE(panel.error().find("holds no TensorBoard event file"), std::string::npos)
        << panel.error();
    EXPECT_TRUE(panel.plots().empty());
}

}  // namespace
}  // namespace ganvas::gui
