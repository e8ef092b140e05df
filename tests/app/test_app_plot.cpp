// The plot widget: its coordinate maths checked against hand computations, and
// the widget itself driven through a headless ImGui context (no window, no GL).
#include <gtest/gtest.h>
#include <imgui.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <vector>

#include "panels/losses_panel.h"
#include "widgets/plot.h"

namespace ganvas::gui {
namespace {

using namespace plotmath;
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

// ---- axis mapping ----

TEST(PlotMath, LinearEndpointsMapToPixelEnds) {
    const Axis a{-2, 6, false};
    EXPECT_DOUBLE_EQ(to_pixel(a, -2, 100, 500), 100);
    EXPECT_DOUBLE_EQ(to_pixel(a, 6, 100, 500), 500);
    EXPECT_DOUBLE_EQ(to_pixel(a, 2, 100, 500), 300);
    // Screen y grows down: lo at the bottom pixel.
    EXPECT_DOUBLE_EQ(to_pixel(a, -2, 400, 0), 400);
    EXPECT_DOUBLE_EQ(to_pixel(a, 0, 400, 0), 300);
}

TEST(PlotMath, LogAxisMapsDecadesEvenly) {
    const Axis a{1, 1000, true};
    EXPECT_NEAR(to_pixel(a, 10, 0, 300), 100, 1e-9);
    EXPECT_NEAR(to_pixel(a, 100, 0, 300), 200, 1e-9);
    EXPECT_NEAR(to_pixel(a, std::sqrt(10.0), 0, 300), 50, 1e-9);
    EXPECT_TRUE(std::isnan(to_pixel(a, 0, 0, 300)));
    EXPECT_TRUE(std::isnan(to_pixel(a, -5, 0, 300)));
    EXPECT_NEAR(from_pixel(a, 150, 0, 300), std::pow(10.0, 1.5), 1e-9);
}

TEST(PlotMath, ScreenDataScreenRoundTrip) {
    for (const Axis& a : {Axis{-3.5, 1e4, false}, Axis{1e-4, 50, true}, Axis{0.49, 0.51, false}}) {
        for (double p : {0.0, 17.25, 333.0, 799.5}) {
            const double v = from_pixel(a, p, 800, 0);
            EXPECT_NEAR(to_pixel(a, v, 800, 0), p, 1e-7) << a.lo << ".." << a.hi;
        }
    }
}

TEST(PlotMath, DegenerateAxisDoesNotDivideByZero) {
    const Axis a{3, 3, false};
    EXPECT_DOUBLE_EQ(to_pixel(a, 3, 0, 100), 50);
    EXPECT_TRUE(std::isfinite(from_pixel(Axis{0, 1, false}, 5, 10, 10)));
}

// ---- zoom and pan ----

TEST(PlotMath, ZoomKeepsThePointUnderTheCursorFixed) {
    for (const Axis& a : {Axis{0, 3000, false}, Axis{0.01, 100, true}, Axis{-1, 1, false}}) {
        for (double pixel : {0.0, 123.0, 640.0}) {
            for (double factor : {1.2, 2.0, 1 / 1.2, 0.25}) {
                const double fixed = from_pixel(a, pixel, 0, 640);
                const Axis z = zoom_about(a, fixed, factor);
                EXPECT_NEAR(to_pixel(z, fixed, 0, 640), pixel, 1e-6);
                if (a.log)
                    EXPECT_NEAR(std::log10(z.hi / z.lo), std::log10(a.hi / a.lo) / factor, 1e-9);
                else
                    EXPECT_NEAR(z.hi - z.lo, (a.hi - a.lo) / factor, 1e-9 * (a.hi - a.lo));
            }
        }
    }
}

TEST(PlotMath, ZoomStaysFiniteWhenPushedToExtremes) {
    Axis in{0, 1, false}, out{0, 1, false}, log{1, 10, true};
    for (int i = 0; i < 2000; ++i) {
        in = zoom_about(in, 0.3, 1.2);
        out = zoom_about(out, 0.3, 1 / 1.2);
        log = zoom_about(log, 2, 1 / 1.2);
    }
    for (const Axis& a : {in, out, log}) {
        EXPECT_TRUE(std::isfinite(a.lo) && std::isfinite(a.hi));
        EXPECT_GT(a.hi, a.lo);
    }
    EXPECT_GT(log.lo, 0);
    // The fixed point is still inside after the clamp.
    EXPECT_LE(in.lo, 0.3);
    EXPECT_GE(in.hi, 0.3);
}

TEST(PlotMath, PanMovesTheDataWithTheMouse) {
    for (const Axis& a : {Axis{0, 100, false}, Axis{0.1, 1000, true}}) {
        const double before = from_pixel(a, 200, 0, 400);
        const Axis p = pan(a, 30, 0, 400);  // dragged 30 px right
        EXPECT_NEAR(from_pixel(p, 230, 0, 400), before, 1e-9 * std::abs(before));
    }
    // y: a drag down (+pixels) on a bottom-to-top span moves the range up.
    const Axis y{0, 10, false};
    const Axis p = pan(y, 40, 400, 0);
    EXPECT_NEAR(p.lo, 1, 1e-12);
    EXPECT_NEAR(p.hi, 11, 1e-12);
}

// ---- fitting ----

TEST(PlotMath, ExtentIgnoresNaNAndInfinity) {
    const std::vector<float> v{kNaN, 1, 3, kInf, -kInf, 2, kNaN};
    const Extent e = extent(v, false);
    ASSERT_FALSE(e.empty);
    EXPECT_EQ(e.lo, 1);
    EXPECT_EQ(e.hi, 3);
    const Axis a = fit(e, false, 0.05);
    EXPECT_NEAR(a.lo, 0.9, 1e-12);
    EXPECT_NEAR(a.hi, 3.1, 1e-12);
}

TEST(PlotMath, LogFitSkipsNonPositiveValues) {
    const std::vector<float> v{-1, 0, 10, 1000, kNaN};
    const Extent e = extent(v, true);
    EXPECT_EQ(e.lo, 10);
    EXPECT_EQ(e.hi, 1000);
    const Axis a = fit(e, true, 0.1);  // 2 decades: 0.2 decades either side
    EXPECT_NEAR(std::log10(a.lo), 0.8, 1e-9);
    EXPECT_NEAR(std::log10(a.hi), 3.2, 1e-9);
    EXPECT_TRUE(a.log);
}

TEST(PlotMath, FitNeverGivesAnEmptyRange) {
    const std::vector<float> nothing{kNaN, kNaN};
    Axis a = fit(extent(nothing, false), false);
    EXPECT_EQ(a.lo, 0);
    EXPECT_EQ(a.hi, 1);
    a = fit(extent(std::vector<float>{-3, -2}, true), true);
    EXPECT_EQ(a.lo, 1);
    EXPECT_EQ(a.hi, 10);
    a = fit(extent(std::vector<float>{5, 5}, false), false);
    EXPECT_NEAR(a.lo, 4.5, 1e-12);
    EXPECT_NEAR(a.hi, 5.5, 1e-12);
    a = fit(extent(std::vector<float>{0}, false), false);
    EXPECT_LT(a.lo, 0);
    EXPECT_GT(a.hi, 0);
    a = fit(extent(std::vector<float>{0.01f}, true), true);
    EXPECT_LT(a.lo, 0.01);
    EXPECT_GT(a.hi, 0.01);
}

// ---- ticks ----

bool is_125_step(double step) {
    const double mag = std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    const double m = step / mag;
    return std::abs(m - 1) < 1e-9 || std::abs(m - 2) < 1e-9 || std::abs(m - 5) < 1e-9;
}

TEST(PlotMath, LinearTicksCoverTheRangeWith125Steps) {
    const double ranges[][2] = {{0, 1},      {-3.7, 12.1}, {0, 3000},  {0.4999, 0.5003},
                                {-1e9, 1e9}, {1e-7, 3e-7}, {17, 17.5}, {-0.02, 0.9}};
    for (auto& r : ranges) {
        for (int target : {2, 5, 10}) {
            double step = 0;
            const auto t = linear_ticks(r[0], r[1], target, &step);
            ASSERT_FALSE(t.empty()) << r[0] << ".." << r[1];
            EXPECT_TRUE(is_125_step(step)) << step;
            EXPECT_GE(t.front(), r[0] - 1e-9 * step);
            EXPECT_LE(t.back(), r[1] + 1e-9 * step);
            EXPECT_LT(t.front() - r[0], step * (1 + 1e-9));  // no missing tick at the ends
            EXPECT_LT(r[1] - t.back(), step * (1 + 1e-9));
            for (size_t i = 1; i < t.size(); ++i) EXPECT_NEAR(t[i] - t[i - 1], step, 1e-6 * step);
            EXPECT_GE(static_cast<int>(t.size()), target / 3);
            EXPECT_LE(static_cast<int>(t.size()), target * 3 + 1);
        }
    }
}

TEST(PlotMath, LinearTicksHandExamples) {
    double step = 0;
    auto t = linear_ticks(0, 1, 5, &step);  // raw 0.2 -> 0.2
    EXPECT_DOUBLE_EQ(step, 0.2);
    ASSERT_EQ(t.size(), 6u);
    EXPECT_EQ(t[0], 0);
    EXPECT_NEAR(t[5], 1, 1e-12);
    t = linear_ticks(-3.7, 12.1, 4, &step);  // raw 3.95 -> 5
    EXPECT_DOUBLE_EQ(step, 5);
    EXPECT_EQ(t, (std::vector<double>{0, 5, 10}));
    t = linear_ticks(-0.3, 0.3, 3, &step);  // raw 0.2; zero is exactly zero, not 1e-17
    EXPECT_EQ(t, (std::vector<double>{-0.2, 0, 0.2}));
    EXPECT_TRUE(linear_ticks(1, 1, 5).empty());
    EXPECT_TRUE(linear_ticks(0, kNaN, 5).empty());
    EXPECT_TRUE(linear_ticks(-kInf, 1, 5).empty());
}

TEST(PlotMath, LogTicks) {
    // Six decades for about four ticks: every second decade.
    EXPECT_EQ(log_ticks(1, 1e6, 4), (std::vector<double>{1, 100, 1e4, 1e6}));
    // A short range gets 1-2-5 ticks.
    auto t = log_ticks(0.5, 20, 6);
    ASSERT_EQ(t.size(), 6u);
    const double want[] = {0.5, 1, 2, 5, 10, 20};
    for (size_t i = 0; i < t.size(); ++i) EXPECT_NEAR(t[i], want[i], 1e-12);
    // Decades with 2..9 minor lines.
    std::vector<double> minor;
    t = log_ticks(1, 100, 2, &minor);
    ASSERT_EQ(t.size(), 3u);
    EXPECT_NEAR(t[1], 10, 1e-12);
    EXPECT_EQ(minor.size(), 16u);
    // Less than a decade: still ticks inside the range.
    t = log_ticks(0.6, 0.75, 5);
    ASSERT_FALSE(t.empty());
    for (double v : t) {
        EXPECT_GE(v, 0.6);
        EXPECT_LE(v, 0.75);
    }
    EXPECT_TRUE(log_ticks(0, 10, 5).empty());
    EXPECT_TRUE(log_ticks(-1, 10, 5).empty());
}

TEST(PlotMath, TickLabelsUseTheStepsDecimals) {
    EXPECT_EQ(tick_label(0.2, 0.2), "0.2");
    EXPECT_EQ(tick_label(0.25, 0.05), "0.25");
    EXPECT_EQ(tick_label(1500, 500), "1500");
    EXPECT_EQ(tick_label(2.5e-17, 0.5), "0");  // float noise around zero
    EXPECT_EQ(tick_label(-3, 1), "-3");
    EXPECT_EQ(tick_label(1e-5, 1e-5), "1e-05");
    EXPECT_EQ(tick_label(2e6, 1e6), "2e+06");
    EXPECT_EQ(tick_label(0.001, 0.001), "0.001");
    EXPECT_EQ(tick_label(kNaN, 1), "");
}

// ---- smoothing ----

TEST(PlotMath, EmaMatchesAHandComputationWithDebiasing) {
    // w = 0.5: accumulators 0.5, 1.25, 2.125 divided by 1 - 0.5^n = 0.5, 0.75, 0.875.
    std::vector<float> out;
    ema(std::vector<float>{1, 2, 3}, 0.5, out);
    ASSERT_EQ(out.size(), 3u);
    EXPECT_NEAR(out[0], 1.0, 1e-6);
    EXPECT_NEAR(out[1], 1.25 / 0.75, 1e-6);
    EXPECT_NEAR(out[2], 2.125 / 0.875, 1e-6);
}

TEST(PlotMath, EmaSkipsGapsAndKeepsThem) {
    std::vector<float> out;
    ema(std::vector<float>{1, kNaN, 2, kInf}, 0.5, out);
    ASSERT_EQ(out.size(), 4u);
    EXPECT_NEAR(out[0], 1.0, 1e-6);
    EXPECT_TRUE(std::isnan(out[1]));
    EXPECT_NEAR(out[2], 1.25 / 0.75, 1e-6);  // the gap did not count as a step
    EXPECT_TRUE(std::isnan(out[3]));
}

TEST(PlotMath, EmaOfAConstantIsTheConstantAndWeightZeroIsIdentity) {
    std::vector<float> out;
    ema(std::vector<float>(50, 0.7f), 0.99, out);
    for (float v : out) EXPECT_NEAR(v, 0.7f, 1e-5);
    const std::vector<float> v{3, -1, 4, 1, -5};
    ema(v, 0, out);
    EXPECT_EQ(out, v);
    ema(std::vector<float>{}, 0.6, out);
    EXPECT_TRUE(out.empty());
}

// ---- lookup and decimation ----

TEST(PlotMath, NearestIndexAtEdgesAndTies) {
    const std::vector<int64_t> xs{0, 10, 20};
    const std::span<const int64_t> s(xs);
    EXPECT_EQ(nearest_index(s, -5.0), 0);
    EXPECT_EQ(nearest_index(s, 4.0), 0);
    EXPECT_EQ(nearest_index(s, 5.0), 0);  // a tie goes to the earlier step
    EXPECT_EQ(nearest_index(s, 6.0), 1);
    EXPECT_EQ(nearest_index(s, 19.0), 2);
    EXPECT_EQ(nearest_index(s, 1e12), 2);
    EXPECT_EQ(nearest_index(std::span<const int64_t>(), 3.0), -1);
    EXPECT_EQ(nearest_index(s, std::nan("")), -1);
    const std::vector<double> d{0.5};
    EXPECT_EQ(nearest_index(std::span<const double>(d), -100.0), 0);
    EXPECT_EQ(lower_index(s, 10.0), 1u);
    EXPECT_EQ(upper_index(s, 10.0), 2u);
    EXPECT_EQ(lower_index(s, 25.0), 3u);
}

TEST(PlotMath, DecimationKeepsSpikesAndBoundsThePointCount) {
    const size_t n = 20000;
    std::vector<int64_t> xs(n);
    std::vector<float> ys(n);
    for (size_t i = 0; i < n; ++i) {
        xs[i] = static_cast<int64_t>(i);
        ys[i] = std::sin(i * 0.01f);
    }
    ys[12345] = 100;
    ys[777] = -50;
    std::vector<Point> out;
    decimate(std::span<const int64_t>(xs), std::span<const float>(ys), 0, n, 0, n - 1, 100, false,
             out);
    EXPECT_LE(out.size(), 2u * 100 + 2);
    EXPECT_GE(out.size(), 100u);
    double top = -1e9, bottom = 1e9;
    for (size_t i = 0; i < out.size(); ++i) {
        top = std::max(top, out[i].y);
        bottom = std::min(bottom, out[i].y);
        if (i > 0) {
            EXPECT_GT(out[i].x, out[i - 1].x);  // order kept
        }
    }
    EXPECT_EQ(top, 100);
    EXPECT_EQ(bottom, -50);
    EXPECT_EQ(out.front().x, 0);
    EXPECT_EQ(out.back().x, static_cast<double>(n - 1));
}

TEST(PlotMath, DecimationKeepsFewPointsAsTheyAre) {
    const std::vector<double> xs{0, 1, 2, 3, 4};
    const std::vector<float> ys{5, 4, 3, 2, 1};
    std::vector<Point> out;
    decimate(std::span<const double>(xs), std::span<const float>(ys), 1, 4, 0, 4, 100, false, out);
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[0].x, 1);
    EXPECT_EQ(out[0].y, 4);
    EXPECT_EQ(out[2].y, 2);
    decimate(std::span<const double>(xs), std::span<const float>(ys), 3, 2, 0, 4, 100, false, out);
    EXPECT_TRUE(out.empty());
}

TEST(PlotMath, DecimationBreaksLinesAtGapsUnlessSparse) {
    const std::vector<int64_t> xs{0, 1, 2, 3};
    const std::vector<float> ys{1, kNaN, kNaN, 2};
    std::vector<Point> out;
    decimate(std::span<const int64_t>(xs), std::span<const float>(ys), 0, 4, 0, 3, 100, false, out);
    ASSERT_EQ(out.size(), 3u);  // one break, not two
    EXPECT_TRUE(std::isnan(out[1].y));
    decimate(std::span<const int64_t>(xs), std::span<const float>(ys), 0, 4, 0, 3, 100, true, out);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[1].x, 3);

