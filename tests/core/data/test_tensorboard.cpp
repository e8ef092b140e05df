// TensorBoard event files: Ganvas's writer read back, and files built by hand from the
// published schema as PyTorch's SummaryWriter and TensorFlow 2 write them.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "data/tensorboard_event.h"
#include "data/tensorboard_reader.h"
#include "data/tensorboard_writer.h"
#include "io/image_png.h"
#include "support/tensorboard_events.h"
#include "support/test_files.h"

using namespace ganvas;
using ganvas::testing::write_bytes;
namespace tb = ganvas::testing::tb;
namespace fs = std::filesystem;

namespace {

class TensorBoardTest : public ganvas::testing::TempDirTest {};

std::string tiny_png(int w, int h, int channels) {
    std::vector<uint8_t> pixels(static_cast<size_t>(w * h * channels));
    for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<uint8_t>(i * 37);
    return encode_png(w, h, channels, pixels.data());
}

std::vector<int64_t> steps_of(const std::vector<ScalarPoint>& points) {
    std::vector<int64_t> out;
    for (const ScalarPoint& p : points) out.push_back(p.step);
    return out;
}

}  // namespace

TEST_F(TensorBoardTest, WriterFileReadsBack) {
    const std::string png = tiny_png(5, 3, 1);
    std::string file;
    {
        TensorBoardWriter writer(path("logs/run"));
        file = writer.path();
        writer.add_text("settings", 0, "| model | dcgan28 |");
        writer.add_scalars(1, {{"loss_D", 1.25f}, {"loss_G", 0.5f}});
        writer.add_scalars(2, {{"loss_D", 1.0f}, {"loss_G", 0.75f}});
        writer.add_scalar("ffd", 2, 42.5f);
        writer.add_png("samples", 2, png);
        writer.flush();
    }
    EXPECT_EQ(fs::path(file).parent_path(), fs::path(path("logs/run")));
    EXPECT_EQ(fs::path(file).filename().string().rfind("events.out.tfevents.", 0), 0u) << file;

    const std::vector<TensorBoardRun> runs = read_tensorboard_log(path("logs"));
    ASSERT_EQ(runs.size(), 1u);
    const TensorBoardRun& run = runs[0];
    EXPECT_EQ(run.name, "run");
    EXPECT_TRUE(run.warnings.empty());
    EXPECT_EQ(run.events, 6);  // the version event and five more
    ASSERT_EQ(run.scalars.at("loss_D").size(), 2u);
    EXPECT_EQ(run.scalars.at("loss_D")[0].step, 1);
    EXPECT_EQ(run.scalars.at("loss_D")[0].value, 1.25);
    EXPECT_EQ(run.scalars.at("loss_G")[1].value, 0.75);
    EXPECT_GT(run.scalars.at("loss_G")[1].wall_time, 1.6e9);  // seconds since 1970, now-ish
    EXPECT_EQ(run.scalars.at("ffd")[0].value, 42.5);
    ASSERT_EQ(run.images.at("samples").size(), 1u);
    const ImagePoint& image = run.images.at("samples")[0];
    EXPECT_EQ(image.step, 2);
    EXPECT_EQ(image.width, 5);
    EXPECT_EQ(image.height, 3);
    EXPECT_EQ(image.channels, 1);
    EXPECT_EQ(image.encoded, png);
    ASSERT_EQ(run.texts.at("settings").size(), 1u);
    EXPECT_EQ(run.texts.at("settings")[0].text, "| model | dcgan28 |");
}

TEST_F(TensorBoardTest, EachEventIsWholeOnDiskWhileTheWriterIsOpen) {
    // What TensorBoard needs of a live run: no event waits in a buffer for a flush.
    TensorBoardWriter writer(path("live"));
    for (int step = 1; step <= 3; ++step) {
        writer.add_scalar("loss", step, static_cast<float>(step) / 2);
        const std::vector<TensorBoardRun> runs = read_tensorboard_log(path("live"));
        ASSERT_EQ(runs.size(), 1u);
        EXPECT_TRUE(runs[0].warnings.empty()) << runs[0].warnings[0];
        ASSERT_EQ(runs[0].scalars.at("loss").size(), static_cast<size_t>(step));
        EXPECT_EQ(runs[0].scalars.at("loss").back().value, step / 2.0);
    }
}

