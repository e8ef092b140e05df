// Training on the data TensorFlow and torchvision users have: TFRecord files of
// tf.Example records and folders of image files; and sampling into a TFRecord file.
#include <gtest/gtest.h>

#include <filesystem>

#include "data/dataset.h"
#include "data/tf_example.h"
#include "data/tfrecord.h"
#include "io/image_png.h"
#include "io/npy.h"
#include "support/cli_runner.h"
#include "support/fifo.h"
#include "support/golden.h"

using namespace ganvas;
using ganvas::testing::expect_clear_error;
using ganvas::testing::read_bytes;
using ganvas::testing::run_command;
using ganvas::testing::run_ganvas;
using ganvas::testing::temp_dir;
using ganvas::testing::write_bytes;
namespace fs = std::filesystem;

namespace {

// n gray images of side x side raw bytes, labelled i % 3.
void write_image_records(const std::string& path, int n, int side) {
    std::vector<std::string> records;
    for (int i = 0; i < n; ++i) {
        Example ex;
        ex["image"] = Feature::of_bytes(
            {std::string(static_cast<size_t>(side * side), static_cast<char>(i))});
        ex["label"] = Feature::of_ints({i % 3});
        records.push_back(serialize_example(ex));
    }
    write_tfrecord(path, records);
}

// Two dcgan28 steps on `data` succeed and leave a checkpoint in DIR/run.
void expect_trains(const std::string& data, const std::string& dir) {
    auto r = run_ganvas("train --model dcgan28 --data " + data +
                        " --steps 2 --batch 4 --quiet --out " + dir + "/run");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_TRUE(fs::exists(dir + "/run/checkpoint.safetensors")) << r.output;
}

}  // namespace

TEST(CliData, TrainsOnATfrecordFile) {
    const std::string dir = temp_dir("cli_tfrecord");
    write_image_records(dir + "/train.tfrecord", 16, 28);
    expect_trains("tfrecord:" + dir + "/train.tfrecord", dir);
}

TEST(CliData, TrainsOnAnImageFolder) {
    const std::string dir = temp_dir("cli_folder");
    const std::vector<uint8_t> pixels(28 * 28, 90);
    for (const char* c : {"a", "b"}) {
        fs::create_directories(dir + "/pics/" + c);
        for (int i = 0; i < 3; ++i)
            save_png(dir + "/pics/" + c + "/" + std::to_string(i) + ".png", 28, 28, 1,
                     pixels.data());
    }
    expect_trains("folder:" + dir + "/pics", dir);
}

TEST(CliData, ImagesOfAnotherSizeAreRefusedUpFront) {
    const std::string dir = temp_dir("cli_size");
    write_image_records(dir + "/big.tfrecord", 8, 32);
    expect_clear_error(run_ganvas("train --model dcgan28 --data tfrecord:" + dir +
                                  "/big.tfrecord --steps 1 --batch 4 --out " + dir + "/run"),
                       "data tfrecord:" + dir +
                           "/big.tfrecord holds examples (1, 1, 32, 32) "
                           "that dcgan28 cannot read");
    EXPECT_FALSE(fs::exists(dir + "/run"));
}

TEST(CliData, CorruptTfrecordIsNamed) {
    const std::string dir = temp_dir("cli_corrupt");
    write_image_records(dir + "/d.tfrecord", 4, 28);
    std::string bytes = read_bytes(dir + "/d.tfrecord");
    bytes[bytes.size() - 100] ^= 1;
    write_bytes(dir + "/d.tfrecord", bytes);
    expect_clear_error(
        run_ganvas("train --data tfrecord:" + dir + "/d.tfrecord --steps 1 --out " + dir + "/run"),
        dir + "/d.tfrecord: record 3");
    expect_clear_error(
        run_ganvas("train --data folder:" + dir + "/nowhere --steps 1 --out " + dir + "/run"),
        dir + "/nowhere: no such folder");
}

// A FIFO given as data is refused at once; opening it would wait for a writer.
TEST(CliData, AFifoIsRefusedNotWaitedOn) {
    const std::string dir = temp_dir("cli_fifo");
    ganvas::testing::make_fifo(dir + "/pipe");
    for (const std::string kind : {"tfrecord:", "idx:", "codes:"})
        expect_clear_error(
            run_command("timeout 60 " + std::string(GANVAS_BINARY) + " train --data " + kind + dir +
                        "/pipe --steps 1 --out " + dir + "/run"),
            dir +
                "/pipe: cannot open: it is a pipe (FIFO), not a file: save what it carries to a "
                "file first");
}

TEST(CliData, KeysFromTheFileAreQuotedOnOneSafeLine) {
    const std::string dir = temp_dir("cli_escape");
    Example ex;
    ex["\n\x1b[31m"].kind = Feature::Kind::ints;
    ex["\n\x1b[31m"].ints = {1};
    write_tfrecord(dir + "/e.tfrecord", {serialize_example(ex)});
    const auto r =
        run_ganvas("train --data tfrecord:" + dir + "/e.tfrecord --steps 1 --out " + dir + "/run");
    expect_clear_error(r, "\\n\\x1b[31m");
    EXPECT_EQ(r.output.find('\x1b'), std::string::npos) << r.output;
}

TEST(CliData, SamplesIntoATfrecordFileThatTrainingReads) {
    const std::string dir = temp_dir("cli_sample_tfrecord");
    const std::string ckpt = ganvas::testing::golden_file("dcgan28/checkpoint.safetensors");
    auto r = run_ganvas("sample --checkpoint " + ckpt + " --n 6 --seed 1 --out " + dir + "/s.npy");
    ASSERT_EQ(r.status, 0) << r.output;
    r = run_ganvas("sample --checkpoint " + ckpt + " --n 6 --seed 1 --out " + dir + "/s.tfrecord");
    ASSERT_EQ(r.status, 0) << r.output;

    // The records hold the samples as PNGs: equal to the .npy to within PNG's 8 bits.
    const ImageDataset back = load_dataset("tfrecord:" + dir + "/s.tfrecord");
    const Tensor npy = load_npy(dir + "/s.npy");
    ASSERT_EQ(back.images.shape(), npy.shape());
    for (int64_t i = 0; i < npy.numel(); ++i)
        ASSERT_NEAR(back.images.data()[i], npy.data()[i], 1.0 / 127.5 + 1e-6) << i;
    EXPECT_FALSE(back.labels.defined());

    expect_clear_error(run_ganvas("sample --checkpoint " + ckpt + " --n 1 --out " + dir + "/s.jpg"),
                       "--out must end in .png, .npy or .tfrecord, got " + dir + "/s.jpg");
}