    // Many points: the gap survives decimation as a single break.
    std::vector<int64_t> big_x(10000);
    std::vector<float> big_y(10000, 1.0f);
    for (size_t i = 0; i < big_x.size(); ++i) big_x[i] = static_cast<int64_t>(i);
    big_y[5000] = kNaN;
    decimate(std::span<const int64_t>(big_x), std::span<const float>(big_y), 0, 10000, 0, 9999, 50,
             false, out);
    int breaks = 0;
    for (const Point& p : out) breaks += std::isnan(p.y);
    EXPECT_EQ(breaks, 1);
}

// ---- CSV ----

TEST(PlotCsv, AlignsSeriesByStep) {
    const std::vector<int64_t> a_x{0, 1, 2}, b_x{1, 3};
    const std::vector<float> a_y{1, 2.5f, kNaN}, b_y{5, -0.125f};
    std::vector<PlotSeries> series(2);
    series[0].name = "loss_D";
    series[0].steps = a_x;
    series[0].values = a_y;
    series[1].name = "a,b";
    series[1].steps = b_x;
    series[1].values = b_y;
    std::ostringstream out;
    write_csv(out, series);
    EXPECT_EQ(out.str(),
              "step,loss_D,\"a,b\"\n"
              "0,1,\n"
              "1,2.5,5\n"
              "2,,\n"
              "3,,-0.125\n");
}

