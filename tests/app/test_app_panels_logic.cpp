// The Model and Data tabs' logic without a window: number formatting, norm
// aggregation per layer, plot series, class filters and page arithmetic.
#include <gtest/gtest.h>

#include <imgui.h>

#include <cmath>
#include <filesystem>
#include <limits>

#include "panels/model_panel.h"
#include "support/headless_imgui.h"
#include "widgets/format_numbers.h"
#include "widgets/gallery_pages.h"
#include "widgets/table_layer_norms.h"
#include "widgets/table_sparkline.h"

using namespace ganvas;
using namespace ganvas::gui;

namespace {
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
}

TEST(FormatNumbers, CountsGetThousandsSeparators) {
    EXPECT_EQ(format_count(0), "0");
    EXPECT_EQ(format_count(999), "999");
    EXPECT_EQ(format_count(1000), "1,000");
    EXPECT_EQ(format_count(60000), "60,000");
    EXPECT_EQ(format_count(1234567), "1,234,567");
    EXPECT_EQ(format_count(-1000), "-1,000");
    EXPECT_EQ(format_count(std::numeric_limits<int64_t>::min()), "-9,223,372,036,854,775,808");
}

TEST(FormatNumbers, SharesArePercentagesAndTinyOnesAreNotZero) {
    EXPECT_EQ(format_share(0.123), "12.3%");
    EXPECT_EQ(format_share(1.0), "100.0%");
    EXPECT_EQ(format_share(0.0), "0.0%");
    EXPECT_EQ(format_share(0.0001), "<0.1%");
}

TEST(FormatNumbers, ValuesSwitchToExponentsOutsideReadableRange) {
    EXPECT_EQ(format_value(0.5), "0.5");
    EXPECT_EQ(format_value(12.3456), "12.3");
    EXPECT_EQ(format_value(0.000123), "1.23e-04");
    EXPECT_EQ(format_value(123456), "1.23e+05");
    EXPECT_EQ(format_value(0), "0");
    EXPECT_EQ(format_value(kNaN), "—");
    EXPECT_EQ(format_value(INFINITY), "inf");
}

TEST(FormatNumbers, BatchShapeShowsB) {
    EXPECT_EQ(format_batch_shape({1, 64, 14, 14}), "(B, 64, 14, 14)");
    EXPECT_EQ(format_batch_shape({1, 1}), "(B, 1)");
    EXPECT_EQ(format_batch_shape({1}), "(B)");
    EXPECT_EQ(format_batch_shape({}), "—");
}

namespace {
MetricHistory norms_history() {
    MetricHistory h;
    h.add(0, {{"G.fc.weight", 3}, {"G.fc.bias", 4}, {"G.up10.weight", 1}, {"D.c1.weight", 2}});
    h.add(10,
          {{"G.fc.weight", kNaN}, {"G.fc.bias", 1}, {"G.up10.weight", 2}, {"D.c1.weight", kNaN}});
    return h;
}
}  // namespace

TEST(LayerNorms, ColumnsUnderMatchWholePathComponents) {
    const MetricHistory h = norms_history();
    EXPECT_EQ(columns_under(h.names, "G.fc"), (std::vector<size_t>{0, 1}));
    EXPECT_EQ(columns_under(h.names, "G"), (std::vector<size_t>{0, 1, 2}));
    EXPECT_TRUE(columns_under(h.names, "G.up1").empty());  // not G.up10
    EXPECT_EQ(columns_under(h.names, "D"), (std::vector<size_t>{3}));
}

TEST(LayerNorms, CombinedNormIsRootOfSumOfSquaresSkippingNaN) {
    const MetricHistory h = norms_history();
    const auto fc = combined_norm(h, columns_under(h.names, "G.fc"));
    ASSERT_EQ(fc.size(), 2u);
    EXPECT_FLOAT_EQ(fc[0], 5);  // sqrt(9 + 16)
    EXPECT_FLOAT_EQ(fc[1], 1);  // the NaN weight left out
    const auto d = combined_norm(h, columns_under(h.names, "D"));
    EXPECT_FLOAT_EQ(d[0], 2);
    EXPECT_TRUE(std::isnan(d[1]));  // no value at all: not measured, not zero
    const auto none = combined_norm(h, {});
    EXPECT_TRUE(std::isnan(none[0]));
}

TEST(LayerNorms, RatioIsNaNWhereItSaysNothing) {
    const auto r = norm_ratio({1, 2, kNaN, 1}, {4, 0, 1, kNaN});
    EXPECT_FLOAT_EQ(r[0], 0.25f);
    EXPECT_TRUE(std::isnan(r[1]));
    EXPECT_TRUE(std::isnan(r[2]));
    EXPECT_TRUE(std::isnan(r[3]));
}

