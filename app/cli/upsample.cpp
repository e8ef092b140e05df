// ganvas upsample: one image or a batch resized with one method, exactly as
// torch.nn.functional.interpolate / pixel_shuffle would.
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "cli/args.h"
#include "cli/commands.h"
#include "io/image_png.h"
#include "io/npy.h"
#include "ops/interpolate.h"
#include "ops/pixel_shuffle.h"

namespace ganvas::cli {
namespace {

// Past this many output values (1 GiB of float32) a scale is a typo, not a request.
constexpr double kMaxOutputValues = 268435456.0;

bool is_image_path(const std::string& p) {
    for (const char* ext : {".png", ".PNG", ".jpg", ".JPG", ".jpeg", ".JPEG", ".bmp"})
        if (ends_with(p, ext)) return true;
    return false;
}

// (N, C, H, W) float32 from an .npy, or (1, C, H, W) in [-1, 1] from an image.
Tensor load_input(const std::string& path) {
    if (ends_with(path, ".npy")) {
        Tensor x = load_npy(path);
        if (x.dtype() != DType::f32 || x.dim() != 4 || x.numel() == 0)
            throw std::runtime_error(path + ": expected a float32 array (N, C, H, W), got " +
                                     shape_str(x.shape()) + " " + dtype_name(x.dtype()));
        const std::string bad = first_non_finite(x);
        if (!bad.empty())
            throw std::runtime_error(path + " holds " + bad + "; values must be finite");
        return x;
    }
    if (is_image_path(path)) return load_image(path, image_file_channels(path));
    throw UsageError("--in must be an .npy, .png or .jpg file, got " + path);
}

// "HxW" -> {H, W}
std::array<int64_t, 2> parse_size(const std::string& s) {
    long long h = 0, w = 0;
    char x = 0, extra = 0;
    if (std::sscanf(s.c_str(), "%lld%c%lld%c", &h, &x, &w, &extra) != 3 || x != 'x' || h <= 0 ||
        w <= 0 || h > 65536 || w > 65536)
        throw UsageError("--size expects HxW with sides 1 to 65536, got '" + s + "'");
    return {h, w};
}

}  // namespace

int run_upsample(const Argv& argv) {
    Args args(
        argv,
        "ganvas upsample --in X.npy|X.png --mode M (--scale S | --size HxW) --out Y.npy|Y.png",
        {{"in", "X.npy|X.png", "the image(s): float32 (N, C, H, W), or a picture"},
         {"mode", "M", "nearest, nearest-exact, bilinear, bicubic, area or pixelshuffle"},
         {"scale", "S", "scale factor"},
         {"size", "HxW", "output size"},
         {"align-corners", "", "bilinear, bicubic: corners on corners (as PyTorch's flag)"},
         {"out", "Y.npy|Y.png", "where to write the result"}});
    const std::string in = args.required("in");
    const std::string out = args.required("out");
    const std::string mode = args.required("mode");
    if (!ends_with(out, ".npy") && !ends_with(out, ".png"))
        throw UsageError("--out must end in .npy or .png, got " + out);
    if (args.has("scale") == args.has("size"))
        throw UsageError("give either --scale S or --size HxW");
    const double scale = args.number("scale", 0.0, 1e-3, 1e4);

    const bool shuffle = mode == "pixelshuffle";
    InterpolateOptions opt;
    if (!shuffle) {
        try {
            opt.mode = interp_mode_from_name(mode);
        } catch (const std::invalid_argument&) {
            throw UsageError("--mode must be nearest, nearest-exact, bilinear, bicubic, area or " +
                             std::string("pixelshuffle, got '") + mode + "'");
        }
    }
    opt.align_corners = args.has("align-corners");
    if (args.has("size"))
        opt.size = parse_size(args.str("size"));
    else
        opt.scale = {scale, scale};

    const Tensor x = load_input(in);  // (N, C, H, W)
    const int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    Tensor y;
    if (shuffle) {
        const int64_t r = std::llround(scale);
        if (args.has("size") || r < 1 || std::fabs(scale - static_cast<double>(r)) > 1e-9)
            throw UsageError("pixelshuffle needs a whole --scale r (no --size), got " +
                             args.str("scale", args.str("size")));
        if (opt.align_corners) throw UsageError("--align-corners does not apply to pixelshuffle");
        if (c % (r * r) != 0)
            throw std::runtime_error(in + ": pixelshuffle with scale " + std::to_string(r) +
                                     " needs channels divisible by r^2 = " + std::to_string(r * r) +
                                     ", but the input has " + std::to_string(c) + " (shape " +
                                     shape_str(x.shape()) + ")");
        y = pixel_shuffle(x, r);  // (N, C / r^2, H r, W r)
    } else {
        const auto [oh, ow] = interpolate_output_size(h, w, opt);
        if (static_cast<double>(n) * c * oh * ow > kMaxOutputValues)
            throw std::runtime_error(in + ": the output would be " + std::to_string(oh) + "x" +
                                     std::to_string(ow) + " for " + std::to_string(n * c) +
                                     " planes, more than 2^28 values; use a smaller scale");
        y = interpolate(x, opt);  // (N, C, Ho, Wo)
    }
    if (ends_with(out, ".npy")) {
        save_npy(out, y);
    } else {
        if (y.size(1) != 1 && y.size(1) != 3)
            throw std::runtime_error(out + ": a PNG needs 1 or 3 channels, the result has " +
                                     std::to_string(y.size(1)) + "; write an .npy instead");
        save_image_grid(out, y, static_cast<int>(y.size(0)), 0);  // side by side if N > 1
    }
    std::printf("%s %s -> %s %s (%s)\n", in.c_str(), shape_str(x.shape()).c_str(), out.c_str(),
                shape_str(y.shape()).c_str(), mode.c_str());
    return 0;
}

}  // namespace ganvas::cli
