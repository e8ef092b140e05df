// Sample quality of generated Fashion-MNIST images, measured in the feature
// space of classifier28: FFD (the Fréchet distance between Gaussians fitted
// to real and generated features, FID's recipe with our classifier), an
// inception-style score, the class histogram, and k-NN precision/recall.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analysis/frechet_distance.h"
#include "models/classifier28.h"

namespace ganvas {

struct QualityReport {
    int64_t n = 0;                     // generated images scored
    double ffd = 0;                    // Fréchet Fashion-MNIST Distance to the real set
    double precision = 0, recall = 0;  // Kynkäänniemi et al. 2019, k nearest neighbours
    double score = 0;                  // exp(E KL(p(y|x) || p(y))), from 1 to 10
    std::vector<int64_t> histogram;    // images per predicted class
};

class SampleQuality {
public:
    // Features and Gaussian of `real` (N, 1, 28, 28) are computed once here.
    SampleQuality(std::shared_ptr<Classifier28> classifier, const Tensor& real);

    QualityReport evaluate(const Tensor& fake, int k = 3);  // fake (M, 1, 28, 28) in [-1, 1]
    double ffd(const Tensor& fake);           // FFD alone: cheaper, for training curves
    double ffd_to(const Tensor& other_real);  // e.g. train vs test: the floor

private:
    std::shared_ptr<Classifier28> classifier_;
    Tensor real_features_;  // (N, 128)
    Gaussian real_gaussian_;
};

// A range of pixel values, [lo, hi].
struct ValueRange {
    double lo = -1, hi = 1;
};
// Images are scored in the generator's range, tanh's [-1, 1] (Fashion-MNIST's dark
// background at -1), the range the classifier was trained on.
constexpr ValueRange kModelRange{-1, 1};

// Throws std::invalid_argument, naming `what`, unless `images` is float32
// (N, 1, 28, 28) with N >= min_images, every value finite and none far outside
// `expected` (by more than a quarter of its width: beyond ±1.5 for [-1, 1]). The
// message says where the first NaN or inf sits, or the values found and the first
// far outside: pixels of 0..255 or garbage like 1e30 would score without meaning.
void check_scorable_images(const Tensor& images, const std::string& what, int64_t min_images,
                           ValueRange expected = kModelRange);
// The smallest and the largest value of `images` (finite values assumed).
ValueRange value_range(const Tensor& images);
// `images` mapped linearly from `from` onto kModelRange: x * 2 - 1 for [0, 1].
Tensor rescale_to_model_range(const Tensor& images, ValueRange from);
// Images evaluate() needs: two for a covariance, k + 1 for a k-th nearest neighbour.
int64_t min_images_to_score(int k);

// assets/classifier28.safetensors of the source tree, or $GANVAS_CLASSIFIER.
std::string default_classifier_path();
// Loads classifier28 weights; a missing file says how to re-create it.
std::shared_ptr<Classifier28> load_classifier(const std::string& path);

}  // namespace ganvas