TEST(LayerNorms, PlotSeriesKeepsFinitePointsWithTheirSteps) {
    const SparkSeries lin = spark_series({kNaN, 1, 100, 0}, {0, 10, 20, 30}, false);
    EXPECT_EQ(lin.values, (std::vector<float>{1, 100, 0}));
    EXPECT_EQ(lin.steps, (std::vector<int64_t>{10, 20, 30}));
    EXPECT_FLOAT_EQ(lin.min, 0);
    EXPECT_FLOAT_EQ(lin.max, 100);

    const SparkSeries log = spark_series({kNaN, 1, 100, 0}, {0, 10, 20, 30}, true);
    EXPECT_EQ(log.values, (std::vector<float>{0, 2}));  // 0 has no logarithm
    EXPECT_EQ(log.steps, (std::vector<int64_t>{10, 20}));
    EXPECT_NEAR(axis_value(log.max, true), 100, 1e-4);
    EXPECT_FLOAT_EQ(axis_value(3, false), 3);
    EXPECT_TRUE(spark_series({kNaN}, {0}, false).empty());
}

TEST(LayerNorms, LabelsAndLatest) {
    EXPECT_EQ(tensor_label("G.up1.weight", "G.up1"), "weight");
    EXPECT_EQ(tensor_label("G.up1.weight", "G"), "up1.weight");
    EXPECT_EQ(leaf_name("G.up1"), "up1");
    EXPECT_EQ(leaf_name("G"), "G");
    EXPECT_FLOAT_EQ(latest({1, 2, 3}), 3);
    EXPECT_TRUE(std::isnan(latest({})));
}

TEST(Sparkline, NearestPointFollowsPlotLinesSpacing) {
    EXPECT_EQ(nearest_point(0, 0, 100, 0), -1);
    EXPECT_EQ(nearest_point(50, 0, 100, 1), 0);
    EXPECT_EQ(nearest_point(0, 0, 100, 11), 0);
    EXPECT_EQ(nearest_point(100, 0, 100, 11), 10);
    EXPECT_EQ(nearest_point(54, 0, 100, 11), 5);
    EXPECT_EQ(nearest_point(56, 0, 100, 11), 6);
    EXPECT_EQ(nearest_point(-20, 10, 100, 11), 0);  // clamped left
    EXPECT_EQ(nearest_point(500, 10, 100, 11), 10);
}

TEST(Gallery, FilterByClassKeepsOrderAndAllMeansAll) {
    const std::vector<int64_t> labels{3, 1, 3, 0, 3};
    EXPECT_EQ(indices_with_label(labels, 5, 3), (std::vector<int64_t>{0, 2, 4}));
    EXPECT_EQ(indices_with_label(labels, 5, 2), (std::vector<int64_t>{}));
    EXPECT_EQ(indices_with_label(labels, 5, kAllClasses), (std::vector<int64_t>{0, 1, 2, 3, 4}));
    EXPECT_EQ(indices_with_label({}, 3, 1), (std::vector<int64_t>{0, 1, 2}));  // no labels
    EXPECT_EQ(class_counts(labels, 4), (std::vector<int64_t>{1, 1, 0, 3}));
    EXPECT_EQ(class_counts({-1, 7, 0}, 2), (std::vector<int64_t>{1, 0}));
}

TEST(Gallery, LabelValuesNeedInt64) {
    EXPECT_TRUE(label_values(Tensor()).empty());
    EXPECT_TRUE(label_values(Tensor::zeros({3})).empty());  // float: not labels
    EXPECT_EQ(label_values(Tensor::from_vector_i64({3}, {2, 0, 9})),
              (std::vector<int64_t>{2, 0, 9}));
}

TEST(Gallery, PageArithmetic) {
    EXPECT_EQ(page_count(0, 100), 1);
    EXPECT_EQ(page_count(100, 100), 1);
    EXPECT_EQ(page_count(101, 100), 2);
    EXPECT_EQ(page_count(60000, 64), 938);
    EXPECT_EQ(clamp_page(-3, 250, 100), 0);
    EXPECT_EQ(clamp_page(7, 250, 100), 2);
    const PageRange last = page_range(2, 250, 100);
    EXPECT_EQ(last.begin, 200);
    EXPECT_EQ(last.end, 250);
    const PageRange past = page_range(9, 250, 100);  // clamped to the last page
    EXPECT_EQ(past.begin, 200);
    const PageRange none = page_range(0, 0, 100);
    EXPECT_EQ(none.end - none.begin, 0);
    EXPECT_EQ(position_of({2, 5, 9}, 5), 1);
    EXPECT_EQ(position_of({2, 5, 9}, 6), -1);
    EXPECT_EQ(position_of({}, 0), -1);
}

