// ganvas eval: how good are generated images? FFD, precision/recall, an
// inception-style score and the class histogram against the Fashion-MNIST
// test set, with the train-vs-test FFD as the floor a perfect model reaches; for a
// conditional generator, also how often classifier28 sees the class asked for.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>

#include "analysis/class_agreement.h"
#include "analysis/precision_recall.h"
#include "analysis/sample_quality.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "data/dataset.h"
#include "io/image_png.h"
#include "io/npy.h"
#include "io/safetensors.h"
#include "ops/shape_ops.h"
#include "train/session.h"

namespace ganvas::cli {
namespace {

Tensor first_rows(const Tensor& t, int64_t n) {
    return narrow(t, 0, 0, std::min(n, t.size(0)));
}

// Each of the first `rows` samples beside its `k` nearest training images
// (pixel distance): a generator that memorised its data shows twins here.
void write_neighbours(const std::string& path, const Tensor& samples, const Tensor& train,
                      int64_t rows, int64_t k) {
    Tensor queries = flatten(first_rows(samples, rows), 1);  // (rows, 784)
    std::vector<Tensor> tiles;
    std::vector<std::vector<int64_t>> nearest(queries.size(0));
    // k rounds of 1-NN, masking each found image by pushing it far away.
    Tensor masked = flatten(train, 1).clone();  // (N, 784)
    for (int64_t round = 0; round < k; ++round) {
        std::vector<int64_t> idx = nearest_neighbours(queries, masked);
        for (int64_t q = 0; q < queries.size(0); ++q) {
            nearest[q].push_back(idx[q]);
            std::fill(masked.data() + idx[q] * 784, masked.data() + (idx[q] + 1) * 784, 1e6f);
        }
    }
    for (int64_t q = 0; q < queries.size(0); ++q) {
        tiles.push_back(narrow(samples, 0, q, 1));
        for (int64_t i : nearest[q]) tiles.push_back(narrow(train, 0, i, 1));
    }
    save_image_grid(path, cat(tiles, 0), static_cast<int>(k + 1));
}

// --range LO,HI: the value range the --samples file holds (default -1,1, the model's).
ValueRange read_range(const Args& args) {
    if (!args.has("range")) return kModelRange;
    const std::string text = args.str("range");
    ValueRange r;
    char tail = 0;
    if (std::sscanf(text.c_str(), "%lf,%lf%c", &r.lo, &r.hi, &tail) != 2 || !std::isfinite(r.lo) ||
        !std::isfinite(r.hi) || !(r.hi > r.lo))
        throw UsageError("--range expects LO,HI with LO < HI (0,1 or 0,255), got '" + text + "'");
    return r;
}

// Samples in the model's [-1, 1], checked before the slow part. Values far outside
// the range are refused with the range found. Without --range, a file whose values all
// lie in [0, 1] is refused too: [-1, 1] images of clothes have their background at -1,
// while [0, 1] images, scored as they are, get an FFD of hundreds instead of a few
// units. Refused, not warned: a warning scrolls past while --json hands the wrong
// number on, and --range 0,1 fixes it in one flag (--range -1,1 takes them as they are).
Tensor samples_in_model_range(Tensor samples, const std::string& source, const Args& args,
                              int64_t min_images) {
    const ValueRange declared = read_range(args);
    try {
        check_scorable_images(samples, source, min_images, declared);
    } catch (const std::invalid_argument& e) {
        const bool range_problem = std::string(e.what()).find("far outside") != std::string::npos;
        if (!range_problem || args.has("range")) throw;
        throw std::invalid_argument(std::string(e.what()) +
                                    "; --range LO,HI rescales images of another range (0,255)");
    }
    const ValueRange found = value_range(samples);
    if (!args.has("range") && found.lo >= 0 && found.hi <= 1) {
        char line[512];
        std::snprintf(line, sizeof line,
                      "%s holds values in [%g, %g] only, so it looks like images in [0, 1], not "
                      "the [-1, 1] the generator's tanh gives: --range 0,1 rescales them "
                      "(x*2-1), --range -1,1 scores them as they are",
                      source.c_str(), found.lo, found.hi);
        throw std::runtime_error(line);
    }
    if (declared.lo == kModelRange.lo && declared.hi == kModelRange.hi) return samples;
    return rescale_to_model_range(samples, declared);
}

// 0, 1, ..., K-1, 0, ...: the classes a conditional generator is scored on, evenly.
Tensor classes_in_turn(int64_t n, int64_t classes) {
    Tensor labels = Tensor::empty({n}, DType::i64);  // (N,)
    for (int64_t i = 0; i < n; ++i) labels.data_i64()[i] = i % classes;
    return labels;
}

// The data a Ganvas checkpoint was trained on (its "data" metadata); "" for a file
// without it (the PyTorch reference's).
std::string trained_on(const std::string& checkpoint) {
    const StringMap meta = read_safetensors(checkpoint).metadata;
    const auto it = meta.find("data");
    return it == meta.end() ? "" : it->second;
}

DataSpec::Kind parse_data_spec_or_empty(const std::string& spec) {
    try {
        return parse_data_spec(spec).kind;
    } catch (const std::runtime_error&) {
        return DataSpec::Kind::folder;  // not Fashion-MNIST, whatever it is
    }
}

// Whether every requested class is one classifier28 can recognise (Fashion-MNIST's ten).
bool has_classifier_classes(const Tensor& requested) {
    const int64_t* p = requested.data_i64();
    return std::all_of(p, p + requested.numel(), [](int64_t c) { return c >= 0 && c < 10; });
}

std::string json_number(double v) {
    if (!std::isfinite(v)) return "null";
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", v);
    return text;
}

// {"agreement": overall, "per_class": [{"class": 0, "name": ..., "n": ..., "agreement": ...,
// "ffd": ...}, ...]}
std::string agreement_json(const ClassAgreement& a) {
    const auto& names = fashion_mnist_class_names();
    std::string out = "{\"agreement\": " + json_number(a.overall) + ", \"per_class\": [";
    for (size_t c = 0; c < a.agreement.size(); ++c)
        out += std::string(c ? ", " : "") + "{\"class\": " + std::to_string(c) + ", \"name\": \"" +
               names[c] + "\", \"n\": " + std::to_string(a.count[c]) +
               ", \"agreement\": " + json_number(a.agreement[c]) +
               ", \"ffd\": " + json_number(a.ffd[c]) + "}";
    return out + "]}";
}

void print_agreement(const ClassAgreement& a) {
    std::printf("agreement    %.3f   (share of samples classifier28 puts in the class asked for)\n",
                a.overall);
    const auto& names = fashion_mnist_class_names();
    for (size_t c = 0; c < a.agreement.size(); ++c)
        std::printf("  %-12s %5lld samples  agreement %.3f  FFD %.3f\n", names[c].c_str(),
                    static_cast<long long>(a.count[c]), a.agreement[c], a.ffd[c]);
}

}  // namespace

int run_eval(const Argv& argv) {
    Args args(
        argv, "ganvas eval (--checkpoint FILE | --samples X.npy [--range LO,HI]) [--n N] [--json]",
        {{"checkpoint", "FILE", "a generator's checkpoint, to draw --n samples from"},
         {"samples", "X.npy", "images to score, float32 (N, 1, 28, 28) in [-1, 1]"},
         {"range", "LO,HI", "the values --samples holds, rescaled to [-1, 1] (default -1,1)"},
         {"n", "N", "images to score (default 10000)"},
         {"seed", "S", "the noise's seed with --checkpoint (default 0)"},
         {"k", "K", "nearest neighbours for precision and recall (default 3)"},
         {"classifier", "FILE", "the feature network (default assets/classifier28)"},
         {"neighbours", "OUT.png", "write 8 samples, each beside its 4 nearest training images"},
         {"json", "", "print the scores as JSON"}});
    if (args.has("checkpoint") == args.has("samples"))
        throw UsageError("give either --checkpoint FILE (a generator) or --samples X.npy");
    const int64_t n = args.integer("n", 10000, 2, 1000000);
    const int k = static_cast<int>(args.integer("k", 3, 1, 100));
    if (n < min_images_to_score(k))
        throw UsageError("--n " + std::to_string(n) + " is too few for --k " + std::to_string(k) +
                         ": precision and recall need at least k + 1 images");
    auto classifier = load_classifier(args.str("classifier", default_classifier_path()));

    Tensor samples;
    Tensor requested;  // (N,) int64: the classes a conditional generator was asked for
    std::string source;
    if (args.has("samples")) {
        source = args.str("samples");
        samples = load_npy(source);
        if (samples.dim() > 0) samples = first_rows(samples, n);
        samples = samples_in_model_range(samples, source, args, min_images_to_score(k));
    } else {
        if (args.has("range")) throw UsageError("--range is for --samples X.npy");
        source = args.str("checkpoint");
        std::unique_ptr<Model> model = load_generator(source);
        GanModel* gan = model->as_gan();
        Rng noise(static_cast<uint64_t>(args.integer("seed", 0, 0, INT64_MAX)));
        Tensor z = noise.randn({n, gan->z_dim()});
        if (gan->num_classes() > 0) requested = classes_in_turn(n, gan->num_classes());
        samples = requested.defined() ? gan->sample_classes(z, requested) : gan->sample(z);
    }

    ImageDataset test = load_fashion_mnist("test");
    ImageDataset train = load_fashion_mnist("train");
    std::fprintf(stderr, "scoring %lld images from %s against the %lld test images...\n",
                 static_cast<long long>(samples.size(0)), source.c_str(),
                 static_cast<long long>(test.images.size(0)));
    SampleQuality quality(classifier, test.images);
    QualityReport r = quality.evaluate(samples, k);
    const double floor = quality.ffd_to(first_rows(train.images, test.images.size(0)));
    if (args.has("neighbours"))
        write_neighbours(args.str("neighbours"), samples, train.images, 8, 4);
    std::optional<ClassAgreement> agreement;
    if (requested.defined()) {
        if (has_classifier_classes(requested)) {
            agreement = class_agreement(*classifier, samples, requested, test.images, test.labels);
            const std::string data = trained_on(source);
            if (!data.empty() && parse_data_spec_or_empty(data) != DataSpec::Kind::fashion_mnist)
                std::fprintf(stderr,
                             "note: the generator was trained on %s; its classes are scored as "
                             "Fashion-MNIST's\n",
                             data.c_str());
        } else
            std::fprintf(stderr,
                         "the generator has classes beyond classifier28's ten, so the "
                         "classes it was asked for are not scored\n");
    }

    if (args.has("json")) {
        std::printf(
            "{\"ffd\": %.6g, \"precision\": %.6g, \"recall\": %.6g, \"score\": %.6g, \"n\": %lld, "
            "\"ffd_floor\": %.6g%s}\n",
            r.ffd, r.precision, r.recall, r.score, static_cast<long long>(r.n), floor,
            agreement ? (", \"classes\": " + agreement_json(*agreement)).c_str() : "");
        return 0;
    }
    std::printf("images       %lld from %s\n", static_cast<long long>(r.n), source.c_str());
    std::printf("FFD          %.3f   (real train vs test: %.3f; lower is better)\n", r.ffd, floor);
    std::printf("precision    %.3f   (share of samples on the real manifold, k=%d)\n", r.precision,
                k);
    std::printf("recall       %.3f   (share of real images the samples cover)\n", r.recall);
    std::printf("score        %.3f   (inception-style, 1 to 10)\n", r.score);
    std::printf("classes     ");
    const auto& names = fashion_mnist_class_names();
    for (size_t c = 0; c < r.histogram.size(); ++c)
        std::printf(" %s %lld%s", names[c].c_str(), static_cast<long long>(r.histogram[c]),
                    c + 1 < r.histogram.size() ? "," : "\n");
    if (agreement) print_agreement(*agreement);
    return 0;
}

}  // namespace ganvas::cli