TEST_F(TensorBoardTest, FirstEventIsTheFileVersion) {
    std::string file;
    {
        TensorBoardWriter writer(dir_);
        file = writer.path();
    }
    const std::vector<std::string> records = read_tfrecord(file);
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(parse_event(records[0]).file_version, "brain.Event:2");
}

TEST_F(TensorBoardTest, TwoWritersInOneFolderKeepTheirOwnFiles) {
    TensorBoardWriter a(dir_), b(dir_);
    EXPECT_NE(a.path(), b.path());
}

TEST_F(TensorBoardTest, ReadsPyTorchSimpleValues) {
    write_bytes(path("events.out.tfevents.1700000000.host"),
                tb::file_bytes({tb::version_event(1.7e9),
                                tb::event(1.7e9 + 1, 10, {tb::simple_value("loss/D", 0.75f)}),
                                tb::event(1.7e9 + 2, 20,
                                          {tb::simple_value("loss/D", 0.5f),
                                           tb::simple_value("loss/G", 2.0f)})}));
    const auto runs = read_tensorboard_log(dir_);
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].name, fs::path(dir_).filename().string());
    EXPECT_EQ(steps_of(runs[0].scalars.at("loss/D")), (std::vector<int64_t>{10, 20}));
    EXPECT_EQ(runs[0].scalars.at("loss/D")[1].value, 0.5);
    EXPECT_EQ(runs[0].scalars.at("loss/D")[1].wall_time, 1.7e9 + 2);
    EXPECT_EQ(runs[0].scalars.at("loss/G")[0].value, 2.0);
}

TEST_F(TensorBoardTest, TheLogFolderOwnRunIsNamedAfterTheFolderAndComesFirst) {
    const std::string events =
        tb::file_bytes({tb::version_event(1), tb::event(2, 1, {tb::simple_value("loss", 1)})});
    for (const char* folder : {"zeta/alpha", "zeta/omega", "zeta/zeta"})
        fs::create_directories(path(folder));
    write_bytes(path("zeta/events.out.tfevents.1.root"), events);
    write_bytes(path("zeta/alpha/events.out.tfevents.1.a"), events);
    write_bytes(path("zeta/omega/events.out.tfevents.1.b"), events);
    using Names = std::vector<std::string>;
    const auto names_of = [](const std::vector<TensorBoardRun>& runs) {
        Names names;
        for (const TensorBoardRun& run : runs) names.push_back(run.name);
        return names;
    };
    EXPECT_EQ(names_of(read_tensorboard_log(path("zeta"))), (Names{"zeta", "alpha", "omega"}));
    EXPECT_EQ(names_of(read_tensorboard_log(path("zeta") + "/")),
              (Names{"zeta", "alpha", "omega"}));
    EXPECT_EQ(names_of(read_tensorboard_log(path("zeta/alpha/..") + "/")),
              (Names{"zeta", "alpha", "omega"}));
    {
        const fs::path before = fs::current_path();
        fs::current_path(path("zeta"));
        const Names names = names_of(read_tensorboard_log("."));
        fs::current_path(before);
        EXPECT_EQ(names, (Names{"zeta", "alpha", "omega"}));
    }
    // A folder below with the log folder's name keeps that name; the log folder is ".".
    write_bytes(path("zeta/zeta/events.out.tfevents.1.c"), events);
    EXPECT_EQ(names_of(read_tensorboard_log(path("zeta"))), (Names{".", "alpha", "omega", "zeta"}));
}

TEST_F(TensorBoardTest, ReadsTensorFlow2ScalarTensors) {
    // TF2 names the "scalars" plugin in a tag's first event only; later ones are bare.
    write_bytes(
        path("events.out.tfevents.1.tf"),
        tb::file_bytes({tb::version_event(1), tb::event(2, 0, {tb::tf2_scalar("loss", 3.5f, true)}),
                        tb::event(3, 1, {tb::tf2_scalar("loss", 2.5f, false)}),
                        tb::event(4, 2, {tb::float_val_scalar("acc", 0.25f)}),
                        tb::event(5, 3, {tb::double_val_scalar("lr", 1e-4)})}));
    const auto runs = read_tensorboard_log(dir_);
    ASSERT_EQ(runs.size(), 1u);
    const auto& s = runs[0].scalars;
    ASSERT_EQ(s.at("loss").size(), 2u);
    EXPECT_EQ(s.at("loss")[0].value, 3.5);
    EXPECT_EQ(s.at("loss")[1].value, 2.5);
    EXPECT_EQ(s.at("acc")[0].value, 0.25);
    EXPECT_EQ(s.at("acc")[0].step, 2);
    EXPECT_EQ(s.at("lr")[0].value, 1e-4);
}