TEST(PlotCsv, EmptySeriesGiveAHeaderOnly) {
    std::vector<PlotSeries> series(1);
    series[0].name = "x";
    std::ostringstream out;
    write_csv(out, series);
    EXPECT_EQ(out.str(), "step,x\n");
}

// ---- the widget, headless ----

class PlotWidget : public ::testing::Test {
protected:
    void SetUp() override {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = ImVec2(1000, 700);
        io.DeltaTime = 1.0f / 60;
        io.IniFilename = nullptr;
        // As the OpenGL 3 backend does: big draw lists are split, not refused.
        io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    }
    void TearDown() override { ImGui::DestroyContext(); }

    // One frame with the plot filling a 1000x700 window; returns the vertex count.
    int frame(Plot& plot, std::span<const PlotSeries> series, const PlotOptions& o) {
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(1000, 700));
        ImGui::Begin("test", nullptr, ImGuiWindowFlags_NoDecoration);
        plot.draw("Losses", series, o, ImVec2(0, 0));
        ImGui::End();
        ImGui::Render();
        return ImGui::GetDrawData()->TotalVtxCount;
    }
};

TEST_F(PlotWidget, DrawsLargeNoisySeriesWithBoundedGeometry) {
    const size_t n = 50000;
    std::vector<int64_t> steps(n);
    std::vector<float> a(n), b(n), sparse(n, kNaN), wild(n);
    for (size_t i = 0; i < n; ++i) {
        steps[i] = static_cast<int64_t>(i);
        a[i] = 0.7f + 0.3f * std::sin(i * 0.37f);
        b[i] = i % 97 == 0 ? kNaN : 2.0f + std::cos(i * 0.11f);
        if (i % 500 == 0) sparse[i] = 100.0f / (1 + i);
        wild[i] = i % 2 ? 1e30f : -1e30f;
    }
    std::vector<PlotSeries> series(4);
    const std::vector<float>* values[] = {&a, &b, &sparse, &wild};
    for (int k = 0; k < 4; ++k) {
        series[k].name = std::string(1, static_cast<char>('a' + k));
        series[k].steps = steps;
        series[k].values = *values[k];
    }
    series[2].sparse = true;
    PlotOptions o;
    o.smoothing = 0.9;
    o.references.push_back({0.5, "D = ½ (equilibrium)"});
    Plot plot;
    std::vector<double> ms;
    int vertices = 0;
    for (int f = 0; f < 8; ++f) {
        o.log_y = f >= 4;  // log-y with negative values in the data
        const auto t0 = std::chrono::steady_clock::now();
        vertices = frame(plot, series, o);
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
    }
    // At most two points a pixel column, two lines a series, a few vertices a point.
    EXPECT_GT(vertices, 1000);
    EXPECT_LT(vertices, 2 * 1000 * 2 * 4 * 6);
    std::sort(ms.begin(), ms.end());
    RecordProperty("median_frame_ms", std::to_string(ms[ms.size() / 2]));
    std::printf("plot frame over 4 x %zu points: median %.2f ms\n", n, ms[ms.size() / 2]);
}

