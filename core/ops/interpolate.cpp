#include "ops/interpolate.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "backend/spatial_kernels.h"
#include "ops/dispatch.h"
#include "ops/pooling.h"
#include "tape/tape.h"

namespace ganvas {
namespace {

InterpolationMode kernel_mode(InterpMode mode) {
    switch (mode) {
        case InterpMode::nearest_exact:
            return InterpolationMode::nearest_exact;
        case InterpMode::bilinear:
            return InterpolationMode::bilinear;
        case InterpMode::bicubic:
            return InterpolationMode::bicubic;
        case InterpMode::nearest:
        case InterpMode::area:  // area is adaptive average pooling, never a kernel mode
            break;
    }
    return InterpolationMode::nearest;
}

Tensor interpolate_backward(const Tensor& g, InterpolationMode mode,
                            const InterpolateGeometry& geo);

// x (N, C, H, W) -> (N, C, Ho, Wo): the taps applied.
Tensor interpolate_forward(const Tensor& x, InterpolationMode mode,
                           const InterpolateGeometry& geo) {
    Backend& be = dispatch("interpolate", {x});
    Tensor out = empty_on(x, {x.size(0), x.size(1), geo.out_h, geo.out_w});
    be.spatial().interpolate_forward(mode, geo, x.storage(), out.storage());
    return record("interpolate", out, {x}, [mode, geo](const Tensor& g, const std::vector<bool>&) {
        return std::vector<Tensor>{interpolate_backward(g, mode, geo)};
    });
}

// g (N, C, Ho, Wo) -> (N, C, H, W): the adjoint, each output's gradient spread back
// over the inputs it read, with the same weights.
Tensor interpolate_backward(const Tensor& g, InterpolationMode mode,
                            const InterpolateGeometry& geo) {
    Backend& be = dispatch("interpolate_backward", {g});
    Tensor gx = empty_on(g, {g.size(0), g.size(1), geo.in_h, geo.in_w});
    be.spatial().interpolate_backward(mode, geo, g.storage(), gx.storage());
    return record("interpolate_backward", gx, {g},
                  [mode, geo](const Tensor& gg, const std::vector<bool>&) {
                      return std::vector<Tensor>{interpolate_forward(gg, mode, geo)};
                  });
}

std::string options_str(const InterpolateOptions& o) {
    if (o.size[0] > 0 || o.size[1] > 0)
        return "size " + std::to_string(o.size[0]) + "x" + std::to_string(o.size[1]);
    char buf[96];
    std::snprintf(buf, sizeof buf, "scale factor %g x %g", o.scale[0], o.scale[1]);
    return buf;
}

}  // namespace

InterpMode interp_mode_from_name(const std::string& name) {
    for (InterpMode m : {InterpMode::nearest, InterpMode::nearest_exact, InterpMode::bilinear,
                         InterpMode::bicubic, InterpMode::area})
        if (name == interp_mode_name(m)) return m;
    throw std::invalid_argument("unknown interpolation mode '" + name +
                                "' (choose nearest, nearest-exact, bilinear, bicubic or area)");
}

const char* interp_mode_name(InterpMode mode) {
    switch (mode) {
        case InterpMode::nearest:
            return "nearest";
        case InterpMode::nearest_exact:
            return "nearest-exact";
        case InterpMode::bilinear:
            return "bilinear";
        case InterpMode::bicubic:
            return "bicubic";
        case InterpMode::area:
            return "area";
    }
    return "?";
}

std::array<int64_t, 2> interpolate_output_size(int64_t in_h, int64_t in_w,
                                               const InterpolateOptions& opt) {
    const bool has_size = opt.size[0] != 0 || opt.size[1] != 0;
    const bool has_scale = opt.scale[0] != 0.0 || opt.scale[1] != 0.0;
    if (has_size == has_scale)
        throw std::invalid_argument("interpolate: give either an output size or a scale factor");
    std::array<int64_t, 2> out = opt.size;
    if (has_scale) {
        for (int d = 0; d < 2; ++d) {
            const double s = opt.scale[d];
            const double in = static_cast<double>(d == 0 ? in_h : in_w);
            // Past 2^31 pixels a side is no image we can hold; NaN fails the test too.
            if (!(s > 0.0) || !(in * s < 2147483648.0))
                throw std::invalid_argument("interpolate: " + options_str(opt) +
                                            " must be positive and finite for input " +
                                            std::to_string(in_h) + "x" + std::to_string(in_w));
            out[d] = static_cast<int64_t>(std::floor(in * s));  // Python's math.floor, in double
        }
    }
    if (out[0] <= 0 || out[1] <= 0)
        throw std::invalid_argument("interpolate: " + options_str(opt) + " gives an empty " +
                                    "output for input " + std::to_string(in_h) + "x" +
                                    std::to_string(in_w));
    return out;
}

Tensor interpolate(const Tensor& x, const InterpolateOptions& opt) {
    if (!x.defined() || x.dtype() != DType::f32 || x.dim() != 4 || x.size(2) == 0 || x.size(3) == 0)
        throw std::invalid_argument(
            "interpolate: expects float32 input (N, C, H, W) with H, W > 0" +
            std::string(x.defined() ? ", got " + shape_str(x.shape()) : ""));
    const bool linear = opt.mode == InterpMode::bilinear || opt.mode == InterpMode::bicubic;
    if (opt.align_corners && !linear)
        throw std::invalid_argument(std::string("interpolate: align_corners applies to bilinear ") +
                                    "and bicubic only, not " + interp_mode_name(opt.mode));
    const int64_t in_h = x.size(2), in_w = x.size(3);
    const auto [out_h, out_w] = interpolate_output_size(in_h, in_w, opt);
    if (opt.mode == InterpMode::area) return adaptive_avg_pool2d(x, out_h, out_w);

    InterpolateGeometry geo;
    geo.planes = x.size(0) * x.size(1);
    geo.in_h = in_h;
    geo.in_w = in_w;
    geo.out_h = out_h;
    geo.out_w = out_w;
    geo.scale_h = opt.scale[0];  // 0 when a size was given
    geo.scale_w = opt.scale[1];
    geo.align_corners = opt.align_corners;
    geo.nearest_shortcuts = x.size(1) == 1;
    return interpolate_forward(x, kernel_mode(opt.mode), geo);
}

Tensor upsample_nearest(const Tensor& x, double scale) {
    InterpolateOptions o;
    o.mode = InterpMode::nearest;
    o.scale = {scale, scale};
    return interpolate(x, o);
}

Tensor upsample_bilinear(const Tensor& x, double scale, bool align_corners) {
    InterpolateOptions o;
    o.mode = InterpMode::bilinear;
    o.align_corners = align_corners;
    o.scale = {scale, scale};
    return interpolate(x, o);
}

}  // namespace ganvas
