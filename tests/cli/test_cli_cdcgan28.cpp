// cdcgan28 on the command line: it trains on labelled IDX files with as many classes
// as the labels hold, resumes bit for bit, samples one class or every class, refuses
// data without labels in one line, and --class is refused for a generator without classes.
#include <gtest/gtest.h>

#include <filesystem>

#include "data/dataset.h"
#include "io/npy.h"
#include "io/safetensors.h"
#include "ops/ops.h"
#include "support/cli_runner.h"
#include "support/golden.h"
#include "tensor/rng.h"

using namespace ganvas;
using ganvas::testing::expect_clear_error;
using ganvas::testing::read_bytes;
using ganvas::testing::run_ganvas;
using ganvas::testing::temp_dir;
using ganvas::testing::write_bytes;
namespace fs = std::filesystem;

namespace {

// n random 28x28 images in an IDX file.
std::string write_images(const std::string& dir, int n) {
    std::string b = {0, 0, 8, 3, 0, 0, 0, static_cast<char>(n), 0, 0, 0, 28, 0, 0, 0, 28};
    Rng rng(5);
    for (int i = 0; i < n * 784; ++i) b += static_cast<char>(rng.randint(256));
    write_bytes(dir + "/imgs.idx", b);
    return dir + "/imgs.idx";
}

// Labels 0, 1, 2, 0, 1, 2, ... in an IDX file: three classes.
std::string write_labels(const std::string& dir, int n) {
    std::string b = {0, 0, 8, 1, 0, 0, 0, static_cast<char>(n)};
    for (int i = 0; i < n; ++i) b += static_cast<char>(i % 3);
    write_bytes(dir + "/labels.idx", b);
    return dir + "/labels.idx";
}

}  // namespace

TEST(CliCdcgan28, TrainsOnLabelledDataResumesAndSamplesPerClass) {
    const std::string dir = temp_dir("cdcgan_train");
    const std::string data = "idx:" + write_images(dir, 24) + "," + write_labels(dir, 24);
    const std::string common =
        " --model cdcgan28 --data " + data + " --batch 8 --threads 1 --seed 3 --sample-every 2 ";
    auto a = run_ganvas("train" + common + "--steps 2 --out " + dir + "/straight");
    ASSERT_EQ(a.status, 0) << a.output;
    EXPECT_TRUE(fs::exists(dir + "/straight/samples_2.png"));
    const std::string checkpoint = dir + "/straight/checkpoint.safetensors";
    // Three classes in the labels, so three rows in both class tables.
    auto state = load_safetensors_map(checkpoint);
    EXPECT_EQ(state.at("G.embed.weight").shape(), (Shape{3, 16}));
    EXPECT_EQ(state.at("D.embed.weight").shape(), (Shape{3, 6272}));

    ASSERT_EQ(run_ganvas("train" + common + "--steps 1 --out " + dir + "/split").status, 0);
    auto c = run_ganvas("train" + common + "--steps 2 --resume --out " + dir + "/split");
    ASSERT_EQ(c.status, 0) << c.output;
    EXPECT_EQ(read_bytes(checkpoint), read_bytes(dir + "/split/checkpoint.safetensors"));

    // --classes: the same noise in each class in turn; --class K: all of class K.
    auto all = run_ganvas("sample --checkpoint " + checkpoint + " --n 4 --seed 1 --classes --out " +
                          dir + "/all.npy");
    ASSERT_EQ(all.status, 0) << all.output;
    auto two = run_ganvas("sample --checkpoint " + checkpoint + " --n 4 --seed 1 --class 2 --out " +
                          dir + "/two.npy");
    ASSERT_EQ(two.status, 0) << two.output;
    Tensor every = load_npy(dir + "/all.npy"), class2 = load_npy(dir + "/two.npy");
    ASSERT_EQ(every.shape(), (Shape{12, 1, 28, 28}));
    ASSERT_EQ(class2.shape(), (Shape{4, 1, 28, 28}));
    ganvas::testing::expect_close(narrow(every, 0, 8, 4), class2, 1e-6, 0, "class 2 rows");
    EXPECT_GT(mean(abs(sub(narrow(every, 0, 0, 4), class2))).item(), 1e-4f);
    auto png = run_ganvas("sample --checkpoint " + checkpoint + " --n 5 --classes --out " + dir +
                          "/rows.png");
    ASSERT_EQ(png.status, 0) << png.output;
    EXPECT_TRUE(fs::exists(dir + "/rows.png"));

    expect_clear_error(run_ganvas("sample --checkpoint " + checkpoint + " --n 4 --class 3 --out " +
                                  dir + "/x.npy"),
                       "--class must be between 0 and 2");
}