TEST_F(PlotWidget, SurvivesEmptyAndAllNaNSeries) {
    const std::vector<int64_t> steps{0, 1, 2};
    const std::vector<float> nan3{kNaN, kNaN, kNaN};
    std::vector<PlotSeries> series(3);
    series[0].name = "empty";
    series[1].name = "nan";
    series[1].steps = steps;
    series[1].values = nan3;
    series[2].name = "mismatched";  // fewer values than steps: only the pairs are used
    series[2].steps = steps;
    series[2].values = std::span<const float>(nan3).first(1);
    Plot plot;
    PlotOptions o;
    for (bool log : {false, true}) {
        o.log_y = log;
        frame(plot, series, o);
    }
    frame(plot, {}, o);
    SUCCEED();
}

TEST_F(PlotWidget, WheelZoomStopsFollowingAndDoubleClickFitsAgain) {
    std::vector<int64_t> steps(100);
    std::vector<float> v(100);
    for (int i = 0; i < 100; ++i) {
        steps[i] = i;
        v[i] = static_cast<float>(i);
    }
    std::vector<PlotSeries> series(1);
    series[0].name = "loss";
    series[0].steps = steps;
    series[0].values = v;
    Plot plot;
    PlotOptions o;
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(500, 350);
    frame(plot, series, o);
    frame(plot, series, o);
    EXPECT_TRUE(plot.following());
    io.MouseWheel = 1;
    frame(plot, series, o);
    io.MouseWheel = 0;
    EXPECT_FALSE(plot.following());
    // Two clicks within the double-click time.
    for (bool down : {true, false, true, false}) {
        io.MouseDown[0] = down;
        frame(plot, series, o);
    }
    EXPECT_TRUE(plot.following());
}

