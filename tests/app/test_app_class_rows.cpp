// The Samples tab's class rows: a conditional generator's grid cells take class_grid's
// noise (the same tensor frame after frame, so the latent walk's cache holds), the walk
// stays in the class of its start, and an unconditional grid is left as it was.
#include <gtest/gtest.h>

#include <cstring>

#include "models/gan_model.h"
#include "panels/class_rows.h"
#include "support/headless_imgui.h"

using namespace ganvas;
using namespace ganvas::gui;

TEST(ClassRows, CellsOfAConditionalGridAreClassGridNoiseKeptFrameToFrame) {
    TrainerSnapshot s;
    Rng rng(1);
    s.fixed_noise = rng.randn({64, 64});
    s.classes = 3;
    ClassRows rows;
    const Tensor cells = rows.cell_noise(s);  // a handle, kept past the next call
    ASSERT_EQ(cells.shape(), (Shape{3 * kClassGridColumns, 64}));
    EXPECT_TRUE(rows.cell_noise(s).same(cells));  // no new tensor while the noise is the same
    const Tensor grid = class_grid(s.fixed_noise, 3).noise;
    EXPECT_EQ(std::memcmp(cells.data(), grid.data(), sizeof(float) * grid.numel()), 0);

    // Cell 13 is row 1: a walk from it stays in class 1.
    Tensor labels = rows.walk_labels(s, 13, 4);
    ASSERT_EQ(labels.shape(), (Shape{4}));
    for (int i = 0; i < 4; ++i) EXPECT_EQ(labels.data_i64()[i], 1);

    s.fixed_noise = rng.randn({64, 64});  // a new session: new cells
    EXPECT_FALSE(rows.cell_noise(s).same(cells));
}

TEST(ClassRows, AnUnconditionalGridKeepsItsNoiseAndItsWalkHasNoClasses) {
    TrainerSnapshot s;
    Rng rng(2);
    s.fixed_noise = rng.randn({64, 64});
    ClassRows rows;
    EXPECT_TRUE(rows.cell_noise(s).same(s.fixed_noise));
    EXPECT_FALSE(rows.walk_labels(s, 3, 5).defined());
}

TEST(ClassRows, RowsAreNamedByTheDataElseNumbered) {
    TrainerSnapshot s;
    s.classes = 3;
    auto data = std::make_shared<ImageDataset>();
    data->class_names = {"Trouser", "Bag"};
    s.dataset = data;
    EXPECT_EQ(ClassRows::class_name(s, 1), "Bag");
    EXPECT_EQ(ClassRows::class_name(s, 2), "2");
    ganvas::testing::HeadlessImGui imgui;
    imgui.frame([&] { ClassRows::draw_row_labels(s, ImVec2(200, 10), 30, 28); });
}
