// The shipped classifier28 and `ganvas eval`: the classifier reaches 90% on
// the Fashion-MNIST test set, real images score near the floor, noise far
// from it, and bad sample files give a clear error.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "analysis/sample_quality.h"
#include "data/dataset.h"
#include "io/npy.h"
#include "ops/shape_ops.h"
#include "support/cli_runner.h"

using namespace ganvas;
using ganvas::testing::run_ganvas;
using ganvas::testing::temp_dir;

namespace {

bool have_fashion_mnist() {
    return std::filesystem::exists(std::string(kFashionMnistDir) + "/t10k-images-idx3-ubyte.gz");
}

}  // namespace

TEST(SampleQuality, ShippedClassifierReaches90PercentOnTheTestSet) {
    if (!have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
    auto classifier = load_classifier(default_classifier_path());
    ImageDataset test = load_fashion_mnist("test");
    EXPECT_GE(classifier->accuracy(test.images, test.labels), 0.90);
}

TEST(SampleQuality, RealImagesScoreNearTheFloorAndNoiseFarFromIt) {
    if (!have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
    auto classifier = load_classifier(default_classifier_path());
    ImageDataset test = load_fashion_mnist("test");
    ImageDataset train = load_fashion_mnist("train");
    SampleQuality quality(classifier, narrow(test.images, 0, 0, 2000));
    QualityReport real = quality.evaluate(narrow(train.images, 0, 0, 2000));
    Rng rng(0);
    Tensor noise = rng.rand({2000, 1, 28, 28});
    for (int64_t i = 0; i < noise.numel(); ++i) noise.data()[i] = noise.data()[i] * 2 - 1;
    QualityReport fake = quality.evaluate(noise);
    EXPECT_LT(real.ffd, 0.05 * fake.ffd);
    EXPECT_GT(real.precision, 0.6);
    EXPECT_GT(real.recall, 0.6);
    // Noise lands in one tight cluster of feature space: it covers almost none
    // of the real data. (Its precision need not be low: a tight cluster can sit
    // inside the wide ball of a real outlier, which is why recall and FFD
    // stand beside precision.)
    EXPECT_LT(fake.recall, 0.05);
    EXPECT_GT(real.score, 7.0);  // ten balanced, confidently classified classes
    EXPECT_EQ(real.histogram.size(), 10u);
}

TEST(SampleQuality, EvalCommand) {
    if (!have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
    std::string dir = temp_dir("eval");
    save_npy(dir + "/real.npy", narrow(load_fashion_mnist("train").images, 0, 0, 1000));
    auto r =
        run_ganvas("eval --samples " + dir + "/real.npy --json --neighbours " + dir + "/nn.png");
    ASSERT_EQ(r.status, 0) << r.output;
    for (const char* key :
         {"\"ffd\"", "\"precision\"", "\"recall\"", "\"score\"", "\"n\": 1000", "\"ffd_floor\""})
        EXPECT_NE(r.output.find(key), std::string::npos) << key << " missing from " << r.output;
    EXPECT_TRUE(std::filesystem::exists(dir + "/nn.png"));

    save_npy(dir + "/wrong.npy", Tensor::zeros({10, 3, 28, 28}));
    r = run_ganvas("eval --samples " + dir + "/wrong.npy");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find(dir + "/wrong.npy"), std::string::npos) << r.output;
    Tensor nan = narrow(load_fashion_mnist("test").images, 0, 0, 20).clone();
    nan.data()[5 * 784 + 3 * 28 + 7] = std::nanf("");
    save_npy(dir + "/nan.npy", nan);
    r = run_ganvas("eval --samples " + dir + "/nan.npy");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("nan.npy holds NaN at index (5, 0, 3, 7)"), std::string::npos)
        << r.output;
    r = run_ganvas("eval --samples " + dir + "/nan.npy --n 3");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("--n 3 is too few for --k 3"), std::string::npos) << r.output;
    save_npy(dir + "/three.npy", narrow(load_fashion_mnist("test").images, 0, 0, 3));
    r = run_ganvas("eval --samples " + dir + "/three.npy");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("at least 4 images, and " + dir + "/three.npy holds 3"),
              std::string::npos)
        << r.output;
    r = run_ganvas("eval --samples " + dir + "/real.npy --classifier " + dir + "/none.safetensors");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("re-create"), std::string::npos) << r.output;
}