// A reference line's label ("ln 2: ...") is written after the curves, so a curve
// passing under it does not draw over the text.
TEST_F(PlotWidget, ReferenceLabelsAreDrawnOverTheCurves) {
    std::vector<int64_t> steps(200);
    std::vector<float> values(200);
    for (int i = 0; i < 200; ++i) {
        steps[i] = i;
        values[i] = static_cast<float>(std::log(2.0)) + 0.3f * std::sin(i * 0.3f);
    }
    std::vector<PlotSeries> series(1);
    series[0].name = "loss_G";
    series[0].steps = steps;
    series[0].values = values;
    series[0].colour = IM_COL32(255, 0, 0, 255);
    PlotOptions o;
    o.smoothing = 0;
    o.references = {{std::log(2.0), "ln 2: loss_G at equilibrium"}};
    // Plain lines: only glyphs then sample the font texture away from its white pixel.
    ImGui::GetStyle().AntiAliasedLines = false;
    ImGui::GetStyle().AntiAliasedLinesUseTex = false;
    Plot plot;
    frame(plot, series, o);
    frame(plot, series, o);  // the first frame measures the labels
    const ImVec2 white = ImGui::GetIO().Fonts->TexUvWhitePixel;
    const ImDrawData* data = ImGui::GetDrawData();
    ASSERT_GT(data->CmdListsCount, 0);
    const ImDrawList* dl = data->CmdLists[0];
    int last_curve = -1, last_glyph = -1;
    for (int i = 0; i < dl->VtxBuffer.Size; ++i) {
        const ImDrawVert& v = dl->VtxBuffer[i];
        if (v.col == series[0].colour) last_curve = i;
        if (v.uv.x != white.x || v.uv.y != white.y) last_glyph = i;
    }
    ASSERT_GE(last_curve, 0);
    EXPECT_GT(last_glyph, last_curve) << "the curve is drawn over every label";
}

