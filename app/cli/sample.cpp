// ganvas sample: generator output from a checkpoint (Ganvas's or the PyTorch
// reference's), for given noise or n fresh draws, as .npy or a PNG grid.
#include <cmath>
#include <cstdio>

#include "cli/args.h"
#include "cli/commands.h"
#include "io/image_png.h"
#include "io/npy.h"
#include "train/session.h"

namespace ganvas::cli {

int run_sample(const Argv& argv) {
    Args args(argv, {"checkpoint", "z", "n", "seed", "out", "model", "nrow"}, {});
    const std::string checkpoint = args.required("checkpoint");
    const std::string out = args.required("out");
    const bool png = out.size() > 4 && out.substr(out.size() - 4) == ".png";
    const bool npy = out.size() > 4 && out.substr(out.size() - 4) == ".npy";
    if (!png && !npy) throw UsageError("--out must end in .png or .npy, got " + out);
    if (args.has("z") == args.has("n"))
        throw UsageError("give either --z Z.npy or --n N (with --seed S)");

    std::unique_ptr<Model> loaded = load_generator(checkpoint, args.str("model"));
    GanModel* model = loaded->as_gan();

    Tensor z;
    if (args.has("z")) {
        const std::string zpath = args.str("z");
        z = load_npy(zpath);
        if (z.dtype() != DType::f32 || z.dim() != 2 || z.size(1) != model->z_dim())
            throw std::runtime_error(zpath + ": noise must be float32 (N, " +
                                     std::to_string(model->z_dim()) + "), got " +
                                     shape_str(z.shape()) + " " + dtype_name(z.dtype()));
    } else {
        Rng noise(static_cast<uint64_t>(args.integer("seed", 0, 0, INT64_MAX)));
        z = noise.randn({args.integer("n", 64, 1, 100000), model->z_dim()});
    }
    Tensor images = model->sample(z);  // (N, 1, 28, 28)
    if (npy)
        save_npy(out, images);
    else
        save_image_grid(out, images,
                        static_cast<int>(args.integer(
                            "nrow", std::lround(std::ceil(std::sqrt(z.size(0)))), 1, 1000)));
    std::printf("wrote %lld samples to %s\n", static_cast<long long>(z.size(0)), out.c_str());
    return 0;
}

}  // namespace ganvas::cli