TEST(CliCdcgan28, DataWithoutLabelsAndClassesForAnUnconditionalModelAreRefused) {
    const std::string dir = temp_dir("cdcgan_refuse");
    const std::string images = write_images(dir, 8);
    expect_clear_error(run_ganvas("train --model cdcgan28 --data idx:" + images +
                                  " --batch 4 --steps 1 --out " + dir + "/run"),
                       "has no labels");
    EXPECT_FALSE(fs::exists(dir + "/run/checkpoint.safetensors"));
    const std::string dcgan = ganvas::testing::golden_path("dcgan28/checkpoint.safetensors");
    expect_clear_error(
        run_ganvas("sample --checkpoint " + dcgan + " --n 2 --class 1 --out " + dir + "/x.npy"),
        "dcgan28 has no classes");
}

// eval scores the classes a conditional generator is asked for: --json gains "classes"
// with the overall agreement and one entry per Fashion-MNIST class; a model trained on
// other data is scored with a note saying so.
TEST(CliCdcgan28, EvalReportsAgreementWithTheRequestedClass) {
    if (!fs::exists(std::string(kFashionMnistDir) + "/t10k-images-idx3-ubyte.gz"))
        GTEST_SKIP() << "dataset-fashion-mnist is not installed";
    const std::string dir = temp_dir("cdcgan_eval");
    auto t = run_ganvas(
        "train --model cdcgan28 --data fashion-mnist:test --batch 8 --steps 1 "
        "--threads 1 --out " +
        dir + "/run");
    ASSERT_EQ(t.status, 0) << t.output;
    auto r = run_ganvas("eval --checkpoint " + dir + "/run/checkpoint.safetensors --n 20 --json");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("\"classes\": {\"agreement\": "), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("{\"class\": 9, \"name\": \"Ankle boot\", \"n\": 2, "),
              std::string::npos)
        << r.output;
    EXPECT_EQ(r.output.find("note:"), std::string::npos) << r.output;

    // Ten classes from IDX files: scored, with a note that they are taken as Fashion-MNIST's.
    std::string labels = {0, 0, 8, 1, 0, 0, 0, 20};
    for (int i = 0; i < 20; ++i) labels += static_cast<char>(i % 10);
    write_bytes(dir + "/labels.idx", labels);
    const std::string data = "idx:" + write_images(dir, 20) + "," + dir + "/labels.idx";
    ASSERT_EQ(run_ganvas("train --model cdcgan28 --data " + data +
                         " --batch 4 --steps 1 --threads 1 --out " + dir + "/idx")
                  .status,
              0);
    auto n = run_ganvas("eval --checkpoint " + dir + "/idx/checkpoint.safetensors --n 20");
    ASSERT_EQ(n.status, 0) << n.output;
    EXPECT_NE(n.output.find("note: the generator was trained on idx:"), std::string::npos)
        << n.output;
    EXPECT_NE(n.output.find("agreement"), std::string::npos) << n.output;
}

TEST(CliCdcgan28, BenchTimesItWithLabelledBatches) {
    auto r = run_ganvas("bench --model cdcgan28 --steps 1 --warmup 0 --threads 1 --json");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("\"cdcgan28\": "), std::string::npos) << r.output;
}

// The PyTorch reference writes no metadata: G.embed.weight says cdcgan28, its rows the classes.
TEST(CliCdcgan28, SampleFromTheReferenceCheckpointMatchesPyTorch) {
    const std::string dir = temp_dir("cdcgan_reference");
    const std::string golden = ganvas::testing::golden_path("cdcgan28/");
    auto r = run_ganvas("sample --checkpoint " + golden + "checkpoint.safetensors --z " + golden +
                        "z.npy --class 9 --out " + dir + "/nines.npy");
    ASSERT_EQ(r.status, 0) << r.output;
    // reference out.npy draws z rows 4 and 5 as class 9.
    Tensor want = narrow(ganvas::testing::golden("cdcgan28/out.npy"), 0, 4, 2);
    ganvas::testing::expect_close(narrow(load_npy(dir + "/nines.npy"), 0, 4, 2), want, 1e-4, 0,
                                  "class 9");
}
