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
namespace {

// "(image, channel, row, column)" of flat index i in a 4-D tensor.
std::string index_str(const Tensor& t, int64_t i) {
    Shape index(t.shape().size());
    for (int64_t d = static_cast<int64_t>(index.size()) - 1; d >= 0; --d) {
        index[d] = i % t.size(d);
        i /= t.size(d);
    }
    return shape_str(index);
}

std::string range_str(ValueRange r) {
    return "[" + number_str(r.lo) + ", " + number_str(r.hi) + "]";
}

}  // namespace

void check_scorable_images(const Tensor& images, const std::string& what, int64_t min_images,
                           ValueRange expected) {
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
    const double slack = 0.25 * (expected.hi - expected.lo);
    const ValueRange allowed{expected.lo - slack, expected.hi + slack};
    const float* p = images.data();
    for (int64_t i = 0; i < images.numel(); ++i) {
        if (p[i] >= allowed.lo && p[i] <= allowed.hi) continue;
        throw std::invalid_argument(what + " holds values in " + range_str(value_range(images)) +
                                    ", far outside " + range_str(expected) + " (" +
                                    number_str(p[i]) + " at index " + index_str(images, i) +
                                    "); images to score must be in " + range_str(expected));
    }
}

ValueRange value_range(const Tensor& images) {
    const float* p = images.data();
    if (images.numel() == 0) return {0, 0};
    const auto [lo, hi] = std::minmax_element(p, p + images.numel());
    return {*lo, *hi};
}

Tensor rescale_to_model_range(const Tensor& images, ValueRange from) {
    const double scale = (kModelRange.hi - kModelRange.lo) / (from.hi - from.lo);
    Tensor out = images.clone();
    float* p = out.data();
    for (int64_t i = 0; i < out.numel(); ++i)
        p[i] = static_cast<float>((p[i] - from.lo) * scale + kModelRange.lo);
    return out;
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
