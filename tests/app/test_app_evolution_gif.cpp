// The evolution GIF's frames: a captioned grid that keeps the grid's pixels intact.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "io/image_png.h"
#include "support/test_files.h"
#include "widgets/evolution_gif.h"

using namespace ganvas;
using namespace ganvas::gui;

namespace {

Tensor ramp_images(int64_t n, int64_t c) {
    Tensor t = Tensor::empty({n, c, 28, 28});
    for (int64_t i = 0; i < t.numel(); ++i) t.data()[i] = static_cast<float>(i % 200) / 100 - 1;
    return t;
}

int64_t white_pixels(const Tensor& t, int64_t rows) {
    int64_t count = 0;
    for (int64_t i = 0; i < rows * t.size(2); ++i) count += t.data()[i] == 1.0f;
    return count;
}

class EvolutionGifTest : public ganvas::testing::TempDirTest {};

}  // namespace

TEST(CaptionedGrid, GridBelowACaptionStrip) {
    const Tensor images = ramp_images(64, 1);
    const Tensor grid = make_grid(images, 8, 2);  // (1, 242, 242)
    const Tensor out = captioned_grid(images, 1234, 8, 2);
    ASSERT_EQ(out.dim(), 3);
    ASSERT_EQ(out.size(0), 1);
    ASSERT_EQ(out.size(2), 242);
    const int64_t caption = out.size(1) - 242;
    ASSERT_GT(caption, 0);
    for (int64_t i = 0; i < grid.numel(); ++i)
        ASSERT_EQ(out.data()[caption * 242 + i], grid.data()[i]) << i;
    EXPECT_GT(white_pixels(out, caption), 20);  // the text is there
}

TEST(CaptionedGrid, DifferentStepsDifferentCaptions) {
    const Tensor images = ramp_images(4, 1);
    const Tensor a = captioned_grid(images, 10, 2);
    const Tensor b = captioned_grid(images, 88, 2);
    ASSERT_EQ(a.shape(), b.shape());
    EXPECT_NE(a.to_vector(), b.to_vector());
}

TEST(CaptionedGrid, ColourIsAveragedToGray) {
    const Tensor out = captioned_grid(Tensor::full({1, 3, 4, 4}, 0.5f), 0, 1, 0);
    EXPECT_EQ(out.size(0), 1);
    EXPECT_FLOAT_EQ(out.data()[out.numel() - 1], 0.5f);
}

TEST(CaptionedGrid, BadImagesThrow) {
    EXPECT_THROW(captioned_grid(Tensor(), 0, 8), std::invalid_argument);
    EXPECT_THROW(captioned_grid(Tensor::zeros({28, 28}), 0, 8), std::invalid_argument);
}

TEST_F(EvolutionGifTest, WritesOneFramePerSavedGrid) {
    std::vector<std::shared_ptr<const SampleFrame>> frames;
    for (int64_t step : {0, 25, 50}) {
        auto f = std::make_shared<SampleFrame>();
        f->step = step;
        f->images = ramp_images(64, 1);
        frames.push_back(f);
    }
    const std::string p = path("evolution.gif");
    size_t last = 0;
    GifOptions options;
    options.progress = [&](size_t done, size_t) { return (last = done), true; };
    save_evolution_gif(p, frames, 8, options);
    EXPECT_TRUE(std::filesystem::exists(p));
    EXPECT_EQ(last, 3u);

    frames.push_back(nullptr);
    EXPECT_THROW(save_evolution_gif(path("bad.gif"), frames, 8, options), std::invalid_argument);
    EXPECT_FALSE(std::filesystem::exists(path("bad.gif")));
}

namespace {

std::vector<std::shared_ptr<const SampleFrame>> some_frames(int count) {
    std::vector<std::shared_ptr<const SampleFrame>> frames;
    for (int i = 0; i < count; ++i) {
        auto f = std::make_shared<SampleFrame>();
        f->step = i;
        f->images = ramp_images(64, 1);
        frames.push_back(f);
    }
    return frames;
}

// Polls like the panel does, once a "frame", until the job has finished.
bool wait_for_result(GifExportJob& job, std::string* message, bool* is_error) {
    for (int i = 0; i < 3000; ++i) {
        if (job.take_result(message, is_error)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
}

}  // namespace

TEST_F(EvolutionGifTest, ExportJobWritesInTheBackgroundAndCreatesTheFolder) {
    GifExportJob job;
    const std::string p = path("exports/evolution.gif");
    job.start(p, some_frames(5), 8, 10);
    std::string message;
    bool is_error = true;
    ASSERT_TRUE(wait_for_result(job, &message, &is_error));
    EXPECT_FALSE(is_error) << message;
    EXPECT_NE(message.find("evolution.gif"), std::string::npos) << message;
    EXPECT_FALSE(job.running());
    EXPECT_FLOAT_EQ(job.progress(), 1.0f);
    EXPECT_TRUE(std::filesystem::exists(p));
    EXPECT_FALSE(job.take_result(&message, &is_error));  // once only
}

TEST_F(EvolutionGifTest, ExportJobReportsErrors) {
    GifExportJob job;
    const std::string p = path("no_frames.gif");
    job.start(p, {}, 8, 10);
    std::string message;
    bool is_error = false;
    ASSERT_TRUE(wait_for_result(job, &message, &is_error));
    EXPECT_TRUE(is_error);
    EXPECT_NE(message.find(p), std::string::npos) << message;
}

TEST_F(EvolutionGifTest, CancelledOrAbandonedExportLeavesNothing) {
    const std::string p = path("big.gif");
    {
        GifExportJob job;
        job.start(p, some_frames(200), 8, 10);
        job.cancel();
        std::string message;
        bool is_error = false;
        ASSERT_TRUE(wait_for_result(job, &message, &is_error));
        EXPECT_TRUE(is_error);
        EXPECT_NE(message.find("cancelled"), std::string::npos) << message;
        job.start(p, some_frames(200), 8, 10);
    }  // the destructor cancels and joins
    EXPECT_FALSE(std::filesystem::exists(p));
    EXPECT_TRUE(std::filesystem::is_empty(dir_));
}