TEST_F(TensorBoardTest, NonScalarTensorsAreNotScalars) {
    // A histogram-like tensor of 3 values under the "scalars"-less plugin is not a curve.
    const std::string shape = tb::bytes_field(2, tb::varint_field(1, 3));
    const std::string tensor = tb::varint_field(1, 1) + tb::bytes_field(2, shape) +
                               tb::bytes_field(4, tb::le(1.0f) + tb::le(2.0f) + tb::le(3.0f));
    const std::string value =
        tb::bytes_field(1, "h") + tb::plugin_metadata("histograms") + tb::bytes_field(8, tensor);
    write_bytes(path("events.out.tfevents.1.h"), tb::file_bytes({tb::event(1, 1, {value})}));
    const auto runs = read_tensorboard_log(dir_);
    EXPECT_TRUE(runs[0].scalars.empty());
    EXPECT_EQ(runs[0].events, 1);
}

TEST_F(TensorBoardTest, ReadsImagesAndTextByStep) {
    const std::string a = tiny_png(4, 4, 3), b = tiny_png(6, 2, 1);
    write_bytes(path("events.out.tfevents.1.pt"),
                tb::file_bytes({tb::event(1, 0, {tb::text("hparams", "lr = 2e-4")}),
                                tb::event(2, 100, {tb::image("samples", 4, 4, 3, a)}),
                                tb::event(3, 200, {tb::image("samples", 2, 6, 1, b)})}));
    const auto runs = read_tensorboard_log(dir_);
    const auto& images = runs[0].images.at("samples");
    ASSERT_EQ(images.size(), 2u);
    EXPECT_EQ(images[0].step, 100);
    EXPECT_EQ(images[0].encoded, a);
    EXPECT_EQ(images[1].width, 6);
    EXPECT_EQ(images[1].height, 2);
    EXPECT_EQ(images[1].channels, 1);
    EXPECT_EQ(runs[0].texts.at("hparams")[0].text, "lr = 2e-4");
}

TEST_F(TensorBoardTest, ReadsTensorFlow2ImageTensors) {
    // tf.summary.image: a DT_STRING tensor [width, height, png, ...], plugin "images".
    const std::string png = tiny_png(3, 2, 3);
    const std::string tensor = tb::varint_field(1, 7) + tb::bytes_field(2, "") +
                               tb::bytes_field(8, "3") + tb::bytes_field(8, "2") +
                               tb::bytes_field(8, png);
    const std::string value =
        tb::bytes_field(1, "gen") + tb::plugin_metadata("images") + tb::bytes_field(8, tensor);
    write_bytes(path("events.out.tfevents.1.tf"), tb::file_bytes({tb::event(1, 7, {value})}));
    const auto runs = read_tensorboard_log(dir_);
    const ImagePoint& image = runs[0].images.at("gen").at(0);
    EXPECT_EQ(image.step, 7);
    EXPECT_EQ(image.width, 3);
    EXPECT_EQ(image.height, 2);
    EXPECT_EQ(image.encoded, png);
}

TEST_F(TensorBoardTest, RunsSideBySide) {
    // A log folder as `tensorboard --logdir` sees it: each folder of event files a run.
    fs::create_directories(path("logs/pytorch"));
    write_bytes(path("logs/pytorch/events.out.tfevents.1.pt"),
                tb::file_bytes({tb::event(1, 5, {tb::simple_value("loss_D", 1.0f)})}));
    {
        TensorBoardWriter ganvas_run(path("logs/ganvas/dcgan28"));
        ganvas_run.add_scalar("loss_D", 5, 2.0f);
    }
    fs::create_directories(path("logs/empty"));
    write_bytes(path("logs/notes.txt"), "not a run");
    const auto runs = read_tensorboard_log(path("logs"));
    ASSERT_EQ(runs.size(), 2u);
    EXPECT_EQ(runs[0].name, "ganvas/dcgan28");
    EXPECT_EQ(runs[1].name, "pytorch");
    EXPECT_EQ(runs[0].scalars.at("loss_D")[0].value, 2.0);
    EXPECT_EQ(runs[1].scalars.at("loss_D")[0].value, 1.0);
}

