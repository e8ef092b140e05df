// ganvas sample: generator output from a checkpoint (Ganvas's or the PyTorch
// reference's), for given noise or n fresh draws, as .npy, a PNG grid or a TFRecord
// file of tf.Examples (one PNG each, for TensorFlow); a conditional generator draws
// one class (--class K) or every class (--classes). A prior49
// checkpoint samples code grids in raster order (temperature, top-k, top-p) and
// decodes them with the VQGAN given by --vq.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "cli/args.h"
#include "cli/commands.h"
#include "data/feature_columns.h"
#include "io/image_png.h"
#include "io/npy.h"
#include "io/safetensors.h"
#include "models/prior_sampling.h"
#include "models/vq_codes.h"
#include "ops/shape_ops.h"
#include "train/session.h"

namespace ganvas::cli {
namespace {

enum class OutKind { png, npy, tfrecord };

OutKind out_kind(const std::string& out) {
    if (ends_with(out, ".png")) return OutKind::png;
    if (ends_with(out, ".npy")) return OutKind::npy;
    if (ends_with(out, ".tfrecord") || ends_with(out, ".tfrecords")) return OutKind::tfrecord;
    throw UsageError("--out must end in .png, .npy or .tfrecord, got " + out);
}

void write_images(const std::string& out, const Tensor& images, const Args& args,
                  int64_t row = 0) {  // row: the PNG's default images a row; 0: a square
    switch (out_kind(out)) {
        case OutKind::npy:
            save_npy(out, images);
            return;
        case OutKind::tfrecord:
            save_images_tfrecord(out, images);
            return;
        case OutKind::png:
            save_image_grid(
                out, images,
                static_cast<int>(args.integer(
                    "nrow", row > 0 ? row : std::lround(std::ceil(std::sqrt(images.size(0)))), 1,
                    1000)));
    }
}

// A code prior -> code grids -> the VQGAN's decoder -> images (and the codes, if asked).
int sample_code_grids(const Args& args, Model& model, const std::string& checkpoint,
                      const std::string& out) {
    const std::string name = model.name();
    if (args.has("z"))
        throw UsageError("--z is for GAN generators; a " + name + " samples codes: use --n");
    if (args.has("class") || args.has("classes"))
        throw UsageError(
            "--class and --classes are for a conditional generator (cdcgan28), not a " + name);
    if (!args.has("vq"))
        throw UsageError("a " + name +
                         " samples codes; give --vq VQ.safetensors (the vqgan28 whose "
                         "codes it learned) to decode them into images");
    SamplingOptions options;
    options.temperature = static_cast<float>(args.number("temperature", 1.0, 0.0, 100.0));
    options.top_k = args.integer("top-k", 0, 0, kPriorCodes);
    options.top_p = static_cast<float>(args.number("top-p", 1.0, 1e-6, 1.0));
    const int64_t n = args.integer("n", 64, 1, 100000);
    const uint64_t seed = static_cast<uint64_t>(args.integer("seed", 0, 0, INT64_MAX));
    auto vq = load_vq_for_prior(args.str("vq"));
    model.load_state_dict(load_safetensors_map(checkpoint), checkpoint);
    Tensor codes = sample_codes(*model.code_prior(), n, options, seed);  // (N, 49)
    Tensor grids = reshape(codes, {n, kPriorGrid, kPriorGrid});          // (N, 7, 7)
    write_images(out, vq->decode_indices(grids), args);
    if (args.has("codes-out")) save_npy(args.str("codes-out"), grids);
    std::printf("wrote %lld samples to %s%s%s\n", static_cast<long long>(n), out.c_str(),
                args.has("codes-out") ? ", codes to " : "", args.str("codes-out").c_str());
    return 0;
}

// What a conditional generator is asked to draw: --class K gives every sample class K,
// --classes the same noise in each class in turn (a PNG row a class); neither: undefined
// labels, and sample() takes the classes in turn.
struct ClassRequest {
    Tensor noise, labels;  // (M, z_dim), (M,) int64
    int64_t row = 0;       // images a PNG row
};

ClassRequest class_request(const Args& args, GanModel& model, const Tensor& z) {
    if (!args.has("class") && !args.has("classes")) return {};
    const int64_t classes = model.num_classes();
    if (classes == 0)
        throw UsageError(std::string("--") + (args.has("class") ? "class" : "classes") +
                         " is for " + "a conditional generator (cdcgan28); " + model.name() +
                         " has no classes");
    if (args.has("class") && args.has("classes"))
        throw UsageError("give --class K or --classes, not both");
    ClassRequest r;
    const int64_t n = z.size(0);
    if (args.has("class")) {
        r.noise = z;
        r.labels = Tensor::empty({n}, DType::i64);
        const int64_t k = args.integer("class", 0, 0, classes - 1);
        std::fill(r.labels.data_i64(), r.labels.data_i64() + n, k);
        return r;
    }
    r.noise = cat(std::vector<Tensor>(classes, z), 0);  // (classes * N, z_dim)
    r.labels = Tensor::empty({classes * n}, DType::i64);
    for (int64_t i = 0; i < classes * n; ++i) r.labels.data_i64()[i] = i / n;
    r.row = n;
    return r;
}

}  // namespace

int run_sample(const Argv& argv) {
    Args args(argv,
              "ganvas sample --checkpoint FILE (--z Z.npy | --n N --seed S) "
              "--out OUT.png|OUT.npy|OUT.tfrecord [--class K | --classes]",
              {{"checkpoint", "FILE", "a generator's checkpoint (Ganvas's or PyTorch's names)"},
               {"out", "OUT.png|OUT.npy|OUT.tfrecord", "a PNG grid, a float32 array or TFRecords"},
               {"z", "Z.npy", "the noise, float32 (N, z_dim)"},
               {"n", "N", "samples to draw from fresh noise (default 64)"},
               {"seed", "S", "the noise's seed (default 0)"},
               {"nrow", "R", "images a row of the PNG grid (default: a square)"},
               {"model", "M", "the checkpoint's model, where its tensor names do not tell"},
               {"vq", "VQ.safetensors", "prior49: the vqgan28 checkpoint that decodes the codes"},
               {"temperature", "T", "prior49: sampling temperature (default 1)"},
               {"top-k", "K", "prior49: draw from the K likeliest codes only (default 0: all)"},
               {"top-p", "P", "prior49: draw from the likeliest codes up to mass P (default 1)"},
               {"codes-out", "CODES.npy", "prior49: also write the code grids (N, 7, 7)"},
               {"class", "K", "cdcgan28: draw every sample of class K"},
               {"classes", "", "cdcgan28: the noise drawn in every class, one PNG row a class"},
               {"device", "cpu|gpu", "GANs: where the generator runs (default cpu)"}});
    const std::string checkpoint = args.required("checkpoint");
    const std::string out = args.required("out");
    out_kind(out);  // a bad --out is refused before any work
    const Device device = args.device();
    Rng unused(0);  // the weights come from the checkpoint
    std::unique_ptr<Model> built =
        make_model(checkpoint_model_name(checkpoint, args.str("model")), unused);
    if (built->code_prior()) return sample_code_grids(args, *built, checkpoint, out);
    for (const char* prior_only : {"vq", "temperature", "top-k", "top-p", "codes-out"})
        if (args.has(prior_only))
            throw UsageError(std::string("--") + prior_only + " is for a prior49 checkpoint");
    if (args.has("z") == args.has("n"))
        throw UsageError("give either --z Z.npy or --n N (with --seed S)");

    std::unique_ptr<Model> loaded = load_generator(checkpoint, args.str("model"));
    loaded->to(device);
    GanModel* model = loaded->as_gan();

    Tensor z;
    if (args.has("z")) {
        const std::string zpath = args.str("z");
        z = load_npy(zpath);
        if (z.dtype() != DType::f32 || z.dim() != 2 || z.size(1) != model->z_dim())
            throw std::runtime_error(zpath + ": noise must be float32 (N, " +
                                     std::to_string(model->z_dim()) + "), got " +
                                     shape_str(z.shape()) + " " + dtype_name(z.dtype()));
        const std::string bad = first_non_finite(z);
        if (!bad.empty())
            throw std::runtime_error(zpath + " holds " + bad + "; noise must be finite");
    } else {
        Rng noise(static_cast<uint64_t>(args.integer("seed", 0, 0, INT64_MAX)));
        z = noise.randn({args.integer("n", 64, 1, 100000), model->z_dim()});
    }
    const ClassRequest classes = class_request(args, *model, z);
    // The noise is drawn (or read) on the host, so either device draws the same samples.
    const Tensor images =
        (classes.labels.defined()
             ? model->sample_classes(classes.noise.to(device), classes.labels.to(device))
             : model->sample(z.to(device)))
            .to(Device::cpu);  // (N, 1, 28, 28)
    write_images(out, images, args, classes.row);
    std::printf("wrote %lld samples to %s\n", static_cast<long long>(images.size(0)), out.c_str());
    return 0;
}

}  // namespace ganvas::cli