// ---- the Losses panel, headless ----

class LossesPanelTest : public PlotWidget {
protected:
    void SetUp() override {
        PlotWidget::SetUp();
        dir_ = std::filesystem::temp_directory_path() /
               ("ganvas-losses-test-" +
                std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        TrainerOptions t;
        t.config.data = "idx:/nonexistent";  // fails at once: the panel only reads snapshots
        t.work_dir = (dir_ / "work").string();
        trainer_ = std::make_unique<LiveTrainer>(t);
    }
    void TearDown() override {
        trainer_.reset();
        std::filesystem::remove_all(dir_);
        PlotWidget::TearDown();
    }
    void draw(LossesPanel& panel, const TrainerSnapshot& snapshot) {
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(1000, 700));
        ImGui::Begin("test", nullptr, ImGuiWindowFlags_NoDecoration);
        PanelContext ctx{snapshot, *trainer_, settings_, 1.0f};
        panel.draw(ctx);
        ImGui::End();
        ImGui::Render();
    }
    std::filesystem::path dir_;
    std::unique_ptr<LiveTrainer> trainer_;
    Settings settings_;
};

std::shared_ptr<MetricHistory> gan_history(int rows, int ffd_every) {
    auto m = std::make_shared<MetricHistory>();
    for (int i = 1; i <= rows; ++i) {
        m->add(i, {{"loss_D", 1.0f / i},
                   {"loss_G", 2.0f + 0.5f * (i % 3)},
                   {"D(x)", 0.75f},
                   {"D(G(z))", 0.25f}});
        if (ffd_every > 0 && i % ffd_every == 0) m->set_last("ffd", 100.0f / i);
    }
    return m;
}

