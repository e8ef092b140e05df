// ganvas reconstruct: a vqgan28 autoencoder (Ganvas's or the PyTorch reference's
// checkpoint) in eval mode: images -> codes -> reconstructions, as .npy.
#include <cmath>
#include <cstdio>

#include "cli/args.h"
#include "cli/commands.h"
#include "io/npy.h"
#include "models/vqgan28.h"

namespace ganvas::cli {
namespace {

// Images as float32 (N, 1, 28, 28); (N, 28, 28) is taken as one channel.
Tensor load_images(const std::string& path) {
    Tensor x = load_npy(path);
    const bool three = x.dim() == 3 && x.size(1) == 28 && x.size(2) == 28;
    const bool four = x.dim() == 4 && x.size(1) == 1 && x.size(2) == 28 && x.size(3) == 28;
    if (x.dtype() != DType::f32 || !(three || four) || x.size(0) == 0)
        throw std::runtime_error(path +
                                 ": images must be float32 (N, 1, 28, 28) with N >= 1, got " +
                                 std::string(dtype_name(x.dtype())) + " " + shape_str(x.shape()));
    const std::string bad = first_non_finite(x);
    if (!bad.empty()) throw std::runtime_error(path + " holds " + bad + "; images must be finite");
    return three ? make_view(x, {x.size(0), 1, 28, 28}) : x;
}

}  // namespace

int run_reconstruct(const Argv& argv) {
    Args args(argv,
              "ganvas reconstruct --checkpoint VQ.safetensors --in X.npy --out REC.npy "
              "[--codes CODES.npy]",
              {{"checkpoint", "VQ.safetensors", "a vqgan28 checkpoint"},
               {"in", "X.npy", "images, float32 (N, 1, 28, 28) in [-1, 1]"},
               {"out", "REC.npy", "where to write the reconstructions"},
               {"codes", "CODES.npy", "also write the code grids (N, 7, 7), int64"}});
    const std::string checkpoint = args.required("checkpoint");
    const std::string in = args.required("in");
    const std::string out = args.required("out");
    if (!ends_with(out, ".npy")) throw UsageError("--out must end in .npy, got " + out);
    if (args.has("codes") && !ends_with(args.str("codes"), ".npy"))
        throw UsageError("--codes must end in .npy, got " + args.str("codes"));

    Tensor x = load_images(in);                 // (N, 1, 28, 28)
    auto ae = load_vq_autoencoder(checkpoint);  // eval mode
    Tensor codes = ae->encode_indices(x);       // int64 (N, 7, 7)
    Tensor rec = ae->decode_indices(codes);     // (N, 1, 28, 28)
    save_npy(out, rec);
    if (args.has("codes")) save_npy(args.str("codes"), codes);
    double mse = 0.0;
    for (int64_t i = 0; i < x.numel(); ++i) {
        const double d = rec.data()[i] - x.data()[i];
        mse += d * d;
    }
    std::printf("reconstructed %lld images to %s (MSE %.5f)%s%s\n",
                static_cast<long long>(x.size(0)), out.c_str(), mse / x.numel(),
                args.has("codes") ? ", codes to " : "", args.str("codes").c_str());
    return 0;
}

}  // namespace ganvas::cli
