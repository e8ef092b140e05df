// `ganvas train --tensorboard DIR`: the event files it writes, read back with Ganvas's
// reader, hold what metrics.csv and the sample grids hold.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <sstream>

#include "data/tensorboard_reader.h"
#include "support/cli_runner.h"
#include "tensor/rng.h"

using namespace ganvas;
using ganvas::testing::expect_clear_error;
using ganvas::testing::read_bytes;
using ganvas::testing::run_ganvas;
using ganvas::testing::temp_dir;
using ganvas::testing::write_bytes;
namespace fs = std::filesystem;

namespace {

// n random 28x28 images as an IDX file.
void write_images(const std::string& path, int n) {
    std::string b = {0, 0, 8, 3, 0, 0, 0, static_cast<char>(n), 0, 0, 0, 28, 0, 0, 0, 28};
    Rng rng(3);
    for (int i = 0; i < n * 784; ++i) b += static_cast<char>(rng.randint(256));
    write_bytes(path, b);
}

struct Csv {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};

Csv read_csv(const std::string& path) {
    Csv csv;
    std::istringstream in(read_bytes(path));
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> cells;
        std::istringstream cells_in(line);
        for (std::string cell; std::getline(cells_in, cell, ',');) cells.push_back(cell);
        if (csv.header.empty())
            csv.header = cells;
        else
            csv.rows.push_back(cells);
    }
    return csv;
}

// Every cell of metrics.csv (but step and elapsed_s) is the scalar of its column's tag
// at its row's step, and no scalar is anything else.
void expect_scalars_match_csv(const TensorBoardRun& run, const Csv& csv) {
    ASSERT_GE(csv.header.size(), 3u);
    size_t cells = 0;
    for (size_t c = 1; c + 1 < csv.header.size(); ++c) {
        const std::string& tag = csv.header[c];
        ASSERT_TRUE(run.scalars.count(tag)) << tag;
        const std::vector<ScalarPoint>& points = run.scalars.at(tag);
        size_t p = 0;
        for (const auto& row : csv.rows) {
            if (c >= row.size() || row[c].empty()) continue;
            ASSERT_LT(p, points.size()) << tag;
            EXPECT_EQ(points[p].step, std::stoll(row[0])) << tag;
            const double value = std::stod(row[c]);  // metrics.csv keeps 6 digits
            EXPECT_NEAR(points[p].value, value, 1e-5 * std::max(1.0, std::abs(value))) << tag;
            ++p;
            ++cells;
        }
        EXPECT_EQ(p, points.size()) << tag;
    }
    EXPECT_EQ(run.scalars.size(), csv.header.size() - 2);
    EXPECT_GT(cells, 0u);
}

}  // namespace

TEST(CliTensorBoard, TrainWritesWhatMetricsCsvAndTheSampleGridsHold) {
    const std::string dir = temp_dir("tensorboard");
    write_images(dir + "/imgs.idx", 20);
    const std::string common = "train --model dcgan28 --data idx:" + dir +
                               "/imgs.idx --batch 8 --threads 1 --quiet --sample-every 3 ";
    auto r = run_ganvas(common + "--steps 6 --out " + dir + "/run --tensorboard " + dir + "/tb");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("TensorBoard: " + dir + "/tb/events.out.tfevents."), std::string::npos)
        << r.output;

    const std::vector<TensorBoardRun> runs = read_tensorboard_log(dir + "/tb");
    ASSERT_EQ(runs.size(), 1u);
    const TensorBoardRun& run = runs[0];
    EXPECT_TRUE(run.warnings.empty()) << run.warnings[0];
    expect_scalars_match_csv(run, read_csv(dir + "/run/metrics.csv"));
    EXPECT_EQ(run.scalars.at("loss_D").size(), 6u);

    // The sample grids at the sample interval, the very PNGs written beside metrics.csv.
    ASSERT_EQ(run.images.count("samples"), 1u);
    const std::vector<ImagePoint>& images = run.images.at("samples");
    ASSERT_EQ(images.size(), 2u);
    for (const ImagePoint& image : images) {
        EXPECT_EQ(image.encoded,
                  read_bytes(dir + "/run/samples_" + std::to_string(image.step) + ".png"));
        EXPECT_GT(image.width, 28);
        EXPECT_EQ(image.channels, 1);
    }
    EXPECT_EQ(images[0].step, 3);
    EXPECT_EQ(images[1].step, 6);

    // The settings, as text at step 0.
    ASSERT_EQ(run.texts.count("settings"), 1u);
    const TextPoint& settings = run.texts.at("settings")[0];
    EXPECT_EQ(settings.step, 0);
    EXPECT_NE(settings.text.find("| model | dcgan28 |"), std::string::npos) << settings.text;
    EXPECT_NE(settings.text.find("| batch | 8 |"), std::string::npos) << settings.text;
    EXPECT_NE(settings.text.find("| lr_G |"), std::string::npos) << settings.text;
}