TEST_F(LossesPanelTest, DrawsEveryKindOfHistory) {
    LossesPanel panel;
    TrainerSnapshot s;
    draw(panel, s);  // loading: no history at all
    s.state = TrainerState::Paused;
    s.metrics = std::make_shared<MetricHistory>();
    draw(panel, s);  // no rows yet
    s.metrics = gan_history(3000, 500);
    draw(panel, s);
    auto classifier = std::make_shared<MetricHistory>();
    for (int i = 1; i <= 50; ++i) classifier->add(i, {{"loss", 2.3f / i}, {"accuracy", 0.01f * i}});
    s.metrics = classifier;
    draw(panel, s);
    auto wild = std::make_shared<MetricHistory>();
    for (int i = 1; i <= 100; ++i)
        wild->add(i, {{"loss_D", i % 2 ? kNaN : -1e38f}, {"weird", i % 3 ? kInf : 1e-30f}});
    s.metrics = wild;
    settings_.set_number("losses.log_y", 1);
    settings_.set_number("losses.smoothing", std::nan(""));
    for (int f = 0; f < 3; ++f) draw(panel, s);
    SUCCEED();
}

std::vector<std::string> titles(const LossesPanel& panel) {
    std::vector<std::string> out;
    for (const auto& g : panel.groups()) out.push_back(g.title);
    return out;
}

const LossesPanel::Group* group(const LossesPanel& panel, const std::string& title) {
    for (const auto& g : panel.groups())
        if (g.title == title) return &g;
    return nullptr;
}

