// class_agreement: real test images asked for their own class agree about as often as
// classifier28 is right, and sit near their class's real images; asked for another
// class they disagree. Bad labels are refused.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "analysis/class_agreement.h"
#include "analysis/sample_quality.h"
#include "data/dataset.h"
#include "ops/shape_ops.h"

using namespace ganvas;

namespace {

bool have_fashion_mnist() {
    return std::filesystem::exists(std::string(kFashionMnistDir) + "/t10k-images-idx3-ubyte.gz");
}

Tensor shifted(const Tensor& labels, int64_t by) {
    Tensor out = labels.clone();
    for (int64_t i = 0; i < out.numel(); ++i) out.data_i64()[i] = (out.data_i64()[i] + by) % 10;
    return out;
}

}  // namespace

TEST(ClassAgreement, RealImagesAgreeWithTheirOwnClassAndNotWithAnother) {
    if (!have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
    auto classifier = load_classifier(default_classifier_path());
    ImageDataset test = load_fashion_mnist("test");
    ImageDataset train = load_fashion_mnist("train");
    Tensor fake = narrow(train.images, 0, 0, 1000), fake_labels = narrow(train.labels, 0, 0, 1000);
    Tensor real = narrow(test.images, 0, 0, 2000), real_labels = narrow(test.labels, 0, 0, 2000);

    ClassAgreement own = class_agreement(*classifier, fake, fake_labels, real, real_labels);
    EXPECT_GT(own.overall, 0.85);
    ClassAgreement other =
        class_agreement(*classifier, fake, shifted(fake_labels, 1), real, real_labels);
    EXPECT_LT(other.overall, 0.15);
    int64_t total = 0;
    for (int64_t c = 0; c < 10; ++c) {
        total += own.count[c];
        ASSERT_TRUE(std::isfinite(own.ffd[c])) << c;
        EXPECT_LT(own.ffd[c], other.ffd[c]) << "class " << c;  // own class is nearer
    }
    EXPECT_EQ(total, 1000);
}

TEST(ClassAgreement, AClassNobodyAskedForHasNoScoreAndBadLabelsAreRefused) {
    Rng rng(0);
    Classifier28 classifier(rng);
    Tensor images = rng.rand({3, 1, 28, 28});
    Tensor ones = Tensor::from_vector_i64({3}, {1, 1, 1});
    ClassAgreement a = class_agreement(classifier, images, ones, images, ones);
    EXPECT_EQ(a.count[1], 3);
    EXPECT_TRUE(std::isnan(a.agreement[0]));
    EXPECT_TRUE(std::isnan(a.ffd[0]));
    EXPECT_TRUE(std::isfinite(a.ffd[1]));
    EXPECT_THROW(
        class_agreement(classifier, images, Tensor::from_vector_i64({3}, {0, 10, 1}), images, ones),
        std::invalid_argument);
    EXPECT_THROW(
        class_agreement(classifier, images, Tensor::from_vector_i64({2}, {0, 1}), images, ones),
        std::invalid_argument);
}