TEST_F(TensorBoardTest, ResumedStepsReplaceTheTail) {
    // A run that stopped after step 3, resumed from a checkpoint at step 2, and went on.
    write_bytes(path("events.out.tfevents.1.a"),
                tb::file_bytes({tb::event(1, 1, {tb::simple_value("x", 1)}),
                                tb::event(1, 2, {tb::simple_value("x", 2)}),
                                tb::event(1, 3, {tb::simple_value("x", 3)})}));
    write_bytes(path("events.out.tfevents.2.a"),
                tb::file_bytes({tb::event(2, 3, {tb::simple_value("x", 30)}),
                                tb::event(2, 4, {tb::simple_value("x", 40)})}));
    const std::vector<TensorBoardRun> runs = read_tensorboard_log(dir_);
    const std::vector<ScalarPoint>& x = runs[0].scalars.at("x");
    EXPECT_EQ(steps_of(x), (std::vector<int64_t>{1, 2, 3, 4}));
    EXPECT_EQ(x[2].value, 30);
}

TEST_F(TensorBoardTest, FolderWithoutEventsIsAnError) {
    ganvas::testing::expect_error([&] { read_tensorboard_log(dir_); }, dir_,
                                  "holds no TensorBoard event file");
    ganvas::testing::expect_error([&] { read_tensorboard_log(path("missing")); }, path("missing"),
                                  "no such folder");
}

// DT_HALF and DT_BFLOAT16 scalars keep their bits in half_val (field 13), one varint each.
std::string half_val_scalar(const std::string& tag, int dtype, uint64_t bits) {
    const std::string tensor =
        tb::varint_field(1, dtype) + tb::bytes_field(2, "") + tb::varint_field(13, bits);
    return tb::bytes_field(1, tag) + tb::plugin_metadata("scalars") + tb::bytes_field(8, tensor);
}

TEST_F(TensorBoardTest, ReadsHalfAndBfloat16Scalars) {
    write_bytes(
        path("events.out.tfevents.1.half"),
        tb::file_bytes({tb::event(1, 0, {half_val_scalar("h", 19, 0x3C00)}),      // 1.0
                        tb::event(2, 1, {half_val_scalar("b", 14, 0x3FC0)}),      // 1.5
                        tb::event(3, 2, {half_val_scalar("h", 19, 0x1C000)})}));  // low 16: -2
    const auto runs = read_tensorboard_log(dir_);
    ASSERT_EQ(runs.size(), 1u);
    const auto& s = runs[0].scalars;
    ASSERT_EQ(s.at("h").size(), 2u);
    EXPECT_EQ(s.at("h")[0].value, 1.0);
    EXPECT_EQ(s.at("h")[1].value, -2.0);
    EXPECT_EQ(s.at("b")[0].value, 1.5);
}

TEST_F(TensorBoardTest, AHalfTensorWithAFloatValIsNoBitPattern) {
    // Found by fuzz_tensorboard: a float_val under DT_HALF was converted to an integer
    // bit pattern, undefined behaviour for -1.9e38 (and 15360.5 read as 0x3C00, 1.0).
    // Such values read as NaN now.
    auto half_float_val = [](float v) {
        const std::string tensor =
            tb::varint_field(1, 19) + tb::bytes_field(2, "") + tb::bytes_field(5, tb::le(v));
        return tb::bytes_field(1, "h") + tb::plugin_metadata("scalars") +
               tb::bytes_field(8, tensor);
    };
    write_bytes(path("events.out.tfevents.1.bad"),
                tb::file_bytes({tb::event(1, 4, {half_float_val(-1.9e38f)}),
                                tb::event(2, 5, {half_float_val(15360.5f)})}));
    const auto runs = read_tensorboard_log(dir_);
    ASSERT_EQ(runs.size(), 1u);
    ASSERT_EQ(runs[0].scalars.count("h"), 1u);
    const auto& h = runs[0].scalars.at("h");
    ASSERT_EQ(h.size(), 2u);
    EXPECT_TRUE(std::isnan(h[0].value));
    EXPECT_TRUE(std::isnan(h[1].value)) << h[1].value;
}