TEST(CliTensorBoard, ResumedRunAddsAFileAndTheCurvesJoin) {
    const std::string dir = temp_dir("tensorboard_resume");
    write_images(dir + "/imgs.idx", 20);
    const std::string common = "train --model dcgan28 --data idx:" + dir +
                               "/imgs.idx --batch 8 --threads 1 --quiet --out " + dir +
                               "/run --tensorboard " + dir + "/tb ";
    auto a = run_ganvas(common + "--steps 3");
    ASSERT_EQ(a.status, 0) << a.output;
    auto b = run_ganvas(common + "--steps 5 --resume");
    ASSERT_EQ(b.status, 0) << b.output;
    const std::vector<TensorBoardRun> runs = read_tensorboard_log(dir + "/tb");
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].files.size(), 2u);
    expect_scalars_match_csv(runs[0], read_csv(dir + "/run/metrics.csv"));
}

TEST(CliTensorBoard, FolderThatIsAFileIsRefused) {
    const std::string dir = temp_dir("tensorboard_bad");
    write_images(dir + "/imgs.idx", 10);
    write_bytes(dir + "/taken", "a file");
    auto r = run_ganvas("train --model dcgan28 --data idx:" + dir +
                        "/imgs.idx --batch 8 --steps 2 --quiet --out " + dir +
                        "/run --tensorboard " + dir + "/taken");
    expect_clear_error(r, "--tensorboard " + dir + "/taken is a file");
    EXPECT_FALSE(fs::exists(dir + "/run")) << "refused before anything was written";
}

TEST(CliTensorBoard, WindowFlagWantsAnExistingFolder) {
    auto r = run_ganvas("--screenshot x.png --tensorboard /nonexistent/tb");
    EXPECT_EQ(r.status, 2) << r.output;
    expect_clear_error(r, "--tensorboard /nonexistent/tb: no such folder");
}

TEST(CliTensorBoard, WindowOpensOnTheLogFolder) {
    if (ganvas::testing::run_command("command -v xvfb-run").status != 0)
        GTEST_SKIP() << "needs xvfb-run (scripts/test.sh installs xvfb)";
    const std::string dir = temp_dir("tensorboard_window");
    write_images(dir + "/imgs.idx", 20);
    auto r =
        run_ganvas("train --model dcgan28 --data idx:" + dir +
                   "/imgs.idx --batch 8 --steps 2 --sample-every 2 --threads 1 --quiet --out " +
                   dir + "/run --tensorboard " + dir + "/tb/ganvas");
    ASSERT_EQ(r.status, 0) << r.output;
    r = ganvas::testing::run_command("XDG_CONFIG_HOME=" + dir +
                                     "/config LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s '-screen 0 "
                                     "1024x768x24' " +
                                     std::string(GANVAS_BINARY) + " --screenshot " + dir +
                                     "/tb.png --size 800x600 --tensorboard " + dir + "/tb");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_TRUE(fs::exists(dir + "/tb.png"));
    // The screenshot waited for the folder to be read; nothing in it was damaged.
    EXPECT_EQ(r.output.find("record"), std::string::npos) << r.output;
}
