#include "analysis/sample_quality.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "analysis/class_score.h"
#include "analysis/precision_recall.h"
#include "io/safetensors.h"

namespace ganvas {
void check_scorable_images(const Tensor& images, const std::string& what, int64_t min_images) {
    if (images.dtype() != DType::f32 || images.dim() != 4 || images.size(1) != 1 ||
        images.size(2) != 28 || images.size(3) != 28)
        throw std::invalid_argument(what + " must be float32 (N, 1, 28, 28), got " +
                                    shape_str(images.shape()) + " " + dtype_name(images.dtype()));
    if (images.size(0) < min_images)
        throw std::invalid_argument("scoring needs at least " + std::to_string(min_images) +
                                    " images, and " + what + " holds " +
                                    std::to_string(images.size(0)));
    const std::string bad = first_non_finite(images);  // index (image, channel, row, column)
    if (!bad.empty())
        throw std::invalid_argument(what + " holds " + bad + "; images must be finite");
}

int64_t min_images_to_score(int k) {
    return std::max<int64_t>(2, int64_t(k) + 1);
}

SampleQuality::SampleQuality(std::shared_ptr<Classifier28> classifier, const Tensor& real)
    : classifier_(std::move(classifier)) {
    check_scorable_images(real, "real images", 2);
    real_features_ = classifier_->evaluate(real).features;
    real_gaussian_ = fit_gaussian(real_features_);
}

QualityReport SampleQuality::evaluate(const Tensor& fake, int k) {
    check_scorable_images(fake, "generated images", min_images_to_score(k));
    Classifier28::Outputs out = classifier_->evaluate(fake);
    QualityReport r;
    r.n = fake.size(0);
    r.ffd = frechet_distance(real_gaussian_, fit_gaussian(out.features));
    PrecisionRecall pr = knn_precision_recall(real_features_, out.features, k);
    r.precision = pr.precision;
    r.recall = pr.recall;
    r.score = inception_score(out.probabilities);
    r.histogram = class_histogram(out.probabilities);
    return r;
}

double SampleQuality::ffd(const Tensor& fake) {
    check_scorable_images(fake, "generated images", 2);
    return frechet_distance(real_gaussian_, fit_gaussian(classifier_->evaluate(fake).features));
}

double SampleQuality::ffd_to(const Tensor& other_real) {
    return ffd(other_real);
}

std::string default_classifier_path() {
    if (const char* env = std::getenv("GANVAS_CLASSIFIER")) return env;
    return std::string(GANVAS_ASSETS_DIR) + "/classifier28.safetensors";
}

std::shared_ptr<Classifier28> load_classifier(const std::string& path) {
    if (!std::filesystem::exists(path))
        throw std::runtime_error(
            path +
            ": classifier weights not found; re-create them with `ganvas train --model "
            "classifier28 --steps 3000 --weights-out " +
            path + "`");
    Rng rng(0);
    auto classifier = std::make_shared<Classifier28>(rng);
    classifier->load_state_dict(load_safetensors_map(path), path);
    return classifier;
}

}  // namespace ganvas