// A WGAN's critic statistics get their own plots, chosen from the columns:
// no ln 4 line on its losses, the target 1 on the gradient norm with a penalty.
TEST_F(LossesPanelTest, PlotsFollowTheColumnsNotTheModelName) {
    LossesPanel panel;
    TrainerSnapshot s;
    s.state = TrainerState::Paused;
    s.config.model = "dcgan28";  // deliberately wrong: the columns decide
    auto gp = std::make_shared<MetricHistory>();
    for (int i = 1; i <= 50; ++i)
        gp->add(i, {{"loss_D", -1.0f / i},
                    {"loss_G", 0.1f * i},
                    {"W_estimate", 2.0f / i},
                    {"gradient_penalty", 0.01f},
                    {"grad_norm", 0.9f}});
    s.metrics = gp;
    draw(panel, s);
    EXPECT_EQ(titles(panel), (std::vector<std::string>{"Losses", "Critic's Wasserstein estimate",
                                                       "Critic's input-gradient norm"}));
    EXPECT_TRUE(group(panel, "Losses")->references.empty());
    const auto* norm = group(panel, "Critic's input-gradient norm");
    ASSERT_EQ(norm->references.size(), 1u);
    EXPECT_EQ(norm->references[0].y, 1.0);
    EXPECT_NE(group(panel, "Losses")->series[0].help.find("Critic loss"), std::string::npos);

    // Weight clipping: no gradient norm measured, no such plot.
    auto clip = std::make_shared<MetricHistory>();
    for (int i = 1; i <= 5; ++i)
        clip->add(i, {{"loss_D", -0.1f}, {"loss_G", 0.1f}, {"W_estimate", 0.1f}});
    s.metrics = clip;
    draw(panel, s);
    EXPECT_EQ(titles(panel), (std::vector<std::string>{"Losses", "Critic's Wasserstein estimate"}));

    s.config.model = "wgan_gp28";  // and the other way round
    s.metrics = gan_history(10, 0);
    draw(panel, s);
    EXPECT_EQ(titles(panel), (std::vector<std::string>{"Losses", "Discriminator outputs"}));
    EXPECT_EQ(group(panel, "Losses")->references.size(), 2u);  // ln 4, ln 2
}

TEST_F(LossesPanelTest, ExportsEveryColumnAlignedByStep) {
    LossesPanel panel;
    TrainerSnapshot s;
    s.state = TrainerState::Paused;
    auto m = std::make_shared<MetricHistory>();
    m->add(1, {{"loss_D", 0.5f}, {"loss_G", 2.0f}});
    m->add(2, {{"loss_D", 0.25f}, {"loss_G", 1.5f}});
    m->set_last("ffd", 42.0f);
    m->add(3, {{"loss_D", 0.125f}, {"loss_G", -1.0f}});
    s.metrics = m;
    draw(panel, s);
    const auto path = dir_ / "exports" / "nested" / "metrics.csv";  // folders are created
    ASSERT_TRUE(panel.export_csv(path.string())) << panel.export_message();
    std::ifstream in(path);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text,
              "step,loss_D,loss_G,ffd\n"
              "1,0.5,2,\n"
              "2,0.25,1.5,42\n"
              "3,0.125,-1,\n");
    EXPECT_NE(panel.export_message().find(path.filename().string()), std::string::npos);
}

TEST_F(LossesPanelTest, ExportFailureIsReportedNotThrown) {
    LossesPanel panel;
    TrainerSnapshot s;
    EXPECT_FALSE(panel.export_csv((dir_ / "x.csv").string()));  // nothing drawn yet
    s.state = TrainerState::Paused;
    s.metrics = gan_history(10, 0);
    draw(panel, s);
    std::ofstream(dir_ / "a_file") << "not a folder";
    EXPECT_FALSE(panel.export_csv((dir_ / "a_file" / "metrics.csv").string()));
    EXPECT_NE(panel.export_message().find("Export failed"), std::string::npos)
        << panel.export_message();
    EXPECT_FALSE(panel.export_csv(""));
}

}  // namespace
}  // namespace ganvas::gui