TEST(Gallery, GridSlotUnderAPixel) {
    // 3 columns of 28x28 cells, padding 2: cell k starts at 2 + 30k.
    EXPECT_EQ(grid_slot_at(2, 2, 3, 28, 28, 2, 9), 0);
    EXPECT_EQ(grid_slot_at(1, 5, 3, 28, 28, 2, 9), -1);      // left padding
    EXPECT_EQ(grid_slot_at(30.5f, 5, 3, 28, 28, 2, 9), -1);  // between cells
    EXPECT_EQ(grid_slot_at(33, 5, 3, 28, 28, 2, 9), 1);
    EXPECT_EQ(grid_slot_at(65, 35, 3, 28, 28, 2, 9), 5);
    EXPECT_EQ(grid_slot_at(65, 35, 3, 28, 28, 2, 4), -1);  // past the images on the page
    EXPECT_EQ(grid_slot_at(95, 5, 3, 28, 28, 2, 9), -1);   // right of the last column
    EXPECT_EQ(grid_slot_at(33, 15, 3, 20, 10, 2, 9), 4);   // rectangular cells: row 1
}

TEST(Gallery, GatherPageFillsMissingSlots) {
    // Four 1x2x2 images whose pixels all equal their index.
    std::vector<float> values;
    for (int i = 0; i < 4; ++i) values.insert(values.end(), 4, static_cast<float>(i));
    const Tensor images = Tensor::from_vector({4, 1, 2, 2}, values);
    const Tensor page = gather_page(images, {1, 3}, {0, 2}, 3, -1);
    ASSERT_EQ(page.shape(), (Shape{3, 1, 2, 2}));
    const std::vector<float> v = page.to_vector();
    EXPECT_FLOAT_EQ(v[0], 1);
    EXPECT_FLOAT_EQ(v[4], 3);
    EXPECT_FLOAT_EQ(v[8], -1);
}

TEST(FormatNumbers, AxisDigitsTellNarrowRangesApart) {
    EXPECT_EQ(axis_digits(0, 1), 3);
    EXPECT_EQ(axis_digits(1, 100), 3);
    EXPECT_EQ(axis_digits(5, 5), 3);
    EXPECT_EQ(axis_digits(12.67, 12.70), 5);
    EXPECT_NE(format_value(12.67, axis_digits(12.67, 12.70)),
              format_value(12.70, axis_digits(12.67, 12.70)));
    EXPECT_EQ(axis_digits(1, 1 + 1e-12), 7);  // capped
    EXPECT_EQ(format_value(0.000123456, 5), "1.2346e-04");
}

namespace {

using ganvas::testing::HeadlessImGui;

TrainerOptions idle_trainer_options() {
    return ganvas::testing::idle_trainer_options("ganvas-test-panels");
}

}  // namespace

TEST(ModelPanel, DrawsANestedTreeAndSelectsTheFirstLayerWithParameters) {
    HeadlessImGui imgui;
    LiveTrainer trainer(idle_trainer_options());
    TrainerSnapshot s;
    s.config.model = "classifier28";
    s.layers = std::make_shared<const std::vector<LayerRow>>(
        std::vector<LayerRow>{{"C", "Classifier28", {}, 100, 0},
                              {"C.act", "LeakyReLU", {1, 4}, 0, 1},
                              {"C.block", "Sequential", {1, 4}, 60, 1},
                              {"C.block.lin", "Linear", {1, 4}, 60, 2},
                              {"C.fc", "Linear", {}, 40, 1}});
    auto params = std::make_shared<MetricHistory>();
    auto grads = std::make_shared<MetricHistory>();
    for (int64_t step : {0, 10, 20}) {
        params->add(step, {{"C.block.lin.weight", 1.0f + step}, {"C.fc.weight", 2}});
        grads->add(step, {{"C.block.lin.weight", step == 0 ? kNaN : 0.1f}, {"C.fc.weight", 0.2f}});
    }
    s.param_norms = params;
    s.grad_norms = grads;
    Settings settings;
    PanelContext ctx{s, trainer, settings, 1.0f};
    ModelPanel panel;
    for (int i = 0; i < 3; ++i) imgui.frame([&] { panel.draw(ctx); });
    EXPECT_EQ(settings.text("model.selected", ""), "C.block");
}

TEST(ModelPanel, WaitsForLayersWithoutDrawingATable) {
    HeadlessImGui imgui;
    LiveTrainer trainer(idle_trainer_options());
    TrainerSnapshot s;  // loading: no layers, no norms
    Settings settings;
    PanelContext ctx{s, trainer, settings, 1.0f};
    ModelPanel panel;
    imgui.frame([&] { panel.draw(ctx); });
    EXPECT_EQ(settings.text("model.selected", "none"), "none");
}
